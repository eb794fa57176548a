import FileWatching

/// What the workspace index's watcher skips: what the ignore files say, and the daemon's own
/// directories (state, socket) when they lie inside the workspace, so that the daemon's writes
/// never feed back into the index.
struct IndexIgnoreMatcher: IgnoreMatcher {
    private let rules: GitIgnoreMatcher
    /// Relative to the root, without trailing slash.
    let privateDirectories: [String]

    init(root: String, privateDirectories: [String]) {
        rules = GitIgnoreMatcher(root: root)
        self.privateDirectories = privateDirectories
    }

    func isIgnored(relativePath: String, isDirectory: Bool) -> Bool {
        isPrivate(relativePath) || rules.isIgnored(relativePath: relativePath, isDirectory: isDirectory)
    }

    func ignoreFileChanged(inDirectory relativeDirectory: String) {
        rules.ignoreFileChanged(inDirectory: relativeDirectory)
    }

    /// Whether `relativePath` is one of the daemon's directories or inside one.
    func isPrivate(_ relativePath: String) -> Bool {
        privateDirectories.contains { relativePath == $0 || relativePath.hasPrefix($0 + "/") }
    }
}
