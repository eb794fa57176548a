/// `rpc.discover`: returns the OpenRPC document describing this protocol (`protocol/openrpc.json`).
public struct DiscoverRequest: RPCRequest {
    public static let method = "rpc.discover"
    public typealias Result = JSONValue
    public init() {}
}
