import AidProtocol
import Foundation
import Logging
import NIOCore

/// Serves one connection: reads frames, dispatches requests to the method table concurrently,
/// answers each exactly once (cancelled ones with -32800), and writes with a bounded queue.
/// All its state lives on the channel's event loop.
final class RPCConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = FrameEvent
    typealias OutboundOut = ByteBuffer

    private let core: RPCServerCore
    private(set) var connection: RPCConnection!
    private var context: ChannelHandlerContext?

    private struct InFlight {
        let id: JSONValue
        let method: String
        let receivedAt: Double
        let started: ContinuousClock.Instant
        var task: Task<Void, Never>?
        let respond: ([UInt8]) -> Void
    }
    private var inFlight: [UInt64: InFlight] = [:]
    private var tokensByID: [JSONValue: UInt64] = [:]
    private var nextToken: UInt64 = 0
    /// Between a read's first message and its `channelReadComplete`: answers written meanwhile
    /// are flushed together when the read completes.
    private var reading = false
    private var flushAfterRead = false
    private var flushScheduled = false
    private var draining = false
    private var drainWaiters: [EventLoopPromise<Void>] = []
    private var closing = false

    /// Runs the tasks of `onEventLoop` handlers on this connection's loop; made when first needed.
    private lazy var loopExecutor = EventLoopExecutor(context!.eventLoop)

    init(core: RPCServerCore) { self.core = core }

    var inFlightCount: Int { inFlight.count }

    func attach(connection: RPCConnection) { self.connection = connection }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func channelInactive(context: ChannelHandlerContext) {
        for (_, request) in inFlight { request.task?.cancel() }
        core.inFlight.subtract(inFlight.count, ordering: .relaxed)
        inFlight.removeAll()
        tokensByID.removeAll()
        resolveDrainIfIdle()
        self.context = nil
        context.fireChannelInactive()
    }

    // MARK: Reading

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }  // Being closed: what arrives is dropped.
        reading = true
        switch unwrapInboundIn(data) {
        case .message(let body):
            let frame = body.withUnsafeReadableBytes { IncomingFrame(body: $0) }
            handle(frame)
        case .malformedHeader(let reason):
            writeBody(OutgoingMessage.errorResponse(id: .null, error: ResponseError(.parseError, "malformed frame header: \(reason)")))
        case .tooLarge(let length, let maximum):
            core.logger.warning("Closing connection \(connection.id): a frame of \(length) bytes exceeds the maximum of \(maximum) bytes.")
            writeBody(OutgoingMessage.errorResponse(id: .null, error: ResponseError(.frameTooLarge, "frame of \(length) bytes exceeds the maximum frame size of \(maximum) bytes (daemon.max_frame_bytes); the connection is closed")))
            closeAfterFlush()
        case .unrecoverable(let reason):
            writeBody(OutgoingMessage.errorResponse(id: .null, error: ResponseError(.parseError, "unreadable stream: \(reason); the connection is closed")))
            closeAfterFlush()
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        finishRead(context)
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // What the decoder hands over when the input ends comes with no read-complete.
        finishRead(context)
        context.fireUserInboundEventTriggered(event)
    }

    private func finishRead(_ context: ChannelHandlerContext) {
        reading = false
        if flushAfterRead {
            flushAfterRead = false
            context.flush()
        }
    }

    private func handle(_ frame: IncomingFrame) {
        switch frame {
        case .unreadable(let error):
            writeBody(OutgoingMessage.errorResponse(id: .null, error: error))
        case .single(let message):
            handle(message) { [weak self] body in self?.writeBody(body) }
        case .batch(let messages):
            let batch = BatchCollector(count: messages.count) { [weak self] members in
                if !members.isEmpty { self?.writeBody(OutgoingMessage.batch(members)) }
            }
            for (index, message) in messages.enumerated() {
                switch message {
                case .notification, .response:
                    handle(message) { _ in }
                    batch.fill(index, with: nil)
                case .request, .invalid:
                    handle(message) { body in batch.fill(index, with: body) }
                }
            }
        }
    }

    /// Handles one message; `respond` is called once with the answer's body (not for notifications).
    private func handle(_ message: IncomingMessage, respond: @escaping ([UInt8]) -> Void) {
        switch message {
        case .invalid(let id, let error):
            respond(OutgoingMessage.errorResponse(id: id, error: error))
        case .response(let id, _):
            core.logger.debug("Ignoring a response with id \(JSONWriter.string(id)): the daemon sends no requests to clients.")
        case .notification(let method, let params):
            handleNotification(method: method, params: params)
        case .request(let id, let method, let params):
            handleRequest(id: id, method: method, params: params, respond: respond)
        }
    }

    private func handleNotification(method: String, params: JSONValue?) {
        if method == CancelRequestNotification.method {
            if let id = params?["id"], let token = tokensByID[id] { cancel(token: token) }
            return
        }
        guard let handler = core.methods.notificationHandler(for: method) else {
            if !method.hasPrefix("$/") {
                core.logger.info("Ignoring unknown notification '\(method)' from connection \(connection.id).")
            }
            return
        }
        let context = NotificationContext(method: method, connection: connection, logger: core.logger)
        let logger = core.logger
        Task {
            do { try await handler(params, context) } catch {
                logger.warning("Notification \(method) failed: \(error)")
            }
        }
    }

    private func handleRequest(id: JSONValue, method: String, params: JSONValue?, respond: @escaping ([UInt8]) -> Void) {
        let receivedAt = Date().timeIntervalSince1970
        let started = ContinuousClock.now
        if id != .null, tokensByID[id] != nil {
            let error = ResponseError(.invalidRequest, "id \(JSONWriter.string(id)) is already used by a request in flight on this connection; use a new id per request")
            respond(OutgoingMessage.errorResponse(id: id, error: error))
            return
        }
        guard let handler = core.methods.handler(for: method) else {
            let error = ResponseError.methodNotFound(method)
            respond(OutgoingMessage.errorResponse(id: id, error: error))
            record(method: method, receivedAt: receivedAt, started: started, error: error)
            return
        }
        if draining {
            let error = ResponseError(.daemonRestarting, "the daemon is restarting; send the request again after reconnecting")
            respond(OutgoingMessage.errorResponse(id: id, error: error))
            return
        }
        let namedParams: JSONValue?
        do {
            namedParams = try core.methods.namedParams(params, method: method)
        } catch {
            let error = error as? ResponseError ?? ResponseError(.invalidParams, "\(error)")
            respond(OutgoingMessage.errorResponse(id: id, error: error))
            record(method: method, receivedAt: receivedAt, started: started, error: error)
            return
        }
        let workDoneToken = params?["workDoneToken"]
        switch handler {
        case .immediate(let answer):
            let requestContext = RequestContext(id: id, method: method, connection: connection, logger: core.logger, workDoneToken: workDoneToken)
            // Answered inside this read: nothing else on the connection runs meanwhile, so
            // there is nothing to cancel or drain, and no task to make.
            let outcome: Result<[UInt8], ResponseError>
            do {
                outcome = .success(try answer(namedParams, requestContext))
            } catch {
                outcome = .failure(Self.responseError(for: error, in: requestContext))
            }
            answerRequest(id: id, method: method, receivedAt: receivedAt, started: started, outcome: outcome, respond: respond)
        case .task(let work, let onEventLoop):
            start(work, onEventLoop: onEventLoop, id: id, method: method, params: namedParams, workDoneToken: workDoneToken,
                  receivedAt: receivedAt, started: started, respond: respond)
        }
    }

    /// Runs `handler` as a task of its own (preferring this connection's loop with
    /// `onEventLoop`); its outcome is answered on the loop unless it was cancelled first.
    private func start(_ handler: @escaping MethodTable.RequestHandler, onEventLoop: Bool, id: JSONValue, method: String,
                       params: JSONValue?, workDoneToken: JSONValue?, receivedAt: Double, started: ContinuousClock.Instant,
                       respond: @escaping ([UInt8]) -> Void) {
        nextToken += 1
        let token = nextToken
        let eventLoop = context!.eventLoop
        let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
        /// Runs `body` with this handler on its loop: at once when already there (so what a
        /// handler on the loop writes stays ahead of its answer), else queued there.
        let onLoop: @Sendable (@escaping @Sendable (RPCConnectionHandler) -> Void) -> Void = { body in
            if eventLoop.inEventLoop { body(loopBound.value) } else { eventLoop.execute { body(loopBound.value) } }
        }
        // The request's own messages are written while it is in flight, in order with its answer:
        // both are decided on the loop.
        let requestContext = RequestContext(id: id, method: method, connection: connection, logger: core.logger,
                                            workDoneToken: workDoneToken) { body in
            onLoop { $0.writeIfInFlight(token: token, body) }
        }
        if id != .null { tokensByID[id] = token }
        inFlight[token] = InFlight(id: id, method: method, receivedAt: receivedAt, started: started, task: nil, respond: respond)
        core.inFlight.add(1, ordering: .relaxed)
        let work: @Sendable () async -> Void = {
            let outcome: Result<[UInt8], ResponseError>
            do {
                outcome = .success(try await handler(params, requestContext))
            } catch {
                outcome = .failure(Self.responseError(for: error, in: requestContext))
            }
            onLoop { $0.complete(token: token, outcome: outcome) }
        }
        if onEventLoop {
            let executor = loopExecutor
            inFlight[token]?.task = Task(executorPreference: executor) {
                await EventLoopExecutor.$current.withValue(executor) { await work() }
            }
        } else {
            inFlight[token]?.task = Task(operation: work)
        }
    }

    /// Sends the answer to a request and records it.
    private func answerRequest(id: JSONValue, method: String, receivedAt: Double, started: ContinuousClock.Instant,
                               outcome: Result<[UInt8], ResponseError>, respond: ([UInt8]) -> Void) {
        switch outcome {
        case .success(let result):
            respond(OutgoingMessage.response(id: id, encodedResult: result))
            record(method: method, receivedAt: receivedAt, started: started, error: nil)
        case .failure(let error):
            respond(OutgoingMessage.errorResponse(id: id, error: error))
            record(method: method, receivedAt: receivedAt, started: started, error: error)
        }
    }

    /// The answer for a handler's error: its own `ResponseError`, -32800 for a cancellation,
    /// otherwise an internal error that points to the log.
    private static func responseError(for error: any Error, in context: RequestContext) -> ResponseError {
        switch error {
        case let error as ResponseError: return error
        case is CancellationError: return .cancelled
        default:
            context.logger.error("Request \(context.method) failed: \(error)")
            return ResponseError(.internalError, "internal error in \(context.method): \(error); the daemon's log has details")
        }
    }

    private func complete(token: UInt64, outcome: Result<[UInt8], ResponseError>) {
        guard let request = inFlight.removeValue(forKey: token) else { return }  // already answered
        core.inFlight.subtract(1, ordering: .relaxed)
        if request.id != .null { tokensByID[request.id] = nil }
        answerRequest(id: request.id, method: request.method, receivedAt: request.receivedAt, started: request.started,
                      outcome: outcome, respond: request.respond)
        resolveDrainIfIdle()
    }

    /// Writes a message of request `token`'s own unless the request has been answered.
    private func writeIfInFlight(token: UInt64, _ body: [UInt8]) {
        guard inFlight[token] != nil else { return }
        writeBody(body)
    }

    private func cancel(token: UInt64, with error: ResponseError = .cancelled) {
        guard let request = inFlight[token] else { return }
        request.task?.cancel()
        complete(token: token, outcome: .failure(error))
    }

    private func record(method: String, receivedAt: Double, started: ContinuousClock.Instant, error: ResponseError?) {
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        core.observer?.requestCompleted(RequestRecord(
            method: method, connectionID: connection.id, client: connection.clientInfo, receivedAt: receivedAt,
            duration: seconds, errorCode: error?.code.rawValue, errorMessage: error?.message))
    }

    // MARK: Writing

    /// Queues a message body for writing. What is written inside a read is flushed when the
    /// read completes, what is written elsewhere once per event-loop tick.
    func writeBody(_ body: [UInt8]) {
        guard let context, !closing else { return }
        let header = FrameHeader.encode(contentLength: body.count)
        var buffer = context.channel.allocator.buffer(capacity: header.count + body.count)
        buffer.writeBytes(header)
        buffer.writeBytes(body)
        // Below the high-water mark the queue is far from its limit; past it (the channel is then
        // unwritable) the bytes still waiting are asked for.
        let limit = core.configuration.maximumQueuedBytes
        if !context.channel.isWritable || limit < core.configuration.writeHighWatermark,
           let queued = try? context.channel.syncOptions?.getOption(.bufferedWritableBytes), queued + buffer.readableBytes > limit {
            core.logger.warning("Closing connection \(connection.id): \(queued + buffer.readableBytes) bytes are waiting to be written, over the limit of \(limit); the client does not read its messages.")
            closing = true
            context.close(promise: nil)
            return
        }
        context.write(wrapOutboundOut(buffer), promise: nil)
        if reading {
            flushAfterRead = true
        } else if !flushScheduled {
            flushScheduled = true
            context.eventLoop.assumeIsolated().execute { [weak self] in
                guard let self, let context = self.context else { return }
                self.flushScheduled = false
                context.flush()
            }
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        // Back-pressure: stop reading requests from a client that does not read its answers.
        if !draining { context.channel.setOption(ChannelOptions.autoRead, value: context.channel.isWritable).whenFailure { _ in } }
        context.fireChannelWritabilityChanged()
    }

    private func closeAfterFlush() {
        guard let context, !closing else { return }
        closing = true
        // Half-close: the client reads the error and the end of stream while what it still
        // sends is read and dropped; closing at once with its data unread would make the
        // kernel reset the connection and the error would be lost.
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0))).assumeIsolated().whenComplete { _ in
            context.close(mode: .output, promise: nil)
            context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(2)) { context.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        core.logger.debug("Connection \(connection.id) error: \(error)")
        context.close(promise: nil)
    }

    // MARK: Draining

    /// Stops reading; the future completes when every request read so far has been answered.
    /// At `deadline`, requests still in flight are answered with `daemonRestarting`.
    func drain(deadline: NIODeadline) -> EventLoopFuture<Void> {
        guard let context else { return core.group.next().makeSucceededVoidFuture() }
        draining = true
        context.channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in }
        let promise = context.eventLoop.makePromise(of: Void.self)
        drainWaiters.append(promise)
        context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [weak self] in
            guard let self else { return }
            let error = ResponseError(.daemonRestarting, "the daemon restarted before this request finished; send it again")
            let exempt = self.core.configuration.drainExemptMethods
            for token in self.inFlight.keys.sorted() where !exempt.contains(self.inFlight[token]?.method ?? "") {
                self.cancel(token: token, with: error)
            }
        }
        resolveDrainIfIdle()
        return promise.futureResult
    }

    /// Flushes what is queued and closes the connection.
    func close() -> EventLoopFuture<Void> {
        guard let context else { return core.group.next().makeSucceededVoidFuture() }
        closing = true
        let eventLoop = context.eventLoop
        let promise = eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
            promise.succeed()
        }
        return promise.futureResult
    }

    private func resolveDrainIfIdle() {
        guard inFlight.isEmpty, !drainWaiters.isEmpty else { return }
        let waiters = drainWaiters
        drainWaiters.removeAll()
        for waiter in waiters { waiter.succeed() }
    }
}

/// Collects the answers of a batch and writes them together once all have arrived.
private final class BatchCollector {
    private var slots: [[UInt8]?]
    private var remaining: Int
    private let done: ([[UInt8]]) -> Void

    init(count: Int, done: @escaping ([[UInt8]]) -> Void) {
        slots = Array(repeating: nil, count: count)
        remaining = count
        self.done = done
    }

    func fill(_ index: Int, with body: [UInt8]?) {
        slots[index] = body
        remaining -= 1
        if remaining == 0 { done(slots.compactMap { $0 }) }
    }
}
