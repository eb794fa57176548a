/// `chat/delta`: the next piece of a `chat/send` answer (Markdown), sent only to the client that
/// asked, in order, before the result.
public struct ChatDeltaNotification: RPCNotification {
    public static let method = "chat/delta"
    /// The request's `streamToken`, else its id.
    public var token: JSONValue
    /// Text to append.
    public var text: String

    public init(token: JSONValue, text: String) {
        self.token = token
        self.text = text
    }
}
