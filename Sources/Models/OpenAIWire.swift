import Foundation

/// The JSON of an OpenAI-compatible Chat Completions request, of its streamed chunks and of a
/// whole (non-streamed) completion.
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
        /// Only with `stream: true` (OpenAI rejects it otherwise).
        var stream_options: StreamOptions?
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

            var usage: Usage {
                Usage(inputTokens: prompt_tokens ?? 0, outputTokens: completion_tokens ?? 0,
                      cachedInputTokens: prompt_tokens_details?.cached_tokens ?? 0)
            }
        }
        struct ErrorBody: Decodable {
            var message: String?
            var type: String?
        }
        var choices: [Choice]?
        var usage: UsageBody?
        var error: ErrorBody?
    }

    /// A whole (non-streamed) completion: `choices[0].message`, its `finish_reason`, `usage`.
    struct Completion: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable {
                var content: String?
            }
            var index: Int?
            var message: Message?
            var finish_reason: String?
        }
        var choices: [Choice]?
        var usage: Chunk.UsageBody?
        var error: Chunk.ErrorBody?
    }

    /// The events of a whole completion `body`: the text as one delta, the usage, the end.
    /// Throws `malformedResponse` when it is not Chat Completions JSON (`wrongContentType` when it
    /// is not JSON and not labelled JSON either: a web page), `upstreamError` for an error object.
    static func completionEvents(_ body: [UInt8], contentType: String, status: Int, model: String) throws -> [ModelEvent] {
        let completion: Completion
        do {
            completion = try JSONDecoder().decode(Completion.self, from: Data(body))
        } catch {
            throw WholeBody.decodingError(body, contentType: contentType, status: status, model: model, api: "Chat Completions", hint: "is base_url an OpenAI-compatible endpoint?")
        }
        if let error = completion.error {
            throw ModelError(.upstreamError, "the provider reported an error: \(error.type ?? "error"): \(error.message ?? "")", model: model)
        }
        guard let choice = completion.choices?.first(where: { ($0.index ?? 0) == 0 }) else {
            throw ModelError(.malformedResponse, "the completion has no choices (\(WholeBody.excerpt(body))); is base_url an OpenAI-compatible endpoint?", model: model)
        }
        var events: [ModelEvent] = []
        if let text = choice.message?.content, !text.isEmpty { events.append(.delta(text)) }
        if let body = completion.usage { events.append(.usage(body.usage)) }
        // A whole body is complete by construction: a missing finish_reason means it stopped.
        events.append(.done(choice.finish_reason.map(finishReason) ?? .stop))
        return events
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
            stream: request.stream,
            stream_options: request.stream ? Request.StreamOptions(include_usage: true) : nil,
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
        let data = Self.trimmingSpaces(event.data)
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
        if let body = chunk.usage { usage = body.usage }
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

    static func excerpt<Text: StringProtocol>(_ text: Text) -> String {
        text.count <= 80 ? String(text) : String(text.prefix(80)) + "..."
    }

    /// `text` without leading and trailing spaces and tabs, by bytes: Foundation's
    /// `trimmingCharacters(in:)` goes through NSString and cost as much as decoding the chunk.
    static func trimmingSpaces(_ text: String) -> Substring {
        let bytes = text.utf8
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, isSpace(bytes[start]) { start = bytes.index(after: start) }
        while end > start, isSpace(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
        return text[start..<end]
    }
}

/// Shared handling of whole (non-streamed) JSON answers.
enum WholeBody {
    /// The error for a body that did not decode: `wrongContentType` when it is labelled as
    /// something other than JSON (an HTML page from a proxy), else `malformedResponse`.
    static func decodingError(_ body: [UInt8], contentType: String, status: Int, model: String, api: String, hint: String) -> ModelError {
        if !contentType.isEmpty, !contentType.contains("json") {
            return ModelError(.wrongContentType, "expected JSON (application/json) but got \(contentType); check that base_url points at the provider's API", model: model, httpStatus: status)
        }
        return ModelError(.malformedResponse, "the answer is not valid \(api) JSON (\(excerpt(body))); \(hint)", model: model)
    }

    static func excerpt(_ body: [UInt8]) -> String {
        OpenAIStreamDecoder.excerpt(String(decoding: body.prefix(120), as: UTF8.self))
    }
}
