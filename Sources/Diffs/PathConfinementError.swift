/// Why a path from a patch was refused: it would reach outside the workspace or
/// into git's own files.
public struct PathConfinementError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem.
    public enum Reason: Sendable, Hashable {
        /// The path is empty.
        case empty
        /// The path contains a NUL byte.
        case containsNUL
        /// The path is absolute (`/etc/passwd`, `~/x`, `C:\x`).
        case absolute
        /// `..` components lead above the workspace root.
        case escapesWorkspace
        /// The path names the workspace root itself rather than a file in it.
        case refersToWorkspaceRoot
        /// The path is inside a `.git` directory.
        case insideGitDirectory
        /// An existing component is a symbolic link that resolves outside the root.
        case symlinkEscape(link: String, destination: String)
        /// The workspace root does not exist or cannot be resolved.
        case workspaceRootMissing
    }

    /// The path as the patch gave it.
    public var path: String
    /// The workspace root.
    public var root: String
    /// The kind of problem.
    public var reason: Reason

    /// Creates an error.
    public init(path: String, root: String, reason: Reason) {
        self.path = path
        self.root = root
        self.reason = reason
    }

    public var description: String {
        let shown = "'\(path.replacingNULs())'"
        switch reason {
        case .empty:
            return "A patch names a file with an empty path. Give every file a path relative to the workspace \(root)."
        case .containsNUL:
            return "The path \(shown) contains a NUL byte, which no file name can contain. Fix the file name in the diff."
        case .absolute:
            return "The path \(shown) is absolute; patches may only name files relative to the workspace \(root). "
                + "Use a relative path such as 'Sources/File.swift'."
        case .escapesWorkspace:
            return "The path \(shown) uses '..' to leave the workspace \(root). Name a file inside the workspace."
        case .refersToWorkspaceRoot:
            return "The path \(shown) names the workspace root \(root) itself, not a file in it. Name a file."
        case .insideGitDirectory:
            return "The path \(shown) is inside a '.git' directory, which patches may not change. Leave git's files out of the diff."
        case .symlinkEscape(let link, let destination):
            return "The path \(shown) goes through the symbolic link '\(link)', which points to '\(destination)' outside "
                + "the workspace \(root). Patch the file at its real location inside the workspace, or not at all."
        case .workspaceRootMissing:
            return "The workspace root \(root) does not exist or cannot be resolved, so no path can be checked against it."
        }
    }
}

extension String {
    /// The string with NUL bytes shown as `\0`, for messages.
    func replacingNULs() -> String {
        contains("\0") ? split(separator: "\0", omittingEmptySubsequences: false).joined(separator: "\\0") : self
    }
}
