import AidProtocol
import Foundation
import JSONRPC
import Models
import NIOCore
import NIOHTTP1

/// `POST /v1/chat/completions`: runs the request through the daemon's gateway (same routes,
/// experiments and records as `models/complete`) and answers as OpenAI does, whole or streamed.
struct ModelEndpointChat: Sendable {
    let models: ModelService

    /// Answers the request; returns the status sent.
    func respond(to head: HTTPRequestHead, body: ByteBuffer, responder: HTTPResponder) async throws -> HTTPResponseStatus {
        let params: OpenAIChatParams
        do {
            try models.checkUsable()
            params = try OpenAIChatParams.parse(body, taskHeader: head.headers.first(name: "x-aid-task"), configuration: models.configuration)
        } catch let error as EndpointError {
            try await responder.sendError(status: error.status, type: error.type, code: error.code, message: error.message)
            return error.status
        } catch let error as ResponseError {
            try await responder.sendError(status: .serviceUnavailable, type: "api_error", code: "model_unavailable", message: error.message)
            return .serviceUnavailable
        }
        let id = "chatcmpl-" + UUID.newIdentifier().filter { $0 != "-" }
        let created = Int(Date().timeIntervalSince1970)
        return params.stream
            ? try await stream(params, id: id, created: created, responder: responder)
            : try await whole(params, id: id, created: created, responder: responder)
    }

    private func whole(_ params: OpenAIChatParams, id: String, created: Int, responder: HTTPResponder) async throws -> HTTPResponseStatus {
        do {
            let run = try await models.run(params.request, forcedModel: params.forcedModel, via: "http") { _ in }
            try await responder.sendJSON(OpenAIChunks.completion(run, id: id, created: created), headers: [("x-aid-request-id", run.requestID)])
            return .ok
        } catch let failure as ModelRunFailure {
            let status = Self.status(for: failure.error)
            try await responder.sendJSON(status: status, Self.errorBody(failure))
            return status
        }
    }

    private func stream(_ params: OpenAIChatParams, id: String, created: Int, responder: HTTPResponder) async throws -> HTTPResponseStatus {
        var chunks: OpenAIChunks?
        do {
            let run = try await models.run(params.request, forcedModel: params.forcedModel, via: "http") { event in
                switch event {
                case .started(let model, _):
                    // The head goes out with the first text, so that a request no model can
                    // answer still gets an HTTP error status.
                    let first = OpenAIChunks(id: id, created: created, model: model, includeUsage: params.includeUsage)
                    var parts: [HTTPServerResponsePart] = []
                    if chunks == nil { parts.append(.head(responder.startStream(contentType: "text/event-stream"))) }
                    parts.append(.body(.byteBuffer(ByteBuffer(bytes: first.roleChunk()))))
                    chunks = first
                    try await responder.write(parts)
                case .delta(let text):
                    guard let chunks else { return }
                    try await responder.write([.body(.byteBuffer(ByteBuffer(bytes: chunks.contentChunk(text))))])
                }
            }
            guard let chunks else { throw ModelRunFailure(error: ModelError(.brokenStream, "the answer has no text"), attempts: run.attempts, afterFirstToken: false) }
            var tail = chunks.finishChunk(run.finishReason)
            if params.includeUsage { tail += chunks.usageChunk(run.usage) }
            tail += OpenAIChunks.done
            try await responder.write([.body(.byteBuffer(ByteBuffer(bytes: tail))), .end(nil)])
            return .ok
        } catch let failure as ModelRunFailure {
            if chunks == nil {
                let status = Self.status(for: failure.error)
                try await responder.sendJSON(status: status, Self.errorBody(failure))
                return status
            }
            // The stream had started: the error ends it, without [DONE].
            try await responder.write([.body(.byteBuffer(ByteBuffer(bytes: OpenAIChunks.errorEvent(Self.errorBody(failure))))), .end(nil)])
            return .ok
        }
    }

    /// The HTTP status for a request no model could answer.
    static func status(for error: ModelError) -> HTTPResponseStatus {
        switch error.kind {
        case .configuration, .badRequest: return .badRequest
        case .deadlineExceeded: return .gatewayTimeout
        case .rateLimited: return .tooManyRequests
        default: return .badGateway
        }
    }

    /// OpenAI's error object, with every attempt of the request.
    static func errorBody(_ failure: ModelRunFailure) -> JSONValue {
        let type = failure.error.kind == .configuration || failure.error.kind == .badRequest ? "invalid_request_error" : "api_error"
        guard case .object(var body) = HTTPResponder.errorBody(type: type, code: failure.error.kind.rawValue, message: failure.error.message),
              case .object(var error)? = body["error"] else { return .null }
        error["attempts"] = .array(failure.attemptDescriptions)
        body["error"] = .object(error)
        return .object(body)
    }
}
