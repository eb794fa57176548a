import AidProtocol

/// What the server tells its owner: connections coming and going, and every request it answered.
/// Called on the server's event loops: implementations must be quick and must not block.
public protocol RPCServerObserver: Sendable {
    func connectionOpened(_ connection: RPCConnection)
    func connectionClosed(_ connection: RPCConnection)
    func requestCompleted(_ record: RequestRecord)
}

/// One answered request, for the records.
public struct RequestRecord: Sendable {
    public var method: String
    public var connectionID: UInt64
    public var client: RPCConnection.ClientInfo?
    /// Wall-clock time the request was read (seconds since 1970).
    public var receivedAt: Double
    /// From reading the request to queueing its answer, in seconds.
    public var duration: Double
    /// nil when the request succeeded, else the error code it was answered with.
    public var errorCode: Int?
    public var errorMessage: String?
}
