import AidProtocol
import JSONRPC
import Models

/// The answers of the endpoint in OpenAI's Chat Completions format: `chat.completion` objects,
/// and `chat.completion.chunk` server-sent events ending with `data: [DONE]`.
struct OpenAIChunks: Sendable {
    /// `chatcmpl-...`, shared by every chunk of one answer.
    let id: String
    /// Seconds since 1970.
    let created: Int
    /// The model that answers.
    let model: String
    /// Whether every chunk carries `"usage": null` and a usage chunk ends the stream.
    let includeUsage: Bool

    /// The first chunk: the assistant's role, no text yet.
    func roleChunk() -> [UInt8] {
        chunk(delta: #"{"role":"assistant","content":""}"#, finishReason: nil)
    }

    /// A chunk of text.
    func contentChunk(_ text: String) -> [UInt8] {
        var delta = Array(#"{"content":"#.utf8)
        JSONWriter.writeString(text, into: &delta)
        delta.append(UInt8(ascii: "}"))
        return chunk(delta: delta, finishReason: nil)
    }

    /// The chunk that says why the answer ended.
    func finishChunk(_ reason: FinishReason) -> [UInt8] {
        chunk(delta: "{}", finishReason: Self.finishReason(reason))
    }

    /// The chunk with the usage and no choices (only with `include_usage`).
    func usageChunk(_ usage: Usage) -> [UInt8] {
        var out = Array("data: ".utf8)
        out += prefix()
        out += Array(#"[],"usage":"#.utf8)
        JSONWriter.write(Self.usage(usage), into: &out)
        out += Array("}\n\n".utf8)
        return out
    }

    /// The end of the stream.
    static let done = Array("data: [DONE]\n\n".utf8)

    /// An error inside a stream that had started.
    static func errorEvent(_ body: JSONValue) -> [UInt8] {
        Array("data: ".utf8) + JSONWriter.bytes(body) + Array("\n\n".utf8)
    }

    private func chunk(delta: String, finishReason: String?) -> [UInt8] {
        chunk(delta: Array(delta.utf8), finishReason: finishReason)
    }

    private func chunk(delta: [UInt8], finishReason: String?) -> [UInt8] {
        var out = Array("data: ".utf8)
        out.reserveCapacity(256 + delta.count)
        out += prefix()
        out += Array(#"[{"index":0,"delta":"#.utf8)
        out += delta
        out += Array(#","logprobs":null,"finish_reason":"#.utf8)
        if let finishReason { JSONWriter.writeString(finishReason, into: &out) } else { out += Array("null".utf8) }
        out += Array("}]".utf8)
        if includeUsage { out += Array(#","usage":null"#.utf8) }
        out += Array("}\n\n".utf8)
        return out
    }

    /// `{"id":...,"object":"chat.completion.chunk","created":...,"model":...,"system_fingerprint":null,"choices":`
    private func prefix() -> [UInt8] {
        var out = Array(#"{"id":"#.utf8)
        JSONWriter.writeString(id, into: &out)
        out += Array(#","object":"chat.completion.chunk","created":\#(created),"model":"#.utf8)
        JSONWriter.writeString(model, into: &out)
        out += Array(#","system_fingerprint":null,"choices":"#.utf8)
        return out
    }

    /// A whole `chat.completion` object for `run`.
    static func completion(_ run: ModelRun, id: String, created: Int) -> JSONValue {
        .object([
            "id": .string(id), "object": "chat.completion", "created": .int(created), "model": .string(run.model),
            "system_fingerprint": .null,
            "choices": [.object([
                "index": 0, "logprobs": .null, "finish_reason": .string(finishReason(run.finishReason)),
                "message": .object(["role": "assistant", "content": .string(run.text), "refusal": .null]),
            ])],
            "usage": usage(run.usage),
        ])
    }

    /// OpenAI's `usage` object.
    static func usage(_ usage: Usage) -> JSONValue {
        .object([
            "prompt_tokens": .int(usage.inputTokens), "completion_tokens": .int(usage.outputTokens),
            "total_tokens": .int(usage.inputTokens + usage.outputTokens),
            "prompt_tokens_details": .object(["cached_tokens": .int(usage.cachedInputTokens)]),
        ])
    }

    /// OpenAI's name for `reason`.
    static func finishReason(_ reason: FinishReason) -> String {
        switch reason {
        case .stop, .stopSequence: return "stop"
        case .length: return "length"
        case .contentFilter: return "content_filter"
        case .toolUse: return "tool_calls"
        case .other(let name): return name
        }
    }
}
