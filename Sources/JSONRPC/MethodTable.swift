import AidProtocol
import Logging

/// The methods a server answers: one typed handler per request type, one per notification type.
/// Built once before the server starts.
public struct MethodTable: Sendable {
    typealias RequestHandler = @Sendable (JSONValue?, RequestContext) async throws -> [UInt8]
    typealias ImmediateHandler = @Sendable (JSONValue?, RequestContext) throws -> [UInt8]
    typealias NotificationHandler = @Sendable (JSONValue?, NotificationContext) async throws -> Void

    /// How a request method is served.
    enum Handler: Sendable {
        /// Answered inside the read that brought the request.
        case immediate(ImmediateHandler)
        /// A task of its own; with `onEventLoop`, one that prefers the connection's event loop.
        case task(RequestHandler, onEventLoop: Bool)
    }

    private(set) var requests: [String: Handler] = [:]
    private(set) var notifications: [String: NotificationHandler] = [:]
    /// For params given by position: the parameter names of each method, in order.
    public var positionalParameterNames: [String: [String]] = [:]

    /// Notifications the connection handles itself.
    public static let builtInNotifications: Set<String> = [CancelRequestNotification.method]

    public init() {}

    /// Every request method with a handler.
    public var requestMethods: [String] { requests.keys.sorted() }
    /// Every notification with a handler, built-in ones included.
    public var notificationMethods: [String] { Set(notifications.keys).union(Self.builtInNotifications).sorted() }

    /// Registers the handler of request type `R`; it runs as a task of its own, so requests
    /// on one connection are answered as they finish.
    ///
    /// With `onEventLoop`, that task runs on the event loop of the connection the request came
    /// on rather than Swift's cooperative pool: for handlers that mostly wait on I/O (a model
    /// call) and never block, whose reads, writes and streamed notifications then need no hop
    /// between threads.
    public mutating func register<R: RPCRequest>(
        _ type: R.Type, onEventLoop: Bool = false, _ handler: @escaping @Sendable (R, RequestContext) async throws -> R.Result
    ) {
        let decode = Self.paramsDecoder(R.self, method: R.method)
        requests[R.method] = .task({ params, context in
            try JSONCoding.encode(try await handler(try decode(params), context))
        }, onEventLoop: onEventLoop)
    }

    /// Registers a handler of request type `R` that answers at once: it runs inside the read
    /// that brought the request, on the connection's event loop, and its answer is written in
    /// the same loop tick, with no task and no hop between threads. Only for handlers that
    /// take microseconds and never block (status, listings, `initialize`).
    public mutating func registerImmediate<R: RPCRequest>(
        _ type: R.Type, _ handler: @escaping @Sendable (R, RequestContext) throws -> R.Result
    ) {
        let decode = Self.paramsDecoder(R.self, method: R.method)
        requests[R.method] = .immediate { params, context in try JSONCoding.encode(try handler(try decode(params), context)) }
    }

    /// Registers a synchronous handler whose result writes its own JSON (see `JSONWritable`).
    public mutating func registerImmediate<R: RPCRequest>(
        _ type: R.Type, _ handler: @escaping @Sendable (R, RequestContext) throws -> R.Result
    ) where R.Result: JSONWritable {
        let decode = Self.paramsDecoder(R.self, method: R.method)
        requests[R.method] = .immediate { params, context in
            var out: [UInt8] = []
            out.reserveCapacity(512)
            try handler(try decode(params), context).writeJSON(into: &out)
            return out
        }
    }

    /// Registers a handler for request method `method` taking and returning raw JSON (for tests
    /// and tools). With `onEventLoop`, its tasks run on the connection's loop in the order their
    /// requests arrived, so handlers that never suspend are answered in that order.
    public mutating func registerRaw(_ method: String, onEventLoop: Bool = false,
                                     _ handler: @escaping @Sendable (JSONValue?, RequestContext) async throws -> JSONValue) {
        requests[method] = .task({ params, context in JSONWriter.bytes(try await handler(params, context)) }, onEventLoop: onEventLoop)
    }

    /// Registers the handler of notification type `N`.
    public mutating func register<N: RPCNotification>(
        _ type: N.Type, _ handler: @escaping @Sendable (N, NotificationContext) async throws -> Void
    ) {
        let decode = Self.paramsDecoder(N.self, method: N.method)
        notifications[N.method] = { params, context in try await handler(try decode(params), context) }
    }

    func handler(for method: String) -> Handler? { requests[method] }

    /// Turns params given by position into params by name, using `positionalParameterNames`.
    func namedParams(_ params: JSONValue?, method: String) throws -> JSONValue? {
        // Without names, params by position reach the handler as they are (typed handlers
        // refuse them with a clear message, raw ones may take arrays).
        guard case .array(let elements)? = params, let names = positionalParameterNames[method] else { return params }
        guard elements.count <= names.count else {
            throw ResponseError(.invalidParams, "\(method) takes at most \(names.count) positional params (\(names.joined(separator: ", "))), got \(elements.count)")
        }
        var members: [String: JSONValue] = [:]
        for (name, value) in zip(names, elements) where value != .null { members[name] = value }
        return .object(members)
    }
    func notificationHandler(for method: String) -> NotificationHandler? { notifications[method] }

    /// Decodes params given by name, by position, as null or not at all; a mismatch throws
    /// `invalidParams` naming the offending field.
    /// Decodes the params of `method` as `T`. Messages without params (a status poll) all
    /// decode to the same value, so that one is decoded once, here.
    static func paramsDecoder<T: Decodable & Sendable>(_ type: T.Type, method: String) -> @Sendable (JSONValue?) throws -> T {
        let withoutParams = try? decodeParams(T.self, nil, method: method)
        return { params in
            if let withoutParams, params == nil || params == .null { return withoutParams }
            return try decodeParams(T.self, params, method: method)
        }
    }

    static func decodeParams<T: Decodable>(_ type: T.Type, _ params: JSONValue?, method: String) throws -> T {
        let object: JSONValue
        switch params {
        case nil, .null?:
            object = .object([:])
        case .array?:
            throw ResponseError(.invalidParams, "\(method) takes its params by name (a JSON object), not by position")
        case let value?:
            object = value
        }
        do {
            return try JSONCoding.decode(type, from: object)
        } catch {
            throw ResponseError(.invalidParams, "invalid params for \(method): \(JSONCoding.describe(error))")
        }
    }
}
