/// Errors of the context engine, each saying what to fix.
public enum ContextError: Error, CustomStringConvertible, Equatable {
    /// A helper program could not be run.
    case toolUnavailable(String, reason: String)
    /// A helper program ran and failed.
    case toolFailed(String, status: Int32, message: String)
    /// The workspace root is not a readable directory.
    case notADirectory(String)
    /// A path given by the caller lies outside the workspace root.
    case outsideWorkspace(path: String, root: String)
    /// The index database could not be opened or written.
    case storage(String)

    /// The problem and how to fix it.
    public var description: String {
        switch self {
        case .toolUnavailable(let tool, let reason):
            let hint = tool == "ctags"
                ? " (install universal-ctags: `apt-get install universal-ctags`)" : ""
            return "cannot run \(tool): \(reason)\(hint)"
        case .toolFailed(let tool, let status, let message):
            return "\(tool) exited with status \(status): \(message)"
        case .notADirectory(let path):
            return "workspace root \(path) is not a readable directory: pass the project's top directory"
        case .outsideWorkspace(let path, let root):
            return "\(path) is outside the workspace \(root): pass paths relative to the root or absolute paths below it"
        case .storage(let message):
            return "index database: \(message)"
        }
    }
}
