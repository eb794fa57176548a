import AidProtocol
import AidTestSupport
import AsyncHTTPClient
import Foundation
import JSONRPC
import Models
import ModelsTestSupport
import NIOCore
import NIOHTTP1
import Synchronization

/// A `[models.<id>]` table for a model served by `server`.
func modelTable(_ id: String, server: FakeModelServer, provider: ProviderKind = .openai, keyVariable: String? = nil,
                extra: String = "") -> String {
    let url = provider == .openai ? server.baseURL + "/v1" : server.baseURL
    var lines = ["[models.\(id)]", "provider = \"\(provider.rawValue)\"", "model = \"\(id)-upstream\"", "base_url = \"\(url)\""]
    if let keyVariable { lines.append("api_key_env = \"\(keyVariable)\"") }
    if !extra.isEmpty { lines.append(extra) }
    return lines.joined(separator: "\n") + "\n"
}

/// Gateway settings that keep failing tests short and passing tests patient.
let testGatewayTable = """
    [gateway]
    connect_timeout_ms = 2000
    first_token_timeout_ms = 15000
    idle_timeout_ms = 15000
    backoff_base_ms = 20
    backoff_max_ms = 100

    """

/// A daemon started with a models configuration, and one client of it.
struct ModelDaemon {
    let daemon: TestDaemon
    let client: RPCClient

    static func start(config: String, environment: [String: String] = [:]) throws -> ModelDaemon {
        let daemon = try TestDaemon(config: config)
        daemon.daemonEnvironment = environment
        do {
            try daemon.start()
            return ModelDaemon(daemon: daemon, client: try daemon.connect())
        } catch {
            daemon.cleanUp()
            throw error
        }
    }

    func cleanUp() {
        client.close()
        daemon.cleanUp()
    }
}

/// Collects the notifications a client receives, and lets a test wait for them.
final class NotificationInbox: Sendable {
    private struct Waiter {
        var id: Int
        var predicate: @Sendable ([(String, JSONValue)]) -> Bool
        var continuation: CheckedContinuation<Bool, Never>
    }
    private struct State {
        var received: [(String, JSONValue)] = []
        var waiters: [Waiter] = []
        var nextID = 0
    }
    private let state = Mutex(State())

    /// Starts collecting `client`'s notifications.
    init(_ client: RPCClient) {
        client.onNotification { [self] method, params in self.append(method, params ?? .null) }
    }

    private func append(_ method: String, _ params: JSONValue) {
        let ready = state.withLock { state -> [Waiter] in
            state.received.append((method, params))
            let received = state.received
            let ready = state.waiters.filter { $0.predicate(received) }
            state.waiters.removeAll { waiter in ready.contains { $0.id == waiter.id } }
            return ready
        }
        for waiter in ready { waiter.continuation.resume(returning: true) }
    }

    /// The params of every notification `method` received so far, in order.
    func params(_ method: String) -> [JSONValue] {
        state.withLock { $0.received.filter { $0.0 == method }.map(\.1) }
    }

    /// The texts of the `models/delta` notifications received with `token`, in order.
    func deltas(token: JSONValue) -> [String] {
        params(ModelDeltaNotification.method).compactMap { $0["token"] == token ? $0["text"]?.stringValue : nil }
    }

    /// Every `models/delta` received, whatever its token.
    var allDeltas: Int { params(ModelDeltaNotification.method).count }

    /// Waits until `count` deltas with `token` have arrived; false after `timeout`.
    func waitForDeltas(_ count: Int, token: JSONValue, timeout: Duration = .seconds(20)) async -> Bool {
        await wait(timeout: timeout) { received in
            received.filter { $0.0 == ModelDeltaNotification.method && $0.1["token"] == token }.count >= count
        }
    }

    /// Waits until `count` notifications `method` have arrived; false after `timeout`.
    func wait(for method: String, count: Int = 1, timeout: Duration = .seconds(20)) async -> Bool {
        await wait(timeout: timeout) { received in received.filter { $0.0 == method }.count >= count }
    }

    /// Waits until `predicate` holds for the notifications received so far; false after `timeout`.
    func wait(timeout: Duration, until predicate: @escaping @Sendable ([(String, JSONValue)]) -> Bool) async -> Bool {
        await withCheckedContinuation { continuation in
            let id = state.withLock { state -> Int? in
                if predicate(state.received) { return nil }
                state.nextID += 1
                state.waiters.append(Waiter(id: state.nextID, predicate: predicate, continuation: continuation))
                return state.nextID
            }
            guard let id else { return continuation.resume(returning: true) }
            Task {
                try? await Task.sleep(for: timeout)
                let expired = self.state.withLock { state -> Waiter? in
                    guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                    return state.waiters.remove(at: index)
                }
                expired?.continuation.resume(returning: false)
            }
        }
    }
}

/// Plain HTTP calls to the daemon's local endpoint.
enum EndpointHTTP {
    /// Lives as long as the test process: no proxy, no redirects.
    static let client = ModelGateway.makeHTTPClient(settings: GatewaySettings())

    struct Response {
        var status: Int
        var headers: HTTPHeaders
        var body: String
        var json: JSONValue? { try? JSONParser.parse(body) }
    }

    static func send(_ url: String, method: HTTPMethod = .GET, token: String?, body: String? = nil,
                     headers: [(String, String)] = []) async throws -> Response {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let token { request.headers.add(name: "authorization", value: "Bearer \(token)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await client.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 8 << 20)
        return Response(status: Int(response.status.code), headers: response.headers, body: String(buffer: bytes))
    }

    /// The `data:` payloads of a server-sent event stream, in order.
    static func events(_ body: String) -> [String] {
        body.components(separatedBy: "\n").filter { $0.hasPrefix("data: ") }.map { String($0.dropFirst(6)) }
    }
}

/// A value set once from another thread (a callback), read by the test.
final class Slot<Value: Sendable>: Sendable {
    private let value = Mutex<Value?>(nil)

    func set(_ newValue: Value) { value.withLock { $0 = newValue } }
    var current: Value? { value.withLock { $0 } }
}
