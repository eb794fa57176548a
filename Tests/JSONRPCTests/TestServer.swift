import AidProtocol
import AidTestSupport
import Foundation
import JSONRPC
import Logging
import NIOPosix

/// An in-process JSON-RPC server on a real Unix socket with the methods of the JSON-RPC 2.0
/// specification's examples and a few for behaviour tests.
final class TestServer {
    let directory: TestDirectory
    let server: RPCServer
    let socket: String
    /// One element each time `test/stubborn` has sent its piece after being cancelled.
    let lateSends: AsyncStream<Void>

    init(configure: (inout RPCServerConfiguration) -> Void = { _ in }) async throws {
        directory = try TestDirectory("s")
        socket = directory.file("rpc.sock")
        var table = MethodTable()
        table.positionalParameterNames = ["subtract": ["minuend", "subtrahend"], "test/echo": ["value"]]
        // The quick methods run on the connection's loop, in arrival order: the specification's
        // examples prove that a message gets no answer by the answer to a request sent after it
        // coming first, which tasks on the shared pool (finishing in any order) do not promise.
        table.registerRaw("subtract", onEventLoop: true) { params, _ in
            guard let a = params?["minuend"]?.intValue, let b = params?["subtrahend"]?.intValue else {
                throw ResponseError(.invalidParams, "minuend and subtrahend must be integers")
            }
            return .int(a - b)
        }
        table.registerRaw("sum", onEventLoop: true) { params, _ in
            .int((params?.arrayValue ?? []).compactMap(\.intValue).reduce(0, +))
        }
        table.positionalParameterNames["sum"] = nil
        table.registerRaw("get_data", onEventLoop: true) { _, _ in ["hello", 5] }
        table.registerRaw("test/echo", onEventLoop: true) { params, _ in params?["value"] ?? .null }
        table.registerRaw("test/sleep") { params, context in
            let ms = params?["ms"]?.intValue ?? 60_000
            context.progress(.init(kind: .begin, title: "sleeping"))
            try await Task.sleep(for: .milliseconds(ms))
            context.progress(.init(kind: .end))
            return "slept"
        }
        // Streams a piece, then keeps running after it is cancelled (as a handler busy upstream
        // does for a moment) and streams one more.
        let (lateSends, lateSent) = AsyncStream.makeStream(of: Void.self)
        self.lateSends = lateSends
        table.registerRaw("test/stubborn") { _, context in
            context.send(PieceNotification(text: "before"))
            let (cancelled, cancel) = AsyncStream.makeStream(of: Void.self)
            await withTaskCancellationHandler {
                for await _ in cancelled {}
            } onCancel: {
                cancel.finish()
            }
            context.send(PieceNotification(text: "after"))
            lateSent.yield()
            return "done"
        }
        table.registerImmediate(HalveRequest.self) { request, _ in
            guard request.value % 2 == 0 else { throw ResponseError(.invalidParams, "value must be even, got \(request.value)") }
            return request.value / 2
        }
        table.registerImmediate(BrokenRequest.self) { _, _ in throw BrokenRequest.Failure() }
        var configuration = RPCServerConfiguration()
        configure(&configuration)
        var logger = Logger(label: "test-server")
        logger.logLevel = .critical
        server = RPCServer(configuration: configuration, methods: table, logger: logger)
        let fd = try UnixSocket.listen(path: socket)
        try await server.start(listeningSocket: fd)
    }

    func client() throws -> RPCClient {
        var options = RPCClient.Options(socketPath: socket)
        options.reconnect = false
        return try RPCClient(options: options)
    }

    func raw() throws -> RawConnection { try RawConnection(path: socket) }

    func stop() async {
        await server.stop()
        directory.remove()
    }
}

/// Halves an even number; answered at once, inside the read.
struct HalveRequest: RPCRequest {
    typealias Result = Int
    static let method = "test/halve"
    var value: Int
}

/// An immediate handler that fails with an error that is not a `ResponseError`.
struct BrokenRequest: RPCRequest {
    typealias Result = Int
    static let method = "test/broken"
    struct Failure: Error {}
}

/// A piece of a streamed answer, as `test/stubborn` sends it.
struct PieceNotification: RPCNotification {
    static let method = "test/piece"
    var text: String
}
