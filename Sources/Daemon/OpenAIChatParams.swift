import AidProtocol
import JSONRPC
import Models
import NIOCore
import NIOHTTP1

/// The body of a `POST /v1/chat/completions`, read into a gateway request.
struct OpenAIChatParams: Sendable {
    var request: ChatRequest
    /// The model id the request names, when it names one; otherwise its task's route is used.
    var forcedModel: String?
    var stream: Bool
    /// `stream_options.include_usage`: end the stream with a chunk holding the usage.
    var includeUsage: Bool

    /// Reads `body`. The `model` field may name a model id, `route:<task>`, or a task that has a
    /// route; `taskHeader` (`X-Aid-Task`) sets the task otherwise (default `chat`).
    static func parse(_ body: ByteBuffer, taskHeader: String?, configuration: ModelsConfiguration) throws(EndpointError) -> OpenAIChatParams {
        let json: JSONValue
        do {
            json = try body.withUnsafeReadableBytes { bytes in try JSONParser.parse(bytes) }
        } catch {
            throw .invalid("the body is not valid JSON: \(error)")
        }
        guard case .object = json else { throw .invalid("the body must be a JSON object") }
        var task = taskHeader.flatMap { $0.isEmpty ? nil : $0 } ?? "chat"
        var forcedModel: String?
        if let name = json["model"]?.stringValue, !name.isEmpty {
            if name.hasPrefix("route:") {
                task = String(name.dropFirst("route:".count))
            } else if configuration.models[name] != nil {
                forcedModel = name
            } else if configuration.routes[name] != nil {
                task = name
            } else {
                let known = configuration.models.keys.sorted() + configuration.routes.keys.sorted().map { "route:\($0)" }
                throw EndpointError(status: .notFound, type: "invalid_request_error", code: "model_not_found",
                                    message: "the model '\(name)' does not exist; use one of: \(known.joined(separator: ", "))")
            }
        } else if let model = json["model"], model != .null, model.stringValue == nil {
            throw .invalid("'model' must be a string")
        }
        let messages = try readMessages(json["messages"])
        var maxTokens = try positiveInt(json, "max_completion_tokens")
        if maxTokens == nil { maxTokens = try positiveInt(json, "max_tokens") }
        var temperature: Double?
        switch json["temperature"] {
        case .int(let value)?: temperature = Double(value)
        case .double(let value)?: temperature = value
        case nil, .null?: break
        default: throw .invalid("'temperature' must be a number")
        }
        var stop: [String] = []
        switch json["stop"] {
        case .string(let value)?: stop = [value]
        case .array(let values)?: stop = values.compactMap(\.stringValue)
        default: break
        }
        let stream = json["stream"] == .bool(true)
        let includeUsage = json["stream_options"]?["include_usage"] == .bool(true)
        // A whole answer is asked of the upstream whole too.
        let request = ChatRequest(messages: messages, task: task, maxTokens: maxTokens, temperature: temperature, stop: stop, stream: stream)
        return OpenAIChatParams(request: request, forcedModel: forcedModel, stream: stream, includeUsage: includeUsage)
    }

    private static func readMessages(_ value: JSONValue?) throws(EndpointError) -> [ChatMessage] {
        guard let elements = value?.arrayValue, !elements.isEmpty else {
            throw .invalid("'messages' must be a non-empty array of {\"role\", \"content\"}")
        }
        var messages: [ChatMessage] = []
        for (index, element) in elements.enumerated() {
            let role: ChatRole
            switch element["role"]?.stringValue {
            case "system"?, "developer"?: role = .system
            case "user"?: role = .user
            case "assistant"?: role = .assistant
            case let other:
                throw .invalid("messages[\(index)].role must be system, developer, user or assistant, got \(other.map { "'\($0)'" } ?? "none"); tool messages are not supported")
            }
            let content: String
            switch element["content"] {
            case .string(let text)?: content = text
            case .array(let parts)?:
                // Content parts: only text parts are supported.
                var text = ""
                for part in parts {
                    guard part["type"]?.stringValue == "text", let piece = part["text"]?.stringValue else {
                        throw .invalid("messages[\(index)].content: only parts of type 'text' are supported")
                    }
                    text += piece
                }
                content = text
            case nil, .null?: content = ""
            default: throw .invalid("messages[\(index)].content must be a string or an array of text parts")
            }
            messages.append(ChatMessage(role: role, content: content, stable: role == .system && index == 0))
        }
        return messages
    }

    private static func positiveInt(_ json: JSONValue, _ key: String) throws(EndpointError) -> Int? {
        guard let value = json[key], value != .null else { return nil }
        guard let number = value.intValue, number >= 1 else { throw .invalid("'\(key)' must be a positive integer") }
        return number
    }
}
