/// Who a prompt message is from. The raw values match the chat roles model providers use.
public enum PromptRole: String, Sendable, Hashable, Codable, CaseIterable {
    /// Instructions that frame the whole conversation.
    case system
    /// The developer's side: context, files and the request.
    case user
    /// The model's side (a prefilled or earlier answer).
    case assistant
}

/// One rendered message of a prompt.
///
/// Messages come out of a template stable-first: a leading run of messages with
/// `stable == true` is the same from one request to the next (instructions, project
/// context) so that provider prompt caches can reuse it; everything after it varies.
public struct PromptMessage: Sendable, Hashable, Codable {
    /// Who the message is from.
    public var role: PromptRole
    /// The message text.
    public var content: String
    /// True when the message depends only on stable inputs and every message before
    /// it is stable too, so the prefix up to and including it can be cached.
    public var stable: Bool

    /// Creates a message.
    public init(role: PromptRole, content: String, stable: Bool) {
        self.role = role
        self.content = content
        self.stable = stable
    }
}
