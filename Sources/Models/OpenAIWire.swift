import Foundation

/// The JSON of an OpenAI-compatible Chat Completions request and of its streamed chunks.
enum OpenAIWire {
    struct Request: Encodable {
        struct Message: Encodable {
            var role: String
            var content: String
        }
        struct StreamOptions: Encodable {
            var include_usage: Bool
        }
        struct Prediction: Encodable {
            var type: String
            var content: String
        }
        var model: String
        var messages: [Message]
        var stream: Bool
        var stream_options: StreamOptions
        var max_tokens: Int?
        var max_completion_tokens: Int?
        var temperature: Double?
        var stop: [String]?
        var prediction: Prediction?
    }

    struct Chunk: Decodable {
        struct Choice: Decodable {
            struct Delta: Decodable {
                var content: String?
            }
            var index: Int?
            var delta: Delta?
            var finish_reason: String?
        }
        struct UsageBody: Decodable {
            struct PromptDetails: Decodable {
                var cached_tokens: Int?
            }
            var prompt_tokens: Int?
            var completion_tokens: Int?
            var prompt_tokens_details: PromptDetails?
        }
        struct ErrorBody: Decodable {
            var message: String?
            var type: String?
        }
        var choices: [Choice]?
        var usage: UsageBody?
        var error: ErrorBody?
    }

    /// The request body for `request` sent to `model`.
    static func body(for request: ChatRequest, model: ModelDefinition) throws -> Data {
        let maxTokens = request.maxTokens ?? model.maxOutputTokens
        // OpenAI's own API has replaced `max_tokens` by `max_completion_tokens`; compatible
        // servers (vLLM, Ollama, llama.cpp, LM Studio) know `max_tokens`.
        let usesCompletionTokens = HTTPEndpointURL(model.baseURL ?? "")?.host == "api.openai.com"
        let body = Request(
            model: model.upstreamModel,
            messages: request.messages.map { Request.Message(role: $0.role.rawValue, content: $0.content) },
            stream: true,
            stream_options: Request.StreamOptions(include_usage: true),
            max_tokens: usesCompletionTokens ? nil : maxTokens,
            max_completion_tokens: usesCompletionTokens ? maxTokens : nil,
            temperature: request.temperature,
            stop: request.stop.isEmpty ? nil : request.stop,
            prediction: request.prediction.map { Request.Prediction(type: "content", content: $0) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(body)
    }

    static func finishReason(_ name: String) -> FinishReason {
        switch name {
        case "stop": return .stop
        case "length": return .length
        case "content_filter": return .contentFilter
        case "tool_calls", "function_call": return .toolUse
        default: return .other(name)
        }
    }
}

/// Turns the events of an OpenAI-compatible stream into `ModelEvent`s.
struct OpenAIStreamDecoder {
    let model: String
    private(set) var finished = false
    private var finishReason: FinishReason?
    private var usage: Usage?
    private let decoder = JSONDecoder()

    init(model: String) { self.model = model }

    /// The events `event` adds; after `[DONE]`, the closing `usage` and `done`.
    mutating func decode(_ event: SSEEvent) throws -> [ModelEvent] {
        guard !finished else { return [] }
        let data = event.data.trimmingCharacters(in: .whitespaces)
        if data == "[DONE]" { return close() }
        let chunk: OpenAIWire.Chunk
        do {
            chunk = try decoder.decode(OpenAIWire.Chunk.self, from: Data(data.utf8))
        } catch {
            throw ModelError(.malformedResponse, "a chunk of the stream is not valid Chat Completions JSON (\(Self.excerpt(data))); is base_url an OpenAI-compatible endpoint?", model: model)
        }
        if let error = chunk.error {
            throw ModelError(.upstreamError, "the provider reported an error in the stream: \(error.type ?? "error"): \(error.message ?? "")", model: model)
        }
        var events: [ModelEvent] = []
        for choice in chunk.choices ?? [] where (choice.index ?? 0) == 0 {
            if let text = choice.delta?.content, !text.isEmpty { events.append(.delta(text)) }
            if let reason = choice.finish_reason { finishReason = OpenAIWire.finishReason(reason) }
        }
        if let body = chunk.usage {
            usage = Usage(
                inputTokens: body.prompt_tokens ?? 0,
                outputTokens: body.completion_tokens ?? 0,
                cachedInputTokens: body.prompt_tokens_details?.cached_tokens ?? 0)
        }
        return events
    }

    /// The closing events at the end of the stream; throws `brokenStream` if the answer never
    /// finished.
    mutating func finish() throws -> [ModelEvent] {
        guard !finished else { return [] }
        guard finishReason != nil else {
            throw ModelError(.brokenStream, "the stream ended before the answer finished (no finish_reason and no [DONE])", model: model)
        }
        return close()
    }

    private mutating func close() -> [ModelEvent] {
        finished = true
        var events: [ModelEvent] = []
        if let usage { events.append(.usage(usage)) }
        events.append(.done(finishReason ?? .stop))
        return events
    }

    static func excerpt(_ text: String) -> String {
        text.count <= 80 ? text : String(text.prefix(80)) + "..."
    }
}
