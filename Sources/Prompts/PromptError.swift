/// Why a strategy could not render a prompt for an input.
public struct PromptError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem.
    public enum Reason: Sendable, Hashable {
        /// An editable file is larger than the strategy handles.
        case fileTooLarge(path: String, lines: Int, bytes: Int, limit: FileSizeLimit)
        /// The request text is empty.
        case emptyPrompt
    }

    /// The strategy that refused.
    public var strategy: StrategyID
    /// The kind of problem.
    public var reason: Reason

    /// Creates an error.
    public init(strategy: StrategyID, reason: Reason) {
        self.strategy = strategy
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .fileTooLarge(let path, let lines, let bytes, let limit):
            return "\(strategy) rewrites whole files and handles files up to \(limit.lines) lines and "
                + "\(limit.bytes) bytes, but \(path) has \(lines) lines and \(bytes) bytes. "
                + "Use a diff-based strategy such as unified-diff@1 for it."
        case .emptyPrompt:
            return "\(strategy): the request is empty. Say what should change."
        }
    }
}
