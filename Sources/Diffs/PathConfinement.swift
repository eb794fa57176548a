import Foundation

/// Keeps paths from patches inside a workspace: refuses empty, absolute and NUL-
/// containing paths, `..` that leaves the root, anything under `.git/`, and paths
/// whose existing components are symbolic links resolving outside the root.
///
/// ```swift
/// let confinement = try PathConfinement(root: workspaceURL)
/// let url = try confinement.confine("Sources/App/main.swift")
/// ```
public struct PathConfinement: Sendable {
    /// The workspace root with symbolic links resolved.
    public let resolvedRoot: String

    /// Resolves `root` (which must exist) to its real path.
    public init(root: URL) throws(PathConfinementError) {
        guard let resolved = Self.realPath(root.path) else {
            throw PathConfinementError(path: root.path, root: root.path, reason: .workspaceRootMissing)
        }
        resolvedRoot = resolved
    }

    /// The root as a file URL.
    public var rootURL: URL { URL(fileURLWithPath: resolvedRoot, isDirectory: true) }

    /// The absolute URL inside the workspace for `path`, a path relative to the root.
    ///
    /// - Throws: `PathConfinementError` explaining why the path is refused.
    public func confine(_ path: String) throws(PathConfinementError) -> URL {
        let relative = try relativePath(path)
        return URL(fileURLWithPath: resolvedRoot + "/" + relative, isDirectory: false)
    }

    /// `path` normalized relative to the root (no `.`, `..` or empty components),
    /// after every check `confine` makes. Use it to compare paths from different sources.
    public func relativePath(_ path: String) throws(PathConfinementError) -> String {
        func refuse(_ reason: PathConfinementError.Reason) -> PathConfinementError {
            PathConfinementError(path: path, root: resolvedRoot, reason: reason)
        }
        if path.isEmpty { throw refuse(.empty) }
        if path.utf8.contains(0) { throw refuse(.containsNUL) }
        if Self.isAbsolute(path) { throw refuse(.absolute) }
        var components: [Substring] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..":
                if components.isEmpty { throw refuse(.escapesWorkspace) }
                components.removeLast()
            default: components.append(component)
            }
        }
        if components.isEmpty { throw refuse(.refersToWorkspaceRoot) }
        if components.contains(where: Self.isGitDirectoryName) { throw refuse(.insideGitDirectory) }
        try checkSymbolicLinks(components, refuse: refuse)
        return components.joined(separator: "/")
    }

    /// Walks the existing components; each symbolic link must resolve inside the
    /// root and not into a `.git` directory.
    private func checkSymbolicLinks(
        _ components: [Substring], refuse: (PathConfinementError.Reason) -> PathConfinementError
    ) throws(PathConfinementError) {
        var current = resolvedRoot
        for (position, component) in components.enumerated() {
            let candidate = current + "/" + component
            var info = stat()
            guard lstat(candidate, &info) == 0 else { return }  // the rest does not exist yet
            guard info.st_mode & S_IFMT == S_IFLNK else {
                current = candidate
                continue
            }
            let shownLink = components[0...position].joined(separator: "/")
            guard let destination = Self.realPath(candidate) else {
                // A dangling link: writing through it would create its target.
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: candidate)) ?? "?"
                let absoluteTarget = target.hasPrefix("/") ? target : current + "/" + target
                if !isInsideRoot(URL(fileURLWithPath: absoluteTarget).standardizedFileURL.path) {
                    throw refuse(.symlinkEscape(link: shownLink, destination: target))
                }
                return
            }
            guard isInsideRoot(destination) else {
                throw refuse(.symlinkEscape(link: shownLink, destination: destination))
            }
            let inside = destination.dropFirst(resolvedRoot.count).split(separator: "/")
            if inside.contains(where: Self.isGitDirectoryName) { throw refuse(.insideGitDirectory) }
            current = destination
        }
    }

    private func isInsideRoot(_ absolutePath: String) -> Bool {
        absolutePath == resolvedRoot || absolutePath.hasPrefix(resolvedRoot == "/" ? "/" : resolvedRoot + "/")
    }

    private static func isGitDirectoryName(_ component: Substring) -> Bool {
        component.lowercased() == ".git"
    }

    private static func isAbsolute(_ path: String) -> Bool {
        if path.hasPrefix("/") || path.hasPrefix("~") || path.hasPrefix("\\") { return true }
        let bytes = Array(path.utf8.prefix(3))
        // Windows drive paths such as C:\ or C:/.
        return bytes.count >= 2 && bytes[1] == UInt8(ascii: ":")
            && ((UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[0] | 0x20))
            && (bytes.count == 2 || bytes[2] == UInt8(ascii: "/") || bytes[2] == UInt8(ascii: "\\"))
    }

    /// The canonical absolute path with symbolic links resolved, nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
