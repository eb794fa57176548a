/// The non-directory entries the watcher knows to exist, grouped by
/// directory. Lets a rename onto an existing file be told apart from a
/// rename to a new name (an editor's atomic save is a modification).
struct KnownFiles: Sendable {
    private var namesByDirectory: [String: Set<String>] = [:]

    private static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[..<slash]), String(path[path.index(after: slash)...]))
    }

    func contains(_ path: String) -> Bool {
        let (directory, name) = KnownFiles.split(path)
        return namesByDirectory[directory]?.contains(name) ?? false
    }

    mutating func insert(_ path: String) {
        let (directory, name) = KnownFiles.split(path)
        namesByDirectory[directory, default: []].insert(name)
    }

    mutating func remove(_ path: String) {
        let (directory, name) = KnownFiles.split(path)
        namesByDirectory[directory]?.remove(name)
    }

    /// Forgets everything in `directory` and below.
    mutating func removeSubtree(_ directory: String) {
        for key in keys(under: directory) { namesByDirectory[key] = nil }
    }

    /// Moves what is known in `old` and below to `new`.
    mutating func renameSubtree(from old: String, to new: String) {
        for key in keys(under: old) {
            let names = namesByDirectory.removeValue(forKey: key)
            namesByDirectory[new + key.dropFirst(old.count)] = names
        }
    }

    private func keys(under directory: String) -> [String] {
        let prefix = directory + "/"
        return namesByDirectory.keys.filter { $0 == directory || $0.hasPrefix(prefix) }
    }
}
