import Diffs

/// Why a model's answer could not be turned into edits.
///
/// `description` says what is wrong with the answer and how to fix it; it is
/// written to be sent back to the model as a repair note.
public struct EditParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem.
    public enum Reason: Sendable, Hashable {
        /// The answer contains no edits in the strategy's format; the associated
        /// value describes that format.
        case noEdits(expectedFormat: String)
        /// The unified diff in the answer is malformed.
        case unreadableDiff(DiffParseError)
        /// Some blocks could not be resolved against the files.
        case blocksFailed([EditBlockFailure])
    }

    /// The kind of problem.
    public var reason: Reason
    /// The answer's prose, which often explains why no edit was given.
    public var prose: String

    /// Creates an error.
    public init(_ reason: Reason, prose: String = "") {
        self.reason = reason
        self.prose = prose
    }

    public var description: String {
        switch reason {
        case .noEdits(let format):
            return "The answer contains no edits: expected \(format)."
        case .unreadableDiff(let error):
            return "The unified diff in the answer could not be read. \(error.description)"
        case .blocksFailed(let failures):
            let count = failures.count == 1 ? "1 block" : "\(failures.count) blocks"
            return "\(count) of the answer could not be applied:\n"
                + failures.map { "- \($0.description)" }.joined(separator: "\n")
        }
    }
}
