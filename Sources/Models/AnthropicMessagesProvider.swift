import AsyncHTTPClient

/// The Anthropic Messages API, streamed, or whole when `ChatRequest.stream` is false (no
/// `stream` field; `content[].text`, `stop_reason` and `usage` are read from the message). Sends
/// `x-api-key` and `anthropic-version`, marks the stable prefix of the prompt with
/// `cache_control: {type: ephemeral}` breakpoints, and reports cache reads and writes in `Usage`.
public struct AnthropicMessagesProvider: ModelProvider {
    private let transport: HTTPEventStream

    public init(client: HTTPClient) {
        transport = HTTPEventStream(client: client)
    }

    public func stream(_ call: ProviderCall, emit: (ModelEvent) async throws -> Void) async throws {
        let model = call.model
        guard let base = HTTPEndpointURL(model.baseURL ?? "") else {
            throw ModelError(.configuration, "base_url is not an http(s) URL", model: model.id)
        }
        var headers: [(String, String)] = [("anthropic-version", AnthropicWire.apiVersion)]
        if let key = call.apiKey { headers.append(("x-api-key", key.secret)) }
        let body = try AnthropicWire.body(for: call.request, model: model)
        var decoder = AnthropicStreamDecoder(model: model.id)
        // Accept both "https://api.anthropic.com" and "https://api.anthropic.com/v1".
        let path = base.text.hasSuffix("/v1") || base.text.hasSuffix("/v1/") ? "messages" : "v1/messages"
        func onEvent(_ event: SSEEvent) async throws -> Bool {
            for modelEvent in try decoder.decode(event) {
                call.activity.noteEvent()
                try await emit(modelEvent)
            }
            return decoder.finished
        }
        if !call.request.stream {
            let answer = try await transport.postWhole(url: base.appending(path), headers: headers, body: body, call: call, onEvent: onEvent)
            if case .body(let bytes, let contentType, let status) = answer {
                for modelEvent in try AnthropicWire.messageEvents(bytes, contentType: contentType, status: status, model: model.id) {
                    call.activity.noteEvent()
                    try await emit(modelEvent)
                }
                return
            }
        } else {
            _ = try await transport.post(url: base.appending(path), headers: headers, body: body, call: call, onEvent: onEvent)
        }
        try decoder.finish()
    }
}
