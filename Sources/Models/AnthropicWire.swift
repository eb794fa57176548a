import Foundation

/// The JSON of an Anthropic Messages request and of its streamed events.
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
        var stream: Bool
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
            stream: true,
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
