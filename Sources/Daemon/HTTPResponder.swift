import AidProtocol
import JSONRPC
import NIOCore
import NIOHTTP1

/// Writes one HTTP/1.1 response on an endpoint connection: whole, or as a stream of chunks.
struct HTTPResponder: Sendable {
    let outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    let keepAlive: Bool

    /// A complete response with `body`.
    func send(status: HTTPResponseStatus, contentType: String, body: [UInt8], headers extra: [(String, String)] = []) async throws {
        var headers = baseHeaders(contentType: contentType)
        headers.add(name: "content-length", value: String(body.count))
        for (name, value) in extra { headers.add(name: name, value: value) }
        let head = HTTPResponseHead(version: .http1_1, status: status, headers: headers)
        try await outbound.write(contentsOf: [.head(head), .body(.byteBuffer(ByteBuffer(bytes: body))), .end(nil)])
    }

    /// A JSON response.
    func sendJSON(status: HTTPResponseStatus = .ok, _ value: JSONValue, headers: [(String, String)] = []) async throws {
        try await send(status: status, contentType: "application/json", body: JSONWriter.bytes(value), headers: headers)
    }

    /// An error in OpenAI's format: `{"error": {"message", "type", "param", "code"}}`.
    func sendError(status: HTTPResponseStatus, type: String, code: String?, message: String, headers: [(String, String)] = []) async throws {
        try await sendJSON(status: status, Self.errorBody(type: type, code: code, message: message), headers: headers)
    }

    static func errorBody(type: String, code: String?, message: String) -> JSONValue {
        .object(["error": .object([
            "message": .string(message), "type": .string(type), "param": .null, "code": code.map(JSONValue.string) ?? .null,
        ])])
    }

    /// Starts a chunked response (the head is written with the first chunk).
    func startStream(contentType: String) -> HTTPResponseHead {
        var headers = baseHeaders(contentType: contentType)
        headers.add(name: "cache-control", value: "no-cache")
        headers.add(name: "transfer-encoding", value: "chunked")
        return HTTPResponseHead(version: .http1_1, status: .ok, headers: headers)
    }

    /// Writes and flushes `parts` at once.
    func write(_ parts: [HTTPServerResponsePart]) async throws {
        try await outbound.write(contentsOf: parts)
    }

    private func baseHeaders(contentType: String) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: contentType)
        if !keepAlive { headers.add(name: "connection", value: "close") }
        return headers
    }
}
