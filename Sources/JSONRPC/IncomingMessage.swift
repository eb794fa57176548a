import AidProtocol

/// One JSON-RPC message as received, classified by the rules of the JSON-RPC 2.0 specification.
public enum IncomingMessage: Sendable, Equatable {
    /// A request: has a method and an id (a string, a number, or null).
    case request(id: JSONValue, method: String, params: JSONValue?)
    /// A notification: has a method and no id.
    case notification(method: String, params: JSONValue?)
    /// A response to a request the receiver sent.
    case response(id: JSONValue, outcome: Result<JSONValue, ResponseError>)
    /// Not a valid message; answered with `error` (and `id` when it could be read).
    case invalid(id: JSONValue, error: ResponseError)

    /// Classifies a parsed JSON value that is not a batch.
    public init(_ json: JSONValue) {
        guard case .object(let members) = json else {
            self = .invalid(id: .null, error: ResponseError(.invalidRequest, "a message must be a JSON object (or a non-empty array of them), got \(json.typeDescription)"))
            return
        }
        self.init(Envelope(members))
    }

    /// The members of a message object that say what it is (the last wins when one repeats).
    struct Envelope {
        var jsonrpc: JSONValue?
        var id: JSONValue?
        var method: JSONValue?
        var params: JSONValue?
        var result: JSONValue?
        var error: JSONValue?

        init(_ members: some Sequence<(key: String, value: JSONValue)>) {
            for (name, value) in members {
                switch name {
                case "jsonrpc": jsonrpc = value
                case "id": id = value
                case "method": method = value
                case "params": params = value
                case "result": result = value
                case "error": error = value
                default: break
                }
            }
        }
    }

    init(_ envelope: Envelope) {
        let rawId = envelope.id
        var id: JSONValue = .null
        if let rawId {
            switch rawId {
            case .string, .int, .double, .null: id = rawId
            default:
                self = .invalid(id: .null, error: ResponseError(.invalidRequest, "'id' must be a string, a number or null, got \(rawId.typeDescription)"))
                return
            }
        }
        guard envelope.jsonrpc == .string("2.0") else {
            self = .invalid(id: id, error: ResponseError(.invalidRequest, "'jsonrpc' must be exactly \"2.0\""))
            return
        }
        if let method = envelope.method {
            guard case .string(let name) = method else {
                self = .invalid(id: id, error: ResponseError(.invalidRequest, "'method' must be a string, got \(method.typeDescription)"))
                return
            }
            let params = envelope.params
            switch params {
            case nil, .null?, .object?, .array?: break
            default:
                self = .invalid(id: id, error: ResponseError(.invalidRequest, "'params' must be an object, an array or null, got \(params!.typeDescription)"))
                return
            }
            let normalizedParams = params == .null ? nil : params
            if rawId != nil {
                self = .request(id: id, method: name, params: normalizedParams)
            } else {
                self = .notification(method: name, params: normalizedParams)
            }
            return
        }
        if let rawId {
            if let result = envelope.result, envelope.error == nil {
                self = .response(id: rawId, outcome: .success(result))
                return
            }
            if let errorValue = envelope.error, let error = ResponseError(json: errorValue) {
                self = .response(id: rawId, outcome: .failure(error))
                return
            }
        }
        self = .invalid(id: id, error: ResponseError(.invalidRequest, "a request needs a 'method' (a string); a response needs 'result' or 'error'"))
    }
}

/// What one frame holds: a single message, or a batch.
public enum IncomingFrame: Sendable, Equatable {
    case single(IncomingMessage)
    case batch([IncomingMessage])
    /// The body is not JSON, or is an empty batch; answered with this error and id null.
    case unreadable(ResponseError)

    public init(body: UnsafeRawBufferPointer) {
        do {
            // A single message (an object) is read member by member; a batch (or anything
            // else) whole.
            switch try JSONParser.parseTopLevel(body) {
            case .members(let members):
                self = .single(IncomingMessage(IncomingMessage.Envelope(members)))
            case .value(let json):
                self.init(json)
            }
        } catch {
            self = .unreadable(ResponseError(.parseError, "parse error: \(error.description)"))
        }
    }

    public init(_ json: JSONValue) {
        if case .array(let elements) = json {
            if elements.isEmpty {
                self = .unreadable(ResponseError(.invalidRequest, "a batch must not be empty"))
            } else {
                self = .batch(elements.map(IncomingMessage.init))
            }
        } else {
            self = .single(IncomingMessage(json))
        }
    }
}
