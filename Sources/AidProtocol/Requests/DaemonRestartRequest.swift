/// `daemon/restart`: drain in-flight requests (waiting at most `drainTimeoutMs`), then re-exec
/// the binary now installed at the daemon's path, keeping the listening socket open so that no
/// connect fails. Clients reconnect, re-initialize and re-send what was never answered.
public struct DaemonRestartRequest: RPCRequest {
    public static let method = "daemon/restart"
    public typealias Result = DaemonRestartResult

    /// How long to wait for in-flight requests before answering them with `daemonRestarting`.
    /// Defaults to the configured `daemon.drain_timeout_ms`.
    public var drainTimeoutMs: Int?

    public init(drainTimeoutMs: Int? = nil) { self.drainTimeoutMs = drainTimeoutMs }
}

/// The answer to `daemon/restart`, sent before the drain starts.
public struct DaemonRestartResult: Codable, Sendable, Equatable {
    /// Always true: the restart has begun.
    public var accepted: Bool
    /// The generation the restarted daemon will report.
    public var nextGeneration: Int
    /// Requests that were in flight (besides this one) when the drain began.
    public var inFlightRequests: Int
    public init(accepted: Bool, nextGeneration: Int, inFlightRequests: Int) {
        self.accepted = accepted
        self.nextGeneration = nextGeneration
        self.inFlightRequests = inFlightRequests
    }
}
