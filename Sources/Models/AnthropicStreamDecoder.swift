import Foundation

/// Turns the events of an Anthropic Messages stream into `ModelEvent`s.
///
/// `message_start` carries the prompt's usage (with cache reads and writes), `content_block_*`
/// carry the text, `message_delta` the stop reason and output tokens, `message_stop` ends the
/// answer; `ping` is ignored, `error` fails the call, unknown events are skipped.
struct AnthropicStreamDecoder {
    let model: String
    private(set) var finished = false
    private var usage = Usage()
    private var sawUsage = false
    private var finishReason: FinishReason?
    private let decoder = JSONDecoder()

    init(model: String) { self.model = model }

    mutating func decode(_ event: SSEEvent) throws -> [ModelEvent] {
        guard !finished else { return [] }
        let body: AnthropicWire.Event
        do {
            body = try decoder.decode(AnthropicWire.Event.self, from: Data(event.data.utf8))
        } catch {
            throw ModelError(.malformedResponse, "an event of the stream is not valid Messages API JSON (\(OpenAIStreamDecoder.excerpt(event.data))); is base_url the Anthropic API?", model: model)
        }
        let type = event.event == "message" ? body.type : event.event
        switch type {
        case "message_start":
            if let start = body.message?.usage { apply(start) }
            return []
        case "content_block_start":
            if body.content_block?.type == "text", let text = body.content_block?.text, !text.isEmpty { return [.delta(text)] }
            return []
        case "content_block_delta":
            if body.delta?.type == "text_delta", let text = body.delta?.text, !text.isEmpty { return [.delta(text)] }
            return []
        case "message_delta":
            if let reason = body.delta?.stop_reason { finishReason = AnthropicWire.finishReason(reason) }
            if let delta = body.usage { apply(delta) }
            return []
        case "message_stop":
            finished = true
            var events: [ModelEvent] = []
            if sawUsage { events.append(.usage(usage)) }
            events.append(.done(finishReason ?? .stop))
            return events
        case "error":
            let kind = body.error?.type ?? "error"
            throw ModelError(.upstreamError, "the provider reported \(kind) in the stream: \(body.error?.message ?? "")", model: model)
        default:
            return []  // ping, content_block_stop, and events added to the API later
        }
    }

    /// Throws `brokenStream` when the stream ended without `message_stop`.
    func finish() throws {
        guard finished else {
            throw ModelError(.brokenStream, "the stream ended before message_stop", model: model)
        }
    }

    /// Takes the counts present in `body`. `output_tokens` is cumulative; input counts appear in
    /// `message_start` (and again in `message_delta` with newer API versions).
    private mutating func apply(_ body: AnthropicWire.UsageBody) {
        sawUsage = true
        let cacheRead = body.cache_read_input_tokens ?? usage.cachedInputTokens
        let cacheWrite = body.cache_creation_input_tokens ?? usage.cacheCreationTokens
        if let input = body.input_tokens {
            usage.inputTokens = input + cacheRead + cacheWrite
        } else {
            usage.inputTokens += (cacheRead - usage.cachedInputTokens) + (cacheWrite - usage.cacheCreationTokens)
        }
        usage.cachedInputTokens = cacheRead
        usage.cacheCreationTokens = cacheWrite
        if let output = body.output_tokens { usage.outputTokens = output }
    }
}
