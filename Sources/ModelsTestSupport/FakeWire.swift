import Foundation

/// Server-sent events as OpenAI-compatible servers and the Anthropic API send them, to script
/// the fake model server.
public enum FakeWire {
    /// One SSE event: one `data:` line and a blank line.
    public static func event(_ data: String) -> String {
        "data: \(data)\n\n"
    }

    /// One SSE event with an `event:` line naming its type.
    public static func event(named name: String, _ data: String) -> String {
        "event: \(name)\n" + event(data)
    }

    /// The JSON text of `object`, keys sorted.
    public static func json(_ object: Any) -> String {
        // Test scripts only pass JSON-compatible literals.
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// A Chat Completions stream: a role chunk, one chunk per delta, a chunk with
    /// `finish_reason`, a usage chunk with empty `choices` (as `include_usage` asks), `[DONE]`.
    public static func openAIEvents(
        _ deltas: [String], finishReason: String = "stop", promptTokens: Int = 10, completionTokens: Int = 5,
        cachedTokens: Int? = nil, includeUsage: Bool = true, model: String = "fake-model"
    ) -> [String] {
        func chunk(_ delta: [String: Any], finish: String? = nil) -> String {
            let choice: [String: Any] = ["index": 0, "delta": delta, "finish_reason": finish ?? NSNull()]
            return event(json([
                "id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1_700_000_000, "model": model,
                "choices": [choice], "usage": NSNull(),
            ]))
        }
        var events = [chunk(["role": "assistant", "content": ""])]
        events += deltas.map { chunk(["content": $0]) }
        events.append(chunk([:], finish: finishReason))
        if includeUsage {
            var usage: [String: Any] = [
                "prompt_tokens": promptTokens, "completion_tokens": completionTokens, "total_tokens": promptTokens + completionTokens,
            ]
            if let cachedTokens { usage["prompt_tokens_details"] = ["cached_tokens": cachedTokens, "audio_tokens": 0] }
            events.append(event(json([
                "id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1_700_000_000, "model": model,
                "choices": [Any](), "usage": usage,
            ])))
        }
        events.append(event("[DONE]"))
        return events
    }

    /// A Messages API stream: message_start (with usage), content_block_start, a ping, one
    /// content_block_delta per delta, content_block_stop, message_delta (stop reason, output
    /// tokens), message_stop.
    public static func anthropicEvents(
        _ deltas: [String], stopReason: String = "end_turn", inputTokens: Int = 10, outputTokens: Int = 5,
        cacheReadTokens: Int = 0, cacheCreationTokens: Int = 0, model: String = "claude-fake"
    ) -> [String] {
        var events: [String] = []
        events.append(event(named: "message_start", json([
            "type": "message_start",
            "message": [
                "id": "msg_fake", "type": "message", "role": "assistant", "model": model, "content": [Any](),
                "stop_reason": NSNull(), "stop_sequence": NSNull(),
                "usage": [
                    "input_tokens": inputTokens, "output_tokens": 1,
                    "cache_read_input_tokens": cacheReadTokens, "cache_creation_input_tokens": cacheCreationTokens,
                ],
            ] as [String: Any],
        ])))
        events.append(event(named: "content_block_start", json(["type": "content_block_start", "index": 0, "content_block": ["type": "text", "text": ""]])))
        events.append(event(named: "ping", json(["type": "ping"])))
        for delta in deltas {
            events.append(event(named: "content_block_delta", json(["type": "content_block_delta", "index": 0, "delta": ["type": "text_delta", "text": delta]])))
        }
        events.append(event(named: "content_block_stop", json(["type": "content_block_stop", "index": 0])))
        events.append(event(named: "message_delta", json([
            "type": "message_delta", "delta": ["stop_reason": stopReason, "stop_sequence": NSNull()] as [String: Any],
            "usage": ["output_tokens": outputTokens],
        ])))
        events.append(event(named: "message_stop", json(["type": "message_stop"])))
        return events
    }

    /// A whole (non-streamed) Chat Completions body: `choices[0].message.content`,
    /// `finish_reason`, and `usage` with `prompt_tokens_details.cached_tokens` when given.
    public static func openAICompletion(
        _ text: String, finishReason: String = "stop", promptTokens: Int = 10, completionTokens: Int = 5,
        cachedTokens: Int? = nil, model: String = "fake-model"
    ) -> String {
        var usage: [String: Any] = [
            "prompt_tokens": promptTokens, "completion_tokens": completionTokens, "total_tokens": promptTokens + completionTokens,
        ]
        if let cachedTokens { usage["prompt_tokens_details"] = ["cached_tokens": cachedTokens, "audio_tokens": 0] }
        return json([
            "id": "chatcmpl-fake", "object": "chat.completion", "created": 1_700_000_000, "model": model,
            "choices": [[
                "index": 0, "finish_reason": finishReason,
                "message": ["role": "assistant", "content": text, "refusal": NSNull()] as [String: Any],
            ] as [String: Any]],
            "usage": usage,
        ])
    }

    /// A whole (non-streamed) Messages API body: one text block per element of `texts`,
    /// `stop_reason`, and `usage` with cache reads and writes.
    public static func anthropicMessage(
        _ texts: [String], stopReason: String = "end_turn", inputTokens: Int = 10, outputTokens: Int = 5,
        cacheReadTokens: Int = 0, cacheCreationTokens: Int = 0, model: String = "claude-fake"
    ) -> String {
        json([
            "id": "msg_fake", "type": "message", "role": "assistant", "model": model,
            "content": texts.map { ["type": "text", "text": $0] },
            "stop_reason": stopReason, "stop_sequence": NSNull(),
            "usage": [
                "input_tokens": inputTokens, "output_tokens": outputTokens,
                "cache_read_input_tokens": cacheReadTokens, "cache_creation_input_tokens": cacheCreationTokens,
            ],
        ] as [String: Any])
    }

    /// A JSON body cut short: not valid JSON.
    public static let malformedBody = #"{"id": "chatcmpl-fake", "choices": [ {"message": {"content": "Hel"#

    /// An Anthropic in-stream error event.
    public static func anthropicError(type: String = "overloaded_error", message: String = "Overloaded") -> String {
        event(named: "error", json(["type": "error", "error": ["type": type, "message": message]]))
    }

    /// A chunk that is not JSON at all.
    public static let malformedChunk = event("{\"choices\": [ {\"delta\": ")

    /// A Chat Completions stream of about `bytes` bytes, in deltas of 1000 characters.
    public static func hugeOpenAIEvents(bytes: Int) -> [String] {
        let piece = String(repeating: "x", count: 1000)
        return openAIEvents(Array(repeating: piece, count: max(1, bytes / 1000)))
    }
}
