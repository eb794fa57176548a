import JSONRPC
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// The local OpenAI-compatible HTTP/1.1 server: bound to 127.0.0.1 only, keep-alive, each
/// connection served by one task, on the connection's event loop, that reads a request, lets
/// the router answer it, and reads the next. Closing the connection in the middle of an answer cancels the model call behind it.
final class ModelEndpointServer: Sendable {
    /// The port it listens on.
    let port: Int
    private let channel: any Channel
    private let serving: Task<Void, Never>

    private init(port: Int, channel: any Channel, serving: Task<Void, Never>) {
        self.port = port
        self.channel = channel
        self.serving = serving
    }

    /// Largest request body accepted.
    static let maximumBodyBytes = 32 << 20

    /// Binds 127.0.0.1:`port` (0: a free port) and starts serving.
    static func start(port: Int, router: ModelEndpointRouter, logger: Logger) async throws -> ModelEndpointServer {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: channel)
                }
            }
        guard let boundPort = server.channel.localAddress?.port else {
            try? await server.channel.close()
            throw DaemonError("the endpoint's socket has no port")
        }
        let serving = Task {
            do {
                try await server.executeThenClose { connections in
                    await withDiscardingTaskGroup { group in
                        do {
                            for try await connection in connections {
                                // On the connection's own loop: parsing, routing and the
                                // upstream call wait on I/O and take microseconds of CPU.
                                let executor = EventLoopExecutor(connection.channel.eventLoop)
                                group.addTask(executorPreference: executor) {
                                    await EventLoopExecutor.$current.withValue(executor) {
                                        await serve(connection, router: router, logger: logger)
                                    }
                                }
                            }
                        } catch {
                            if !Task.isCancelled { logger.warning("Models endpoint: accepting stopped: \(error)") }
                        }
                        group.cancelAll()
                    }
                }
            } catch {
                logger.debug("Models endpoint: closed: \(error)")
            }
        }
        return ModelEndpointServer(port: boundPort, channel: server.channel, serving: serving)
    }

    /// Stops accepting, ends every connection (cancelling their model calls) and waits until
    /// the socket is closed.
    func stop() async {
        serving.cancel()
        try? await channel.close()
        await serving.value
    }

    /// Serves the requests of one connection, one after the other.
    private static func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, router: ModelEndpointRouter,
                              logger: Logger) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                var body = ByteBuffer()
                var tooLarge = false
                for try await part in inbound {
                    switch part {
                    case .head(let requestHead):
                        head = requestHead
                        body.clear()
                        tooLarge = false
                    case .body(var bytes):
                        if body.readableBytes + bytes.readableBytes > maximumBodyBytes {
                            tooLarge = true
                        } else if !tooLarge {
                            body.writeBuffer(&bytes)
                        }
                    case .end:
                        guard let request = head else { continue }
                        head = nil
                        let responder = HTTPResponder(outbound: outbound, keepAlive: request.isKeepAlive)
                        if tooLarge {
                            try await responder.sendError(status: .payloadTooLarge, type: "invalid_request_error", code: "body_too_large",
                                                          message: "the request body exceeds \(maximumBodyBytes >> 20) MiB")
                        } else {
                            try await router.respond(to: request, body: body, responder: responder)
                        }
                        if !request.isKeepAlive { return }
                    }
                }
            }
        } catch {
            logger.debug("Models endpoint: connection ended: \(error)")
        }
    }
}
