import AidProtocol
import Logging
import NIOCore
import NIOPosix
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Limits of a server.
public struct RPCServerConfiguration: Sendable {
    /// Frames with a larger Content-Length are refused and the connection closed.
    public var maximumFrameBytes: Int = 64 << 20
    /// Bytes waiting to be written to one client beyond which it is disconnected.
    public var maximumQueuedBytes: Int = 64 << 20
    /// When the write queue passes this, the server stops reading that client's requests.
    public var writeHighWatermark: Int = 1 << 20
    /// Only peers with this uid may connect (default: the server's own uid).
    public var allowedUID: UInt32 = getuid()
    /// Requests that a drain waits for however long they take, instead of answering them
    /// `daemonRestarting` at its deadline: the requests that start the drain (restart, shutdown),
    /// which clients must not send again after reconnecting.
    public var drainExemptMethods: Set<String> = []

    public init() {}
}

/// Shared, immutable state of a server that every connection handler reads.
final class RPCServerCore: Sendable {
    let configuration: RPCServerConfiguration
    let methods: MethodTable
    let observer: (any RPCServerObserver)?
    let logger: Logger
    let group: any EventLoopGroup
    /// Requests being worked on, over all connections.
    let inFlight = Atomic<Int>(0)
    init(configuration: RPCServerConfiguration, methods: MethodTable, observer: (any RPCServerObserver)?, logger: Logger, group: any EventLoopGroup) {
        self.configuration = configuration
        self.methods = methods
        self.observer = observer
        self.logger = logger
        self.group = group
    }
}

/// A JSON-RPC 2.0 server on a Unix socket, LSP-framed.
public final class RPCServer: Sendable {
    private let core: RPCServerCore
    private struct Entry {
        let connection: RPCConnection
        let handler: NIOLoopBound<RPCConnectionHandler>
        let channel: any Channel
    }
    private let entries = Mutex<[UInt64: Entry]>([:])
    private let nextConnectionID = Atomic<UInt64>(0)
    private let serverChannel = Mutex<(any Channel)?>(nil)

    public init(configuration: RPCServerConfiguration = .init(), methods: MethodTable, observer: (any RPCServerObserver)? = nil,
                logger: Logger, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        core = RPCServerCore(configuration: configuration, methods: methods, observer: observer, logger: logger, group: group)
    }

    /// Starts serving on an already bound and listening socket (from `UnixSocket.listen`, or
    /// inherited across `exec` on restart).
    public func start(listeningSocket fd: CInt) async throws {
        let core = self.core
        let channel = try await ServerBootstrap(group: core.group)
            .serverChannelOption(ChannelOptions.backlog, value: 1024)
            .childChannelOption(ChannelOptions.writeBufferWaterMark,
                                value: .init(low: core.configuration.writeHighWatermark / 2, high: core.configuration.writeHighWatermark))
            .childChannelInitializer { [weak self] channel in
                guard let self else { return channel.close() }
                return self.setUp(channel)
            }
            .withBoundSocket(fd).get()
        serverChannel.withLock { $0 = channel }
    }

    private func setUp(_ channel: any Channel) -> EventLoopFuture<Void> {
        let core = self.core
        let provider = channel as! any SocketOptionProvider
        let credentials: EventLoopFuture<PeerCredentials> = provider.unsafeGetSocketOption(level: SocketOptionLevel(SOL_SOCKET), name: PeerCredentials.optionName)
        return credentials.flatMap { [weak self] peer -> EventLoopFuture<Void> in
            guard let self else { return channel.close() }
            if peer.uid != core.configuration.allowedUID {
                core.logger.warning("Refused a connection from pid \(peer.pid) running as uid \(peer.uid): only uid \(core.configuration.allowedUID) may use this daemon.")
                let body = OutgoingMessage.errorResponse(id: .null, error: ResponseError(.invalidRequest, "refused: this daemon serves uid \(core.configuration.allowedUID) only, and you are uid \(peer.uid)"))
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RefusingHandler(frame: OutgoingMessage.frame(body)))
                }
            }
            return channel.eventLoop.makeCompletedFuture {
                let handler = RPCConnectionHandler(core: core)
                let id = self.nextConnectionID.wrappingAdd(1, ordering: .relaxed).newValue
                let loopBound = NIOLoopBound(handler, eventLoop: channel.eventLoop)
                let eventLoop = channel.eventLoop
                // On the loop (a handler running there) the message is written at once, so it
                // stays ahead of the answer that follows it; from elsewhere it is queued there.
                let connection = RPCConnection(id: id, peerPID: peer.pid, peerUID: peer.uid) { body in
                    if eventLoop.inEventLoop {
                        loopBound.value.writeBody(body)
                    } else {
                        eventLoop.execute { loopBound.value.writeBody(body) }
                    }
                }
                handler.attach(connection: connection)
                try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FrameDecoder(maximumFrameBytes: core.configuration.maximumFrameBytes)))
                try channel.pipeline.syncOperations.addHandler(handler)
                self.entries.withLock { $0[id] = Entry(connection: connection, handler: loopBound, channel: channel) }
                core.observer?.connectionOpened(connection)
                channel.closeFuture.whenComplete { [weak self] _ in
                    self?.entries.withLock { _ = $0.removeValue(forKey: id) }
                    core.observer?.connectionClosed(connection)
                }
            }
        }
    }

    /// How many clients are connected (without copying the list).
    public var connectionCount: Int { entries.withLock { $0.count } }

    /// Requests being worked on, over all connections.
    public var inFlightCount: Int { core.inFlight.load(ordering: .relaxed) }

    /// Stops accepting connections and reading requests; waits until every request read so far
    /// has been answered (answering those still running at `timeout` with `daemonRestarting`),
    /// then closes every connection. The listening socket stays open (for a restart's handover).
    public func drain(timeout: Duration) async {
        let listening = serverChannel.withLock { $0 }
        try? await listening?.setOption(ChannelOptions.autoRead, value: false).get()
        let deadline = NIODeadline.now() + .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + Int64(timeout.components.attoseconds / 1_000_000_000))
        let all = entries.withLock { Array($0.values) }
        await withTaskGroup(of: Void.self) { group in
            for entry in all {
                group.addTask {
                    let drained = entry.channel.eventLoop.flatSubmit { entry.handler.value.drain(deadline: deadline) }
                    try? await drained.get()
                    let closed = entry.channel.eventLoop.flatSubmit { entry.handler.value.close() }
                    try? await closed.get()
                }
            }
        }
    }

    /// Closes the listening socket and every connection.
    public func stop() async {
        let listening = serverChannel.withLock { $0 }
        try? await listening?.close().get()
        let all = entries.withLock { Array($0.values) }
        for entry in all { try? await entry.channel.close().get() }
    }
}

/// The layout of Linux's `struct ucred`, read with SO_PEERCRED from a Unix socket.
struct PeerCredentials: Sendable {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
    /// SO_PEERCRED from <asm-generic/socket.h>.
    static let optionName = SocketOptionName(17)
}

/// Says why a connection is refused as soon as it is active, then closes it; reads nothing.
final class RefusingHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    private let frame: [UInt8]

    init(frame: [UInt8]) { self.frame = frame }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { refuse(context) }
    }

    func channelActive(context: ChannelHandlerContext) { refuse(context) }

    private var sent = false

    private func refuse(_ context: ChannelHandlerContext) {
        guard !sent else { return }
        sent = true
        let buffer = context.channel.allocator.buffer(bytes: frame)
        // Half-close so that the peer reads the reason and the end of stream; closing at once
        // with its request unread would make the kernel reset the connection instead.
        context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in
            context.close(mode: .output, promise: nil)
            context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(2)) { context.close(promise: nil) }
        }
    }

    /// Whatever the refused peer sends is read and dropped.
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}
