/// `edit/delta`: the next piece of an `edit/propose` answer, sent only to the client that asked,
/// in order, before the result.
public struct EditDeltaNotification: RPCNotification {
    public static let method = "edit/delta"
    /// The request's `streamToken`, else its id.
    public var token: JSONValue
    /// Text to append to what came before in the same round.
    public var text: String
    /// 0 for the first answer, 1 for the repair round, which starts a fresh answer.
    public var round: Int

    public init(token: JSONValue, text: String, round: Int) {
        self.token = token
        self.text = text
        self.round = round
    }
}
