import Foundation

/// The JSON of an Anthropic Messages request, of its streamed events and of a whole message.
enum AnthropicWire {
    /// The API version sent in `anthropic-version`.
    static let apiVersion = "2023-06-01"

    struct CacheControl: Encodable, Equatable {
        var type = "ephemeral"
    }

    struct TextBlock: Encodable {
        var type = "text"
        var text: String
        var cache_control: CacheControl?
    }

    struct Message: Encodable {
        var role: String
        var content: [TextBlock]
    }

    struct Request: Encodable {
        var model: String
        var max_tokens: Int
        /// `true` for a streamed answer; left out for a whole one.
        var stream: Bool?
        var system: [TextBlock]?
        var messages: [Message]
        var temperature: Double?
        var stop_sequences: [String]?
    }

    /// The request for `request`, with `cache_control` breakpoints at the end of the stable
    /// prefix: one on the last stable system block, one on the last stable conversation block.
    /// Consecutive messages of the same role become one message of several blocks (the API wants
    /// roles to alternate); empty messages are left out (the API rejects empty text blocks).
    static func request(for request: ChatRequest, model: ModelDefinition) -> Request {
        let stableCount = request.stablePrefixCount
        var system: [TextBlock] = []
        var lastStableSystem: Int?
        var messages: [Message] = []
        var lastStableMessage: (message: Int, block: Int)?
        for (index, message) in request.messages.enumerated() where !message.content.isEmpty {
            let stable = index < stableCount
            let block = TextBlock(text: message.content)
            if message.role == .system {
                system.append(block)
                if stable { lastStableSystem = system.count - 1 }
                continue
            }
            let role = message.role.rawValue
            if let last = messages.last, last.role == role {
                messages[messages.count - 1].content.append(block)
            } else {
                messages.append(Message(role: role, content: [block]))
            }
            if stable { lastStableMessage = (messages.count - 1, messages[messages.count - 1].content.count - 1) }
        }
        if let lastStableSystem { system[lastStableSystem].cache_control = CacheControl() }
        if let (message, block) = lastStableMessage { messages[message].content[block].cache_control = CacheControl() }
        return Request(
            model: model.upstreamModel,
            max_tokens: request.maxTokens ?? model.maxOutputTokens,
            stream: request.stream ? true : nil,
            system: system.isEmpty ? nil : system,
            messages: messages,
            temperature: request.temperature,
            stop_sequences: request.stop.isEmpty ? nil : request.stop)
    }

    static func body(for request: ChatRequest, model: ModelDefinition) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(Self.request(for: request, model: model))
    }

    struct UsageBody: Decodable {
        var input_tokens: Int?
        var output_tokens: Int?
        var cache_creation_input_tokens: Int?
        var cache_read_input_tokens: Int?
    }

    /// Any event of the stream; each type fills the fields it has.
    struct Event: Decodable {
        struct MessageBody: Decodable {
            var usage: UsageBody?
        }
        struct Block: Decodable {
            var type: String?
            var text: String?
        }
        struct Delta: Decodable {
            var type: String?
            var text: String?
            var stop_reason: String?
        }
        struct ErrorBody: Decodable {
            var type: String?
            var message: String?
        }
        var type: String
        var message: MessageBody?
        var content_block: Block?
        var delta: Delta?
        var usage: UsageBody?
        var error: ErrorBody?
    }

    /// A whole (non-streamed) message: its text blocks, stop reason and usage; or an error.
    struct WholeMessage: Decodable {
        var type: String?
        var content: [Event.Block]?
        var stop_reason: String?
        var usage: UsageBody?
        var error: Event.ErrorBody?
    }

    /// The events of a whole message `body`: its text blocks joined as one delta, the usage
    /// (input counting cache reads and writes), the end. Errors as
    /// `OpenAIWire.completionEvents`.
    static func messageEvents(_ body: [UInt8], contentType: String, status: Int, model: String) throws -> [ModelEvent] {
        let message: WholeMessage
        do {
            message = try JSONDecoder().decode(WholeMessage.self, from: Data(body))
        } catch {
            throw WholeBody.decodingError(body, contentType: contentType, status: status, model: model, api: "Messages API", hint: "is base_url the Anthropic API?")
        }
        if message.type == "error" || message.error != nil {
            throw ModelError(.upstreamError, "the provider reported \(message.error?.type ?? "error"): \(message.error?.message ?? "")", model: model)
        }
        guard let content = message.content else {
            throw ModelError(.malformedResponse, "the message has no content (\(WholeBody.excerpt(body))); is base_url the Anthropic API?", model: model)
        }
        var events: [ModelEvent] = []
        let text = content.filter { $0.type == "text" }.compactMap(\.text).joined()
        if !text.isEmpty { events.append(.delta(text)) }
        if let usage = message.usage {
            let cacheRead = usage.cache_read_input_tokens ?? 0
            let cacheWrite = usage.cache_creation_input_tokens ?? 0
            events.append(.usage(Usage(
                inputTokens: (usage.input_tokens ?? 0) + cacheRead + cacheWrite, outputTokens: usage.output_tokens ?? 0,
                cachedInputTokens: cacheRead, cacheCreationTokens: cacheWrite)))
        }
        events.append(.done(message.stop_reason.map(finishReason) ?? .stop))
        return events
    }

    static func finishReason(_ name: String) -> FinishReason {
        switch name {
        case "end_turn": return .stop
        case "max_tokens": return .length
        case "stop_sequence": return .stopSequence
        case "tool_use": return .toolUse
        case "refusal": return .contentFilter
        default: return .other(name)
        }
    }
}
