/// A scripted answer of the fake model server: a status, headers and steps that send bytes,
/// stall or close the connection. The response head is sent just before the first bytes (so a
/// script starting with `.stall` sends nothing at all); a script that ends without stalling or
/// closing ends the body normally.
public struct FakeResponse: Sendable, Hashable {
    /// One step of the answer.
    public enum Step: Sendable, Hashable {
        /// Sends the response head now (it is otherwise sent with the first bytes).
        case head
        /// Writes and flushes these bytes of the body.
        case send([UInt8])
        /// Sends nothing more and keeps the connection open until the client closes it.
        case stall
        /// Closes the TCP connection at once, without ending the body.
        case closeConnection
        /// Waits until the test calls `FakeModelServer.resume()`, then goes on with the next steps
        /// (to act only once the client has seen what came before).
        case waitForResume
        /// Waits this long, then goes on with the next steps (to spread a stream out in time).
        case pause(Duration)
    }

    /// The HTTP status.
    public var status: Int
    /// The response headers, in order.
    public var headers: [RecordedRequest.Header]
    /// What to do after the request arrives, in order.
    public var steps: [Step]

    public init(status: Int, headers: [(String, String)] = [], steps: [Step]) {
        self.status = status
        self.headers = headers.map { RecordedRequest.Header(name: $0.0, value: $0.1) }
        self.steps = steps
    }

    /// Writes `text` as one step.
    public static func text(_ text: String) -> Step { .send(Array(text.utf8)) }

    /// A complete event stream of `events` (each a full SSE event, blank line included).
    public static func events(_ events: [String], contentType: String = "text/event-stream") -> FakeResponse {
        FakeResponse(status: 200, headers: [("content-type", contentType), ("cache-control", "no-cache")], steps: events.map(text))
    }

    /// The first `count` of `events`, then silence with the connection held open.
    public static func events(_ events: [String], stallAfter count: Int) -> FakeResponse {
        var response = Self.events(Array(events.prefix(count)))
        // Send the head first so that a stall at 0 withholds only the tokens.
        response.steps.insert(.head, at: 0)
        response.steps.append(.stall)
        return response
    }

    /// The first `count` of `events`, then half of the next one, then the connection closes.
    public static func events(_ events: [String], breakAfter count: Int) -> FakeResponse {
        var response = Self.events(Array(events.prefix(count)))
        if count < events.count {
            let next = Array(events[count].utf8)
            response.steps.append(.send(Array(next.prefix(max(1, next.count / 2)))))
        }
        response.steps.append(.closeConnection)
        return response
    }

    /// A complete event stream of `events` written in writes of about `writeBytes` bytes (for
    /// large answers, which would otherwise take one write per event).
    public static func events(_ events: [String], writeBytes: Int) -> FakeResponse {
        var response = Self.events([])
        var pending: [UInt8] = []
        for event in events {
            pending.append(contentsOf: event.utf8)
            if pending.count >= writeBytes {
                response.steps.append(.send(pending))
                pending.removeAll(keepingCapacity: true)
            }
        }
        if !pending.isEmpty { response.steps.append(.send(pending)) }
        return response
    }

    /// The first `count` of `events`; then, once the test calls `FakeModelServer.resume()`,
    /// half of the next one and a closed connection.
    public static func events(_ events: [String], breakOnResumeAfter count: Int) -> FakeResponse {
        var response = Self.events(events, breakAfter: count)
        response.steps.insert(.waitForResume, at: response.steps.count - (count < events.count ? 2 : 1))
        return response
    }

    /// A non-streaming answer with `status` and a JSON (or other) body.
    public static func status(_ status: Int, body: String = "", contentType: String = "application/json", headers: [(String, String)] = []) -> FakeResponse {
        let bytes = Array(body.utf8)
        return FakeResponse(
            status: status,
            headers: [("content-type", contentType), ("content-length", "\(bytes.count)")] + headers,
            steps: bytes.isEmpty ? [] : [.send(bytes)])
    }

    /// A whole (non-streamed) 200 answer with the JSON `body` (see `FakeWire.openAICompletion`
    /// and `FakeWire.anthropicMessage`).
    public static func json(_ body: String) -> FakeResponse {
        status(200, body: body)
    }

    /// A 500 with an OpenAI/Anthropic-style error body.
    public static func serverError(_ message: String = "internal error") -> FakeResponse {
        status(500, body: #"{"error":{"type":"server_error","message":"\#(message)"}}"#)
    }

    /// A 429 asking the client to wait `retryAfter` (seconds or an HTTP date).
    public static func rateLimited(retryAfter: String) -> FakeResponse {
        status(429, body: #"{"error":{"type":"rate_limit_error","message":"Rate limit reached"}}"#, headers: [("retry-after", retryAfter)])
    }

    /// A 503 asking the client to wait `retryAfter`.
    public static func unavailable(retryAfter: String) -> FakeResponse {
        status(503, body: #"{"error":{"type":"overloaded","message":"Service unavailable"}}"#, headers: [("retry-after", retryAfter)])
    }

    /// A 200 HTML page where an event stream was expected (a proxy or a wrong base URL).
    public static func htmlPage() -> FakeResponse {
        status(200, body: "<html><body>Welcome to nginx!</body></html>", contentType: "text/html; charset=utf-8")
    }

    /// Headers sent, then nothing: no token ever arrives.
    public static let stallBeforeFirstToken = events([], stallAfter: 0)

    /// Nothing sent at all, not even the head.
    public static let silent = FakeResponse(status: 200, steps: [.stall])
}
