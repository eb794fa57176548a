#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns the paths that tools print into the form ``Diagnostic`` uses:
/// relative to the workspace root when the file is inside it, otherwise an
/// absolute, `.`/`..`-free path. Purely lexical apart from resolving the
/// workspace root itself once (so a root given through a symlink still
/// matches paths the tools print in their canonical form).
struct PathResolver: Sendable {
    /// The workspace root, normalized, without trailing slash.
    let root: String
    /// The canonical (symlink-free) spelling of `root`, when it differs.
    let canonicalRoot: String?

    init(workspaceRoot: String) {
        let normalized = PathResolver.normalize(workspaceRoot.isEmpty ? "/" : workspaceRoot)
        root = normalized
        var canonical: String?
        if let resolved = realpath(normalized, nil) {
            let value = String(cString: resolved)
            free(resolved)
            if value != normalized { canonical = value }
        }
        canonicalRoot = canonical
    }

    /// Resolves `raw` as printed by a tool that ran in `directory` (the
    /// workspace root when nil).
    func resolve(_ raw: String, relativeTo directory: String? = nil) -> String {
        var path = raw.trimmingSpaces()
        if path.hasPrefix("file://") { path.removeFirst("file://".count) }
        let absolute: String
        if path.hasPrefix("/") {
            absolute = PathResolver.normalize(path)
        } else {
            let base = directory.map { $0.hasPrefix("/") ? $0 : root + "/" + $0 } ?? root
            absolute = PathResolver.normalize(base + "/" + path)
        }
        if let relative = PathResolver.relative(absolute, to: root) { return relative }
        if let canonicalRoot, let relative = PathResolver.relative(absolute, to: canonicalRoot) {
            return relative
        }
        return absolute
    }

    /// Path of `absolute` below `base`, or nil when it is not inside.
    private static func relative(_ absolute: String, to base: String) -> String? {
        if base == "/" { return absolute == "/" ? "." : String(absolute.dropFirst()) }
        if absolute == base { return "." }
        guard absolute.hasPrefix(base), absolute.dropFirst(base.count).first == "/" else { return nil }
        return String(absolute.dropFirst(base.count + 1))
    }

    /// Collapses `//`, `.` and `..` components of an absolute path.
    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(component)
            }
        }
        return "/" + parts.joined(separator: "/")
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }

    /// The text without trailing spaces and tabs.
    func trimmingTrailingSpaces() -> String {
        var slice = Substring(self)
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
