/// What a request is for; each task has a default strategy. The raw value is the
/// task name model routes use (`edit`, `chat`).
public struct PromptTask: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// Change files: the answer is parsed into patches.
    public static let edit = PromptTask(rawValue: "edit")
    /// Answer a question; edits in the answer are proposals.
    public static let chat = PromptTask(rawValue: "chat")

    public var description: String { rawValue }
}
