import AidProtocol

/// A JSON-RPC error object. Handlers throw it to answer with an error; its message should say
/// what went wrong and what to do about it.
public struct ResponseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: ErrorCode
    public var message: String
    public var data: JSONValue?

    public init(_ code: ErrorCode, _ message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    public var description: String { "\(message) (\(code.rawValue))" }

    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = ["code": .int(code.rawValue), "message": .string(message)]
        if let data { object["data"] = data }
        return .object(object)
    }

    public init?(json: JSONValue) {
        guard let code = json["code"]?.intValue, let message = json["message"]?.stringValue else { return nil }
        self.init(ErrorCode(rawValue: code), message, data: json["data"])
    }

    public static func methodNotFound(_ method: String) -> ResponseError {
        ResponseError(.methodNotFound, "method '\(method)' does not exist; rpc.discover lists the methods")
    }

    public static let cancelled = ResponseError(.requestCancelled, "request cancelled by the client")
}
