import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// POSTs a JSON body and reads the answer as a server-sent event stream, mapping every failure
/// to a `ModelError`.
struct HTTPEventStream: Sendable {
    let client: HTTPClient

    /// Sends the request and calls `onEvent` for each event until it returns `true` (the answer
    /// is complete) or the stream ends. Returns whether `onEvent` said the answer was complete.
    func post(
        url: String,
        headers: [(String, String)],
        body: Data,
        call: ProviderCall,
        onEvent: (SSEEvent) async throws -> Bool
    ) async throws -> Bool {
        let model = call.model
        let response = try await send(url: url, headers: headers, body: body, accept: "text/event-stream", call: call)
        let contentType = response.headers.first(name: "content-type")?.lowercased() ?? ""
        guard contentType.hasPrefix("text/event-stream") else {
            throw ModelError(.wrongContentType, "expected an event stream (text/event-stream) but got \(contentType.isEmpty ? "no content type" : contentType); check that base_url (\(model.baseURL ?? "")) points at the provider's API", model: model.id, httpStatus: Int(response.status.code))
        }
        return try await readEvents(response, call: call, onEvent: onEvent)
    }

    /// The answer to a non-streamed request.
    enum WholeAnswer {
        /// The JSON body (anything but an event stream; the caller decodes it).
        case body([UInt8], contentType: String, status: Int)
        /// The server streamed anyway (it ignored `stream: false`): the events went to `onEvent`;
        /// whether it said the answer was complete.
        case streamed(finished: Bool)
    }

    /// Sends a non-streamed request and reads its whole body (at most `call.maxResponseBytes`).
    /// A server that answers with an event stream anyway has its events passed to `onEvent`, as
    /// `post` does.
    func postWhole(
        url: String,
        headers: [(String, String)],
        body: Data,
        call: ProviderCall,
        onEvent: (SSEEvent) async throws -> Bool
    ) async throws -> WholeAnswer {
        let model = call.model
        let response = try await send(url: url, headers: headers, body: body, accept: "application/json", call: call)
        let contentType = response.headers.first(name: "content-type")?.lowercased() ?? ""
        if contentType.hasPrefix("text/event-stream") {
            return .streamed(finished: try await readEvents(response, call: call, onEvent: onEvent))
        }
        var bytes: [UInt8] = []
        if let length = response.headers.first(name: "content-length").flatMap(Int.init), length <= call.maxResponseBytes {
            bytes.reserveCapacity(length)
        }
        do {
            for try await buffer in response.body {
                call.activity.noteBytes(buffer.readableBytes)
                if bytes.count + buffer.readableBytes > call.maxResponseBytes {
                    throw ModelError(.responseTooLarge, "the answer exceeded \(call.maxResponseBytes) bytes; raise gateway.max_response_bytes if this is expected", model: model.id)
                }
                bytes.append(contentsOf: buffer.readableBytesView)
            }
        } catch {
            throw Self.map(error, model: model, phase: "reading the answer")
        }
        return .body(bytes, contentType: contentType, status: Int(response.status.code))
    }

    /// Sends the request; returns the response once its head says 2xx, throws the mapped
    /// `HTTPFailure` otherwise.
    private func send(url: String, headers: [(String, String)], body: Data, accept: String, call: ProviderCall) async throws -> HTTPClientResponse {
        let model = call.model
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.headers.replaceOrAdd(name: "content-type", value: "application/json")
        request.headers.replaceOrAdd(name: "accept", value: accept)
        request.body = .bytes(ByteBuffer(bytes: body))

        let response: HTTPClientResponse
        do {
            // Timeouts are enforced by the gateway's watchdog, which cancels this task.
            response = try await client.execute(request, timeout: .hours(24))
        } catch {
            throw Self.map(error, model: model, phase: "connecting to \(model.baseURL ?? url)")
        }
        call.activity.noteBytes(0)

        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            let body = await Self.collectErrorBody(response.body)
            throw HTTPFailure.error(status: status, retryAfterHeader: response.headers.first(name: "retry-after"), body: body, model: model, key: call.apiKey)
        }
        return response
    }

    /// Reads `response` as an event stream, as `post` describes.
    private func readEvents(_ response: HTTPClientResponse, call: ProviderCall, onEvent: (SSEEvent) async throws -> Bool) async throws -> Bool {
        let model = call.model
        var parser = SSEParser(maxEventBytes: min(call.maxResponseBytes, 4 << 20))
        var received = 0
        do {
            for try await buffer in response.body {
                received += buffer.readableBytes
                call.activity.noteBytes(buffer.readableBytes)
                if received > call.maxResponseBytes {
                    throw ModelError(.responseTooLarge, "the answer exceeded \(call.maxResponseBytes) bytes; raise gateway.max_response_bytes if this is expected", model: model.id)
                }
                for event in try parser.feed(buffer.readableBytesView) {
                    if try await onEvent(event) { return true }
                }
            }
        } catch {
            throw Self.map(error, model: model, phase: "reading the answer")
        }
        if parser.hasPartialEvent {
            throw ModelError(.brokenStream, "the stream ended in the middle of an event", model: model.id)
        }
        return false
    }

    /// Reads at most 64 KiB of an error body; failures yield what was read.
    private static func collectErrorBody(_ body: HTTPClientResponse.Body) async -> [UInt8] {
        var bytes: [UInt8] = []
        do {
            for try await buffer in body {
                bytes.append(contentsOf: buffer.readableBytesView.prefix(65_536 - bytes.count))
                if bytes.count >= 65_536 { break }
            }
        } catch {}
        return bytes
    }

    /// The `ModelError` (or `CancellationError`) for a failure while `phase`.
    static func map(_ error: Error, model: ModelDefinition, phase: String) -> Error {
        if error is CancellationError || Task.isCancelled { return CancellationError() }
        if let modelError = error as? ModelError { return modelError }
        if let parserError = error as? SSEParserError {
            return ModelError(.malformedResponse, parserError.description, model: model.id)
        }
        if let clientError = error as? HTTPClientError {
            switch clientError {
            case .connectTimeout:
                return ModelError(.connectTimeout, "no connection within gateway.connect_timeout_ms while \(phase); check that the server is up", model: model.id)
            case .cancelled:
                return CancellationError()
            case .deadlineExceeded:
                return ModelError(.deadlineExceeded, "the request's deadline passed while \(phase)", model: model.id)
            case .remoteConnectionClosed:
                return ModelError(phase == "reading the answer" ? .brokenStream : .connection, "the server closed the connection while \(phase)", model: model.id)
            case .readTimeout:
                return ModelError(.idleTimeout, "the server stopped sending while \(phase)", model: model.id)
            default:
                let kind: ModelError.Kind = phase == "reading the answer" ? .brokenStream : .connection
                return ModelError(kind, "\(clientError) while \(phase)", model: model.id)
            }
        }
        let kind: ModelError.Kind = phase == "reading the answer" ? .brokenStream : .connection
        return ModelError(kind, "\(String(describing: error)) while \(phase); check base_url and that the server is up", model: model.id)
    }
}
