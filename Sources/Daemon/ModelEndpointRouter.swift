import AidProtocol
import JSONRPC
import NIOCore
import NIOHTTP1

/// Answers the local endpoint's requests: checks the bearer token of every request, then
/// `POST /v1/chat/completions`, `GET /v1/models` and `GET /metrics`.
struct ModelEndpointRouter: Sendable {
    let models: ModelService
    let token: EndpointToken

    /// The paths served, which are also the `path` label of the request counter.
    static let paths: Set<String> = ["/v1/chat/completions", "/v1/models", "/metrics"]

    func respond(to head: HTTPRequestHead, body: ByteBuffer, responder: HTTPResponder) async throws {
        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? head.uri
        let label = Self.paths.contains(path) ? path : "other"
        do {
            let status = try await route(head, path: path, body: body, responder: responder)
            models.metrics.endpointRequest(path: label, status: Int(status.code))
        } catch {
            // The client went away while the answer was being written.
            models.metrics.endpointRequest(path: label, status: 499)
            throw error
        }
    }

    private func route(_ head: HTTPRequestHead, path: String, body: ByteBuffer, responder: HTTPResponder) async throws -> HTTPResponseStatus {
        guard token.accepts(authorization: head.headers.first(name: "authorization")) else {
            try await responder.sendError(
                status: .unauthorized, type: "invalid_request_error", code: "invalid_api_key",
                message: "missing or wrong bearer token: send 'Authorization: Bearer <token>' with the token in \(token.path)",
                headers: [("www-authenticate", "Bearer")])
            return .unauthorized
        }
        switch (head.method, path) {
        case (.POST, "/v1/chat/completions"):
            return try await ModelEndpointChat(models: models).respond(to: head, body: body, responder: responder)
        case (.GET, "/v1/models"):
            try await responder.sendJSON(modelList())
            return .ok
        case (.GET, "/metrics"):
            try await responder.send(status: .ok, contentType: "text/plain; version=0.0.4; charset=utf-8", body: models.metrics.exposition())
            return .ok
        case (_, let known) where Self.paths.contains(known):
            try await responder.sendError(status: .methodNotAllowed, type: "invalid_request_error", code: "method_not_allowed",
                                          message: "\(head.method.rawValue) is not allowed on \(known)")
            return .methodNotAllowed
        default:
            try await responder.sendError(status: .notFound, type: "invalid_request_error", code: "not_found",
                                          message: "no such endpoint; this server answers POST /v1/chat/completions, GET /v1/models and GET /metrics")
            return .notFound
        }
    }

    /// `GET /v1/models`: every model by id, and every route as `route:<task>`.
    private func modelList() -> JSONValue {
        let configuration = models.configuration
        let entries = configuration.models.values.sorted { $0.id < $1.id }.map { model -> JSONValue in
            .object(["id": .string(model.id), "object": "model", "created": 0, "owned_by": .string(model.provider.rawValue)])
        } + configuration.routes.keys.sorted().map { task -> JSONValue in
            .object(["id": .string("route:\(task)"), "object": "model", "created": 0, "owned_by": "aid"])
        }
        return .object(["object": "list", "data": .array(entries)])
    }
}
