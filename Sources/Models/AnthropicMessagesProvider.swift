import AsyncHTTPClient

/// The Anthropic Messages API with streaming. Sends `x-api-key` and `anthropic-version`, marks
/// the stable prefix of the prompt with `cache_control: {type: ephemeral}` breakpoints, and
/// reports cache reads and writes in `Usage`.
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
        _ = try await transport.post(url: base.appending(path), headers: headers, body: body, call: call) { event in
            for modelEvent in try decoder.decode(event) {
                call.activity.noteEvent()
                try await emit(modelEvent)
            }
            return decoder.finished
        }
        try decoder.finish()
    }
}
