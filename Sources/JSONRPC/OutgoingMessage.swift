import AidProtocol
import Foundation

/// Builds the JSON bytes of outgoing messages. Results arrive already encoded so that a
/// typed result is serialised once, straight into the response.
public enum OutgoingMessage {
    /// `{"jsonrpc":"2.0","id":ID,"result":RESULT}` where `result` is encoded JSON.
    public static func response(id: JSONValue, encodedResult result: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(result.count + 40)
        out.append(contentsOf: #"{"jsonrpc":"2.0","id":"#.utf8)
        JSONWriter.write(id, into: &out)
        out.append(contentsOf: #","result":"#.utf8)
        out.append(contentsOf: result)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// `{"jsonrpc":"2.0","id":ID,"error":{...}}`.
    public static func errorResponse(id: JSONValue, error: ResponseError) -> [UInt8] {
        var out: [UInt8] = []
        out.append(contentsOf: #"{"jsonrpc":"2.0","id":"#.utf8)
        JSONWriter.write(id, into: &out)
        out.append(contentsOf: #","error":"#.utf8)
        JSONWriter.write(error.jsonValue, into: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// `{"jsonrpc":"2.0","method":M,"params":P}` where `params` is encoded JSON.
    public static func notification(method: String, encodedParams params: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.append(contentsOf: #"{"jsonrpc":"2.0","method":"#.utf8)
        JSONWriter.writeString(method, into: &out)
        out.append(contentsOf: #","params":"#.utf8)
        out.append(contentsOf: params)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// `{"jsonrpc":"2.0","id":ID,"method":M,"params":P}` where `params` is encoded JSON (or nil).
    public static func request(id: JSONValue, method: String, encodedParams params: [UInt8]?) -> [UInt8] {
        var out: [UInt8] = []
        out.append(contentsOf: #"{"jsonrpc":"2.0","id":"#.utf8)
        JSONWriter.write(id, into: &out)
        out.append(contentsOf: #","method":"#.utf8)
        JSONWriter.writeString(method, into: &out)
        if let params {
            out.append(contentsOf: #","params":"#.utf8)
            out.append(contentsOf: params)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// A batch response: the members joined as a JSON array.
    public static func batch(_ members: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (i, member) in members.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: member)
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    /// Header plus body, ready for the wire.
    public static func frame(_ body: [UInt8]) -> [UInt8] {
        FrameHeader.encode(contentLength: body.count) + body
    }
}

/// The encoder and decoder for typed params and results, configured once.
public enum JSONCoding {
    /// Encodes for the wire: compact, members in the order the type encodes them (straight
    /// to bytes; what that path does not take goes through the `JSONValue` tree, then
    /// Foundation).
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        if let direct = try? ByteEncoder.encode(value) { return direct }
        if let fast = try? ValueEncoder.encode(value) { return JSONWriter.bytes(fast) }
        return try foundationEncode(value)
    }

    static func foundationEncode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        if let value = try? JSONParser.parse(bytes), let fast = try? ValueDecoder.decode(type, from: value) { return fast }
        return try JSONDecoder().decode(type, from: Data(bytes))
    }

    /// Converts a typed value to `JSONValue`.
    public static func jsonValue<T: Encodable>(_ value: T) throws -> JSONValue {
        if let fast = try? ValueEncoder.encode(value) { return fast }
        return try JSONParser.parse(try foundationEncode(value))
    }

    /// Converts `JSONValue` to a typed value; the error names the offending field.
    public static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        if let fast = try? ValueDecoder.decode(type, from: value) { return fast }
        return try decode(type, from: JSONWriter.bytes(value))
    }

    /// A sentence naming the field a decoding error is about, for -32602 messages.
    public static func describe(_ error: Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ codingPath: [CodingKey]) -> String {
            let p = codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return p.isEmpty ? "params" : "params" + p
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) is missing"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)) must be \(describe(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)) must be \(describe(type)), not null"
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)) is invalid: \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Double.Type, is UInt64.Type: return "a number"
        case is Bool.Type: return "a boolean"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "a valid \(name)"
        }
    }
}
