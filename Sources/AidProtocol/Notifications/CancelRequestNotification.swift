/// `$/cancelRequest`: the client no longer wants the answer to request `id`. The daemon stops
/// the work and still answers that request, with error `requestCancelled` (-32800).
public struct CancelRequestNotification: RPCNotification {
    public static let method = "$/cancelRequest"
    /// The id of the request to cancel (a string or a number).
    public var id: JSONValue
    public init(id: JSONValue) { self.id = id }
}
