import AidProtocol
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Why a call through `RPCClient` failed.
public enum RPCClientError: Error, Sendable, CustomStringConvertible {
    /// The server answered with an error.
    case response(ResponseError)
    /// The connection is gone and could not be re-established.
    case disconnected(String)
    /// No answer within the timeout.
    case timedOut(method: String)

    public var description: String {
        switch self {
        case .response(let error): return error.description
        case .disconnected(let reason): return "disconnected from the daemon: \(reason)"
        case .timedOut(let method): return "no answer to \(method) in time"
        }
    }
}

/// A JSON-RPC client on a Unix socket with a reader thread, many requests in flight, and
/// reconnection: when the daemon restarts, it reconnects, re-sends `initialize`, then re-sends
/// every request that was never answered (the daemon answers every request it has read before
/// it closes a connection, so an unanswered request was never seen and is safe to send again).
public final class RPCClient: Sendable {
    public struct Options: Sendable {
        public var socketPath: String
        /// Sent first on every connection, when set.
        public var initialize: InitializeRequest?
        /// Whether to reconnect when the connection drops.
        public var reconnect: Bool = true
        /// How long to keep trying to reconnect.
        public var reconnectTimeout: Duration = .seconds(15)
        public init(socketPath: String, initialize: InitializeRequest? = nil) {
            self.socketPath = socketPath
            self.initialize = initialize
        }
    }

    private struct Pending {
        let method: String
        let body: [UInt8]
        let complete: @Sendable (Result<JSONValue, RPCClientError>) -> Void
    }

    private struct State {
        var fd: CInt
        var pending: [Int: Pending] = [:]
        var nextID = 0
        var closed = false
        var reconnects = 0
        var unmatchedResponses = 0
    }

    public let options: Options
    private let state: Mutex<State>
    private let writeLock = Mutex<Void>(())
    private let notificationHandler: Mutex<(@Sendable (String, JSONValue?) -> Void)?> = Mutex(nil)

    /// Connects (and initializes, if `options.initialize` is set). Throws if no daemon listens.
    public init(options: Options) throws {
        self.options = options
        let fd = try UnixSocket.connect(path: options.socketPath)
        state = Mutex(State(fd: fd))
        if let initialize = options.initialize {
            _ = try Self.handshake(fd: fd, initialize: initialize)
        }
        let thread = Thread { [self] in self.readLoop() }
        thread.name = "aid-rpc-client-reader"
        thread.start()
    }

    /// Called for every notification the server sends (on the reader thread).
    public func onNotification(_ handler: @escaping @Sendable (String, JSONValue?) -> Void) {
        notificationHandler.withLock { $0 = handler }
    }

    /// How many times the client has reconnected.
    public var reconnectCount: Int { state.withLock { $0.reconnects } }

    /// Requests sent and not yet answered.
    public var inFlightCount: Int { state.withLock { $0.pending.count } }

    /// Responses whose id matched no request waiting for an answer (a second answer to one
    /// request would count here): always 0 against a correct server.
    public var unmatchedResponses: Int { state.withLock { $0.unmatchedResponses } }

    // MARK: Calls

    /// Sends a request; `complete` is called once with the answer. Returns the request's id.
    @discardableResult
    public func send(method: String, params: JSONValue?, complete: @escaping @Sendable (Result<JSONValue, RPCClientError>) -> Void) -> Int {
        let encoded = params.map { JSONWriter.bytes($0) }
        return send(method: method, encodedParams: encoded, complete: complete)
    }

    @discardableResult
    func send(method: String, encodedParams: [UInt8]?, complete: @escaping @Sendable (Result<JSONValue, RPCClientError>) -> Void) -> Int {
        let (id, fd, closed): (Int, CInt, Bool) = state.withLock { state in
            state.nextID += 1
            let id = state.nextID
            let body = OutgoingMessage.request(id: .int(id), method: method, encodedParams: encodedParams)
            if !state.closed { state.pending[id] = Pending(method: method, body: body, complete: complete) }
            return (id, state.fd, state.closed)
        }
        if closed {
            complete(.failure(.disconnected("the client is closed")))
            return id
        }
        let body = state.withLock { $0.pending[id]?.body }
        if let body { write(frame: OutgoingMessage.frame(body), to: fd) }
        return id
    }

    /// Calls `method` and waits for the answer.
    public func call(_ method: String, params: JSONValue? = nil, timeout: Duration = .seconds(60)) throws(RPCClientError) -> JSONValue {
        let box = ResultBox()
        let id = send(method: method, params: params) { box.set($0) }
        guard let result = box.wait(timeout: timeout) else {
            state.withLock { _ = $0.pending.removeValue(forKey: id) }
            throw .timedOut(method: method)
        }
        return try result.get()
    }

    /// Calls `method` without blocking a thread.
    public func call(_ method: String, params: JSONValue? = nil) async throws(RPCClientError) -> JSONValue {
        let result: Result<JSONValue, RPCClientError> = await withCheckedContinuation { continuation in
            send(method: method, params: params) { continuation.resume(returning: $0) }
        }
        return try result.get()
    }

    /// Sends a typed request and waits for its typed answer.
    public func call<R: RPCRequest>(_ request: R, timeout: Duration = .seconds(60)) throws -> R.Result {
        let value = try call(R.method, params: try JSONCoding.jsonValue(request), timeout: timeout)
        return try JSONCoding.decode(R.Result.self, from: value)
    }

    /// Sends a typed request without blocking a thread.
    public func call<R: RPCRequest>(_ request: R) async throws -> R.Result {
        let value = try await call(R.method, params: try JSONCoding.jsonValue(request))
        return try JSONCoding.decode(R.Result.self, from: value)
    }

    /// Sends a notification.
    public func notify(_ method: String, params: JSONValue?) {
        let body = OutgoingMessage.notification(method: method, encodedParams: JSONWriter.bytes(params ?? .object([:])))
        let fd = state.withLock { $0.fd }
        write(frame: OutgoingMessage.frame(body), to: fd)
    }

    /// Asks the server to cancel request `id`; it still answers it (with -32800).
    public func cancel(id: Int) {
        notify(CancelRequestNotification.method, params: .object(["id": .int(id)]))
    }

    /// Closes the connection; calls in flight fail.
    public func close() {
        let (fd, pending) = state.withLock { state -> (CInt, [Pending]) in
            state.closed = true
            let pending = Array(state.pending.values)
            state.pending.removeAll()
            return (state.fd, pending)
        }
        shutdown(fd, Int32(SHUT_RDWR))
        for request in pending { request.complete(.failure(.disconnected("the client was closed"))) }
    }

    // MARK: Wire

    private func write(frame: [UInt8], to fd: CInt) {
        writeLock.withLock { _ in _ = Self.writeAll(fd: fd, frame) }
    }

    static func writeAll(fd: CInt, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }

    /// Sends `initialize` on a fresh connection and reads until its answer arrives.
    static func handshake(fd: CInt, initialize: InitializeRequest) throws -> JSONValue {
        let params = try JSONCoding.encode(initialize)
        let body = OutgoingMessage.request(id: .string("initialize"), method: InitializeRequest.method, encodedParams: params)
        guard writeAll(fd: fd, OutgoingMessage.frame(body)) else { throw RPCClientError.disconnected("could not send initialize") }
        var reader = FrameReader(fd: fd)
        while let message = reader.next() {
            if case .single(.response(let id, let outcome)) = message, id == .string("initialize") {
                return try outcome.mapError { RPCClientError.response($0) }.get()
            }
        }
        throw RPCClientError.disconnected("the connection closed during initialize")
    }

    private func readLoop() {
        var reader = FrameReader(fd: state.withLock { $0.fd })
        while true {
            while let frame = reader.next() { dispatch(frame) }
            // The connection is gone.
            let closed = state.withLock { $0.closed }
            if closed || !options.reconnect || !reconnect(&reader) {
                let pending = state.withLock { state -> [Pending] in
                    state.closed = true
                    let pending = Array(state.pending.values)
                    state.pending.removeAll()
                    return pending
                }
                for request in pending { request.complete(.failure(.disconnected("the connection closed"))) }
                return
            }
        }
    }

    private func reconnect(_ reader: inout FrameReader) -> Bool {
        let deadline = ContinuousClock.now + options.reconnectTimeout
        var delay = Duration.milliseconds(2)
        while ContinuousClock.now < deadline {
            if let fd = try? UnixSocket.connect(path: options.socketPath) {
                if let initialize = options.initialize, (try? Self.handshake(fd: fd, initialize: initialize)) == nil {
                    Glibc.close(fd)
                } else {
                    let (old, resend) = state.withLock { state -> (CInt, [[UInt8]]) in
                        let old = state.fd
                        state.fd = fd
                        state.reconnects += 1
                        return (old, state.pending.keys.sorted().compactMap { state.pending[$0]?.body })
                    }
                    Glibc.close(old)
                    reader = FrameReader(fd: fd)
                    for body in resend { write(frame: OutgoingMessage.frame(body), to: fd) }
                    return true
                }
            }
            Thread.sleep(forTimeInterval: Double(delay.components.attoseconds) * 1e-18)
            delay = min(delay * 2, .milliseconds(50))
        }
        return false
    }

    private func dispatch(_ frame: IncomingFrame) {
        switch frame {
        case .single(let message): dispatch(message)
        case .batch(let messages): messages.forEach(dispatch)
        case .unreadable: break
        }
    }

    private func dispatch(_ message: IncomingMessage) {
        switch message {
        case .response(let id, let outcome):
            guard let key = id.intValue else {
                state.withLock { $0.unmatchedResponses += 1 }
                return
            }
            if case .failure(let error) = outcome, error.code == .daemonRestarting {
                // The daemon restarted before finishing it: it will be sent again after reconnecting.
                return
            }
            let request = state.withLock { state -> Pending? in
                let request = state.pending.removeValue(forKey: key)
                if request == nil { state.unmatchedResponses += 1 }
                return request
            }
            request?.complete(outcome.mapError { .response($0) })
        case .notification(let method, let params):
            let handler = notificationHandler.withLock { $0 }
            handler?(method, params)
        case .invalid(_, let error):
            if error.code == .frameTooLarge || error.code == .invalidRequest {
                let handler = notificationHandler.withLock { $0 }
                handler?("$/error", error.jsonValue)
            }
        case .request:
            break
        }
    }
}

/// Reads LSP frames from a blocking descriptor.
struct FrameReader {
    let fd: CInt
    private var buffer: [UInt8] = []
    private var start = 0

    init(fd: CInt) { self.fd = fd }

    /// The next frame, or nil at end of stream or on an unrecoverable error.
    mutating func next() -> IncomingFrame? {
        while true {
            let available = buffer.count - start
            if available > 0 {
                let parsed = buffer.withUnsafeBytes { raw in
                    FrameHeader.parse(UnsafeRawBufferPointer(rebasing: raw[start...]), maximumFrameBytes: Int.max)
                }
                switch parsed {
                case .header(let headerLength, let contentLength) where available >= headerLength + contentLength:
                    let bodyStart = start + headerLength
                    let frame = buffer.withUnsafeBytes { raw in
                        IncomingFrame(body: UnsafeRawBufferPointer(rebasing: raw[bodyStart..<(bodyStart + contentLength)]))
                    }
                    start = bodyStart + contentLength
                    if start == buffer.count { buffer.removeAll(keepingCapacity: true); start = 0 }
                    return frame
                case .malformed(let headerLength, _):
                    start += headerLength
                    continue
                case .unterminated, .tooLarge:
                    return nil
                default:
                    break
                }
            }
            if start > 0 {
                buffer.removeFirst(start)
                start = 0
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return nil }
            buffer.append(contentsOf: chunk[0..<n])
        }
    }
}

/// A one-shot slot a thread can wait on.
final class ResultBox: Sendable {
    private let value = Mutex<Result<JSONValue, RPCClientError>?>(nil)
    private let semaphore = DispatchSemaphore(value: 0)

    func set(_ result: Result<JSONValue, RPCClientError>) {
        value.withLock { $0 = result }
        semaphore.signal()
    }

    func wait(timeout: Duration) -> Result<JSONValue, RPCClientError>? {
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) * 1e-18
        guard semaphore.wait(timeout: .now() + seconds) == .success else { return nil }
        return value.withLock { $0 }
    }
}
