/// `daemon/shutdown`: drain in-flight requests (waiting at most `drainTimeoutMs`), flush the
/// records, remove the socket and exit.
public struct DaemonShutdownRequest: RPCRequest {
    public static let method = "daemon/shutdown"
    public typealias Result = Acknowledgement

    /// How long to wait for in-flight requests. Defaults to the configured `daemon.drain_timeout_ms`.
    public var drainTimeoutMs: Int?

    public init(drainTimeoutMs: Int? = nil) { self.drainTimeoutMs = drainTimeoutMs }
}
