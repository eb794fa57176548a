import FileWatching

/// What a build monitor does not watch: whatever `.gitignore`, `.ignore` and `.aidignore`
/// say, the build's own output directories, other version-control directories, and compiler
/// artifacts, so that a build's writes never start the next build.
struct BuildIgnoreMatcher: IgnoreMatcher {
    private let rules: GitIgnoreMatcher
    private let directories: [String]

    /// Names of directories never watched, wherever they are.
    static let versionControlDirectories: Set<Substring> = [".hg", ".svn", ".jj", "_darcs", ".bzr"]
    /// Extensions of files that compilers and linkers write.
    static let artifactExtensions: Set<Substring> = [
        "o", "a", "so", "dylib", "d", "obj", "lib", "pyc", "class", "cmi", "cmo", "cmx", "cmt", "cmti", "cma", "cmxa",
        "tsbuildinfo", "swiftmodule", "swiftdoc", "gch", "pch",
    ]

    /// - Parameters:
    ///   - root: the workspace root.
    ///   - directories: directories relative to `root` to skip entirely.
    init(root: String, directories: [String]) {
        rules = GitIgnoreMatcher(root: root)
        self.directories = directories.map { path in
            var path = Substring(path)
            while path.hasPrefix("./") { path = path.dropFirst(2) }
            while path.hasSuffix("/") { path = path.dropLast() }
            return String(path)
        }.filter { !$0.isEmpty }
    }

    func isIgnored(relativePath: String, isDirectory: Bool) -> Bool {
        for directory in directories where relativePath.hasPrefix(directory) {
            let rest = relativePath.utf8.dropFirst(directory.utf8.count)
            if rest.isEmpty || rest.first == UInt8(ascii: "/") { return true }
        }
        // Checked byte-wise: the watcher asks for every file of the tree when it starts.
        let slash = UInt8(ascii: "/")
        for component in relativePath.utf8.split(separator: slash)
        where Self.versionControlDirectoryBytes.contains(where: { $0.elementsEqual(component) }) {
            return true
        }
        if !isDirectory {
            let name = relativePath.utf8.lastIndex(of: slash).map { relativePath[relativePath.index(after: $0)...] } ?? relativePath[...]
            if let dot = name.lastIndex(of: "."), dot != name.startIndex,
               Self.artifactExtensions.contains(name[name.index(after: dot)...]) {
                return true
            }
        }
        return rules.isIgnored(relativePath: relativePath, isDirectory: isDirectory)
    }

    private static let versionControlDirectoryBytes: [[UInt8]] = versionControlDirectories.map { Array($0.utf8) }

    func ignoreFileChanged(inDirectory relativeDirectory: String) {
        rules.ignoreFileChanged(inDirectory: relativeDirectory)
    }
}
