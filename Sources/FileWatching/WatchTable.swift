/// The mapping between inotify watch descriptors and the directories they
/// watch (relative to the root; "" is the root). Owned by the reader thread.
struct WatchTable: Sendable {
    private var pathByDescriptor: [Int32: String] = [:]
    private var descriptorByPath: [String: Int32] = [:]

    /// How many directories are watched.
    var count: Int { pathByDescriptor.count }

    func path(for descriptor: Int32) -> String? { pathByDescriptor[descriptor] }

    func descriptor(for path: String) -> Int32? { descriptorByPath[path] }

    /// Records that `descriptor` watches `path`. Re-adding a watch for an
    /// inode already watched returns the same descriptor; the newest path wins.
    mutating func insert(_ descriptor: Int32, path: String) {
        if let old = pathByDescriptor[descriptor], old != path { descriptorByPath[old] = nil }
        if let oldDescriptor = descriptorByPath[path], oldDescriptor != descriptor {
            pathByDescriptor[oldDescriptor] = nil
        }
        pathByDescriptor[descriptor] = path
        descriptorByPath[path] = descriptor
    }

    /// Forgets a descriptor (after the kernel dropped its watch).
    mutating func remove(descriptor: Int32) {
        guard let path = pathByDescriptor.removeValue(forKey: descriptor) else { return }
        if descriptorByPath[path] == descriptor { descriptorByPath[path] = nil }
    }

    /// Forgets `path` and every watched directory below it; returns their descriptors.
    mutating func removeSubtree(_ path: String) -> [Int32] {
        let doomed = subtree(path)
        for (_, descriptor) in doomed { remove(descriptor: descriptor) }
        return doomed.map(\.descriptor)
    }

    /// Re-keys `old` and everything below it to `new` after a directory rename.
    mutating func renameSubtree(from old: String, to new: String) {
        for (path, descriptor) in subtree(old) {
            let renamed = new + path.dropFirst(old.count)
            insert(descriptor, path: renamed)
        }
    }

    /// `path` and the watched directories below it.
    func subtree(_ path: String) -> [(path: String, descriptor: Int32)] {
        if path.isEmpty { return descriptorByPath.map { ($0.key, $0.value) } }
        let prefix = path + "/"
        return descriptorByPath.filter { $0.key == path || $0.key.hasPrefix(prefix) }.map { ($0.key, $0.value) }
    }
}
