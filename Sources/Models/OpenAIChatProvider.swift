import AsyncHTTPClient

/// OpenAI-compatible Chat Completions with streaming (OpenAI, vLLM, Ollama, llama.cpp, LM Studio).
/// Sends `stream_options.include_usage` so the last chunk carries token counts, including
/// `prompt_tokens_details.cached_tokens`, and passes `prediction` through when the request has one.
public struct OpenAIChatProvider: ModelProvider {
    private let transport: HTTPEventStream

    public init(client: HTTPClient) {
        transport = HTTPEventStream(client: client)
    }

    public func stream(_ call: ProviderCall, emit: (ModelEvent) async throws -> Void) async throws {
        let model = call.model
        guard let base = HTTPEndpointURL(model.baseURL ?? "") else {
            throw ModelError(.configuration, "base_url is not an http(s) URL", model: model.id)
        }
        var headers: [(String, String)] = []
        if let key = call.apiKey { headers.append(("authorization", "Bearer \(key.secret)")) }
        let body = try OpenAIWire.body(for: call.request, model: model)
        var decoder = OpenAIStreamDecoder(model: model.id)
        _ = try await transport.post(url: base.appending("chat/completions"), headers: headers, body: body, call: call) { event in
            let events = try decoder.decode(event)
            for modelEvent in events {
                call.activity.noteEvent()
                try await emit(modelEvent)
            }
            return decoder.finished
        }
        for modelEvent in try decoder.finish() {
            call.activity.noteEvent()
            try await emit(modelEvent)
        }
    }
}
