/// `models/delta`: the next piece of a `models/complete` answer, sent only to the client that
/// asked, in order, before the request's result.
public struct ModelDeltaNotification: RPCNotification {
    public static let method = "models/delta"
    /// The request's `streamToken`, else its id.
    public var token: JSONValue
    /// Text to append to what came before.
    public var text: String

    public init(token: JSONValue, text: String) {
        self.token = token
        self.text = text
    }
}
