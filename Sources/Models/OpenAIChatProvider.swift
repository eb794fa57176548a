import AsyncHTTPClient

/// OpenAI-compatible Chat Completions (OpenAI, vLLM, Ollama, llama.cpp, LM Studio). A streamed
/// request sends `stream_options.include_usage` so the last chunk carries token counts,
/// including `prompt_tokens_details.cached_tokens`; a whole request (`ChatRequest.stream` false)
/// sends `stream: false` and reads `choices[0].message`, `finish_reason` and `usage` (a server
/// that streams anyway is read as a stream). `prediction` is passed through when the request
/// has one.
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
        func onEvent(_ event: SSEEvent) async throws -> Bool {
            let events = try decoder.decode(event)
            for modelEvent in events {
                call.activity.noteEvent()
                try await emit(modelEvent)
            }
            return decoder.finished
        }
        if !call.request.stream {
            let answer = try await transport.postWhole(url: base.appending("chat/completions"), headers: headers, body: body, call: call, onEvent: onEvent)
            if case .body(let bytes, let contentType, let status) = answer {
                for modelEvent in try OpenAIWire.completionEvents(bytes, contentType: contentType, status: status, model: model.id) {
                    call.activity.noteEvent()
                    try await emit(modelEvent)
                }
                return
            }
        } else {
            _ = try await transport.post(url: base.appending("chat/completions"), headers: headers, body: body, call: call, onEvent: onEvent)
        }
        for modelEvent in try decoder.finish() {
            call.activity.noteEvent()
            try await emit(modelEvent)
        }
    }
}
