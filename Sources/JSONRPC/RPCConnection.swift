import AidProtocol
import NIOCore
import Synchronization

/// One client connected to the server: who it is (from the socket and from `initialize`) and a
/// way to push notifications to it. Safe to use from any task.
public final class RPCConnection: Sendable {
    /// Unique within the server's lifetime.
    public let id: UInt64
    /// The peer's process id and user id, read from the socket (SO_PEERCRED).
    public let peerPID: Int32
    public let peerUID: UInt32

    /// What the client said about itself in `initialize`.
    public struct ClientInfo: Sendable, Equatable {
        public var name: String
        public var version: String?
        public var editor: String?
        public var workspaceRoot: String?
        public init(name: String, version: String? = nil, editor: String? = nil, workspaceRoot: String? = nil) {
            self.name = name
            self.version = version
            self.editor = editor
            self.workspaceRoot = workspaceRoot
        }
    }

    private let info = Mutex<ClientInfo?>(nil)
    private let sink: @Sendable ([UInt8]) -> Void

    init(id: UInt64, peerPID: Int32, peerUID: UInt32, sink: @escaping @Sendable ([UInt8]) -> Void) {
        self.id = id
        self.peerPID = peerPID
        self.peerUID = peerUID
        self.sink = sink
    }

    /// The client's self-description, once it has sent `initialize`.
    public var clientInfo: ClientInfo? {
        get { info.withLock { $0 } }
        set { info.withLock { $0 = newValue } }
    }

    /// Sends a notification to this client. Dropped if the connection is gone.
    public func send<N: RPCNotification>(_ notification: N) {
        guard let params = try? JSONCoding.encode(notification) else { return }
        sink(OutgoingMessage.notification(method: N.method, encodedParams: params))
    }

    /// Sends an already-encoded message body.
    public func send(body: [UInt8]) { sink(body) }
}
