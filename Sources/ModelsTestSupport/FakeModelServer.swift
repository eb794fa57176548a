import NIOCore
import NIOHTTP1
import NIOPosix

/// An HTTP/1.1 server on 127.0.0.1 that plays scripted `FakeResponse`s in order, one per request,
/// and records what it receives, to test model providers against faithful wire formats and
/// their failures (errors, stalls, broken streams, wrong content types, huge answers).
public final class FakeModelServer: Sendable {
    private let channel: any Channel
    private let state: FakeServerState
    /// The port it listens on.
    public let port: Int

    private init(channel: any Channel, state: FakeServerState, port: Int) {
        self.channel = channel
        self.state = state
        self.port = port
    }

    /// Starts a server on 127.0.0.1 at a free port.
    public static func start(port: Int = 0, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> FakeModelServer {
        let state = FakeServerState()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(FakeServerHandler(state: state))
                }
            }
            .bind(host: "127.0.0.1", port: port)
            .get()
        guard let port = channel.localAddress?.port else {
            try? await channel.close()
            throw FakeServerError.noPort
        }
        return FakeModelServer(channel: channel, state: state, port: port)
    }

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Adds answers for the next requests, in order.
    public func enqueue(_ responses: FakeResponse...) {
        state.enqueue(responses)
    }

    /// Adds answers for the next requests, in order.
    public func enqueue(contentsOf responses: [FakeResponse]) {
        state.enqueue(responses)
    }

    /// The answer once the queue is empty (by default a 500 saying no script is left).
    public func answerWhenIdle(_ response: FakeResponse?) {
        state.setFallback(response)
    }

    /// Answers requests that find no scripted response queued with what `responder` returns for
    /// them (before the idle answer, which serves when it returns nil).
    public func respond(with responder: (@Sendable (RecordedRequest) -> FakeResponse?)?) {
        state.setResponder(responder)
    }

    /// What the server has seen.
    public var snapshot: FakeServerSnapshot { state.snapshot }

    /// Requests received, in order.
    public var requests: [RecordedRequest] { state.snapshot.requests }

    /// Waits until `predicate` holds; false if `timeout` passes first.
    public func wait(timeout: Duration = .seconds(10), until predicate: @escaping @Sendable (FakeServerSnapshot) -> Bool) async -> Bool {
        await state.wait(timeout: timeout, until: predicate)
    }

    /// Waits until `count` requests have arrived.
    public func waitForRequests(_ count: Int, timeout: Duration = .seconds(10)) async -> Bool {
        await wait(timeout: timeout) { $0.requests.count >= count }
    }

    /// Waits until the client has closed `count` connections in the middle of a response.
    public func waitForAbandonedResponses(_ count: Int = 1, timeout: Duration = .seconds(10)) async -> Bool {
        await wait(timeout: timeout) { $0.responsesAbandonedByClient >= count }
    }

    /// Lets the oldest response waiting at a `waitForResume` step go on (or the next one to
    /// reach such a step).
    public func resume() {
        state.resume()
    }

    /// Closes the listener and every open connection.
    public func shutdown() async {
        for child in state.openChannels { try? await child.close() }
        try? await channel.close()
    }
}

/// Why the fake server could not start.
public enum FakeServerError: Error {
    case noPort
}

/// Answers one connection's requests with the scripts from the shared state.
private final class FakeServerHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let state: FakeServerState
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var responding = false
    private var closingOurselves = false
    private var script: FakeResponse?
    private var remaining: ArraySlice<FakeResponse.Step> = []
    private var headSent = false

    init(state: FakeServerState) {
        self.state = state
    }

    func channelActive(context: ChannelHandlerContext) {
        state.opened(context.channel)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        state.closed(context.channel, abandonedResponse: responding && !closingOurselves)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body = []
        case .body(let buffer):
            body.append(contentsOf: buffer.readableBytesView)
        case .end:
            guard let head else { return }
            let request = RecordedRequest(
                method: head.method.rawValue, uri: head.uri,
                headers: head.headers.map { RecordedRequest.Header(name: $0.name, value: $0.value) }, body: body)
            respond(with: state.receive(request), context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func respond(with script: FakeResponse, context: ChannelHandlerContext) {
        responding = true
        self.script = script
        headSent = false
        remaining = script.steps[...]
        runSteps(context: context)
    }

    /// Plays the remaining steps of the script until it ends, stalls, closes or pauses.
    private func runSteps(context: ChannelHandlerContext) {
        guard let script else { return }
        while let step = remaining.popFirst() {
            switch step {
            case .head:
                sendHead(script, context: context)
            case .send(let bytes):
                sendHead(script, context: context)
                guard !bytes.isEmpty else { continue }
                context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: bytes)))), promise: nil)
            case .stall:
                return
            case .closeConnection:
                closingOurselves = true
                context.close(promise: nil)
                return
            case .waitForResume:
                let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
                state.pause {
                    bound.eventLoop.execute { bound.value.handler.runSteps(context: bound.value.context) }
                }
                return
            case .pause(let duration):
                let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
                context.eventLoop.scheduleTask(in: .nanoseconds(Int64(duration / .nanoseconds(1)))) {
                    bound.value.handler.runSteps(context: bound.value.context)
                }
                return
            }
        }
        sendHead(script, context: context)
        self.script = nil
        // The response is over only once every byte has left: a client that closes while a large
        // answer is still queued has abandoned it.
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
        written.futureResult.assumeIsolated().whenSuccess { self.responding = false }
    }

    private func sendHead(_ script: FakeResponse, context: ChannelHandlerContext) {
        guard !headSent else { return }
        headSent = true
        var headers = HTTPHeaders()
        for header in script.headers { headers.add(name: header.name, value: header.value) }
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: script.status), headers: headers)
        context.writeAndFlush(wrapOutboundOut(.head(head)), promise: nil)
    }
}
