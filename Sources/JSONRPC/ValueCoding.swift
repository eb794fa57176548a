import AidProtocol
import Foundation

// Codable straight to and from `JSONValue`, without Foundation's JSONEncoder and JSONDecoder,
// which on Linux cost tens of microseconds for even a small answer (more than the rest of a
// request). `JSONCoding` uses these first and falls back to Foundation whenever they refuse a
// value, so that what they accept gives the same JSON as before and every error message still
// comes from Foundation.

/// Thrown when the fast path cannot give exactly Foundation's result; the caller falls back.
struct ValueCodingUnsupported: Error {}

// MARK: Encoding

/// A node of the tree being encoded: containers are shared by reference while they are filled.
final class EncodedNode {
    enum Kind { case unset, value(JSONValue), array([EncodedNode]), object([String: EncodedNode]) }
    var kind: Kind = .unset

    init() {}
    init(_ value: JSONValue) { kind = .value(value) }

    var jsonValue: JSONValue {
        switch kind {
        case .unset: return .object([:])  // as Foundation: a type that encodes nothing gives {}
        case .value(let value): return value
        case .array(let nodes): return .array(nodes.map(\.jsonValue))
        case .object(let members):
            return .object(members.mapValues(\.jsonValue))
        }
    }
}

struct ValueEncoder: Encoder {
    let node: EncodedNode
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let node = EncodedNode()
        try ValueEncoder(node: node, codingPath: []).encodeValue(value, into: node)
        return node.jsonValue
    }

    func encodeValue<T: Encodable>(_ value: T, into node: EncodedNode) throws {
        switch value {
        case let json as JSONValue: node.kind = .value(json)
        case let string as String: node.kind = .value(.string(string))
        case let bool as Bool: node.kind = .value(.bool(bool))
        case let int as Int: node.kind = .value(.int(int))
        case let double as Double: node.kind = .value(try Self.number(double))
        case is Data, is URL, is Decimal, is Date, is Float:
            // Foundation has special strategies (or formatting) for these.
            throw ValueCodingUnsupported()
        default:
            try value.encode(to: ValueEncoder(node: node, codingPath: codingPath))
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object = node.kind {} else { node.kind = .object([:]) }
        return KeyedEncodingContainer(KeyedValueEncoder<Key>(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array = node.kind {} else { node.kind = .array([]) }
        return UnkeyedValueEncoder(encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleValueEncoderBox(encoder: self) }

    /// A double as the JSON parser reads Foundation's output back: whole numbers as `.int`
    /// (JSONWriter writes them without a fraction too); non-finite ones are Foundation's error.
    static func number(_ value: Double) throws -> JSONValue {
        guard value.isFinite else { throw ValueCodingUnsupported() }
        if value.rounded() == value, abs(value) < 1e15 { return .int(Int(value)) }
        return .double(value)
    }

    func integer<I: BinaryInteger>(_ value: I) throws -> JSONValue {
        guard let int = Int(exactly: value) else { throw ValueCodingUnsupported() }
        return .int(int)
    }
}

private struct KeyedValueEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: ValueEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    private func set(_ key: Key, _ child: EncodedNode) {
        guard case .object(var members) = encoder.node.kind else { return }
        encoder.node.kind = .unset  // keep `members` uniquely referenced while appending
        members[key.stringValue] = child
        encoder.node.kind = .object(members)
    }

    mutating func encodeNil(forKey key: Key) throws { set(key, EncodedNode(.null)) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(key, EncodedNode(.bool(value))) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(key, EncodedNode(.string(value))) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        set(key, EncodedNode(try ValueEncoder.number(value)))
    }
    mutating func encode(_ value: Float, forKey key: Key) throws { throw ValueCodingUnsupported() }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(key, EncodedNode(.int(value))) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { set(key, EncodedNode(try encoder.integer(value))) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { set(key, EncodedNode(try encoder.integer(value))) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { set(key, EncodedNode(try encoder.integer(value))) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { set(key, EncodedNode(try encoder.integer(value))) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { set(key, EncodedNode(try encoder.integer(value))) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { set(key, EncodedNode(try encoder.integer(value))) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { set(key, EncodedNode(try encoder.integer(value))) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { set(key, EncodedNode(try encoder.integer(value))) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { set(key, EncodedNode(try encoder.integer(value))) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        let child = EncodedNode()
        try ValueEncoder(node: child, codingPath: codingPath + [key]).encodeValue(value, into: child)
        set(key, child)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = EncodedNode()
        set(key, child)
        return ValueEncoder(node: child, codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = EncodedNode()
        set(key, child)
        return ValueEncoder(node: child, codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { superEncoder(forKey: Key(stringValue: "super")!) }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let child = EncodedNode()
        set(key, child)
        return ValueEncoder(node: child, codingPath: codingPath + [key])
    }
}

private struct IndexKey: CodingKey {
    var stringValue: String { "Index \(index)" }
    var intValue: Int? { index }
    let index: Int
    init(_ index: Int) { self.index = index }
    init?(stringValue: String) { return nil }
    init?(intValue: Int) { index = intValue }
}

private struct UnkeyedValueEncoder: UnkeyedEncodingContainer {
    let encoder: ValueEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int {
        if case .array(let nodes) = encoder.node.kind { return nodes.count }
        return 0
    }

    private func append(_ child: EncodedNode) {
        guard case .array(var nodes) = encoder.node.kind else { return }
        encoder.node.kind = .unset
        nodes.append(child)
        encoder.node.kind = .array(nodes)
    }

    mutating func encodeNil() throws { append(EncodedNode(.null)) }
    mutating func encode(_ value: Bool) throws { append(EncodedNode(.bool(value))) }
    mutating func encode(_ value: String) throws { append(EncodedNode(.string(value))) }
    mutating func encode(_ value: Double) throws {
        append(EncodedNode(try ValueEncoder.number(value)))
    }
    mutating func encode(_ value: Float) throws { throw ValueCodingUnsupported() }
    mutating func encode(_ value: Int) throws { append(EncodedNode(.int(value))) }
    mutating func encode(_ value: Int8) throws { append(EncodedNode(try encoder.integer(value))) }
    mutating func encode(_ value: Int16) throws { append(EncodedNode(try encoder.integer(value))) }
    mutating func encode(_ value: Int32) throws { append(EncodedNode(try encoder.integer(value))) }
    mutating func encode(_ value: Int64) throws { append(EncodedNode(try encoder.integer(value))) }
    mutating func encode(_ value: UInt) throws { append(EncodedNode(try encoder.integer(value))) }
    mutating func encode(_ value: UInt8) throws { append(EncodedNode(try encoder.integer(value))) }
    mutating func encode(_ value: UInt16) throws { append(EncodedNode(try encoder.integer(value))) }
    mutating func encode(_ value: UInt32) throws { append(EncodedNode(try encoder.integer(value))) }
    mutating func encode(_ value: UInt64) throws { append(EncodedNode(try encoder.integer(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        let child = EncodedNode()
        try ValueEncoder(node: child, codingPath: codingPath + [IndexKey(count)]).encodeValue(value, into: child)
        append(child)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = EncodedNode()
        let path = codingPath + [IndexKey(count)]
        append(child)
        return ValueEncoder(node: child, codingPath: path).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = EncodedNode()
        let path = codingPath + [IndexKey(count)]
        append(child)
        return ValueEncoder(node: child, codingPath: path).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let child = EncodedNode()
        let path = codingPath + [IndexKey(count)]
        append(child)
        return ValueEncoder(node: child, codingPath: path)
    }
}

private struct SingleValueEncoderBox: SingleValueEncodingContainer {
    let encoder: ValueEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws { encoder.node.kind = .value(.null) }
    mutating func encode(_ value: Bool) throws { encoder.node.kind = .value(.bool(value)) }
    mutating func encode(_ value: String) throws { encoder.node.kind = .value(.string(value)) }
    mutating func encode(_ value: Double) throws {
        encoder.node.kind = .value(try ValueEncoder.number(value))
    }
    mutating func encode(_ value: Float) throws { throw ValueCodingUnsupported() }
    mutating func encode(_ value: Int) throws { encoder.node.kind = .value(.int(value)) }
    mutating func encode(_ value: Int8) throws { encoder.node.kind = .value(try encoder.integer(value)) }
    mutating func encode(_ value: Int16) throws { encoder.node.kind = .value(try encoder.integer(value)) }
    mutating func encode(_ value: Int32) throws { encoder.node.kind = .value(try encoder.integer(value)) }
    mutating func encode(_ value: Int64) throws { encoder.node.kind = .value(try encoder.integer(value)) }
    mutating func encode(_ value: UInt) throws { encoder.node.kind = .value(try encoder.integer(value)) }
    mutating func encode(_ value: UInt8) throws { encoder.node.kind = .value(try encoder.integer(value)) }
    mutating func encode(_ value: UInt16) throws { encoder.node.kind = .value(try encoder.integer(value)) }
    mutating func encode(_ value: UInt32) throws { encoder.node.kind = .value(try encoder.integer(value)) }
    mutating func encode(_ value: UInt64) throws { encoder.node.kind = .value(try encoder.integer(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws { try encoder.encodeValue(value, into: encoder.node) }
}

// MARK: Decoding

/// Decodes from a parsed `JSONValue`. Strict: anything it is unsure Foundation would accept in
/// the same way (a number with a fraction for an integer, Data, URL, Date, ...) throws, and the
/// caller then asks Foundation, whose answer (value or error message) stands.
struct ValueDecoder: Decoder {
    let value: JSONValue
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try ValueDecoder(value: value, codingPath: []).decodeValue(type)
    }

    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == JSONValue.self { return value as! T }
        if T.self == String.self { return try string() as! T }
        if T.self == Int.self { return try int() as! T }
        if T.self == Bool.self { return try bool() as! T }
        if T.self == Double.self { return try double() as! T }
        if T.self == Data.self || T.self == URL.self || T.self == Decimal.self || T.self == Date.self || T.self == Float.self {
            throw ValueCodingUnsupported()
        }
        return try T(from: self)
    }

    func string() throws -> String {
        guard case .string(let s) = value else { throw ValueCodingUnsupported() }
        return s
    }
    func int() throws -> Int {
        switch value {
        case .int(let i): return i
        case .double(let d):
            guard let i = Int(exactly: d) else { throw ValueCodingUnsupported() }
            return i
        default: throw ValueCodingUnsupported()
        }
    }
    func bool() throws -> Bool {
        guard case .bool(let b) = value else { throw ValueCodingUnsupported() }
        return b
    }
    func double() throws -> Double {
        switch value {
        case .double(let d): return d
        case .int(let i): return Double(i)
        default: throw ValueCodingUnsupported()
        }
    }
    func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        guard let result = I(exactly: try int()) else { throw ValueCodingUnsupported() }
        return result
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw ValueCodingUnsupported() }
        return KeyedDecodingContainer(KeyedValueDecoder<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw ValueCodingUnsupported() }
        return UnkeyedValueDecoder(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleValueDecoderBox(decoder: self) }
}

private struct KeyedValueDecoder<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONValue]
    let codingPath: [any CodingKey]

    var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }
    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    private func child(_ key: Key) throws -> ValueDecoder {
        guard let value = members[key.stringValue] else { throw ValueCodingUnsupported() }
        return ValueDecoder(value: value, codingPath: codingPath + [key])
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let value = members[key.stringValue] else { throw ValueCodingUnsupported() }
        return value == .null
    }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try child(key).bool() }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try child(key).string() }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try child(key).double() }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { throw ValueCodingUnsupported() }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try child(key).int() }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try child(key).integer(type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try child(key).integer(type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try child(key).integer(type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try child(key).integer(type) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try child(key).integer(type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try child(key).integer(type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try child(key).integer(type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try child(key).integer(type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try child(key).integer(type) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try child(key).decodeValue(type) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try child(key).container(keyedBy: type)
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try child(key).unkeyedContainer() }
    func superDecoder() throws -> any Decoder { throw ValueCodingUnsupported() }
    func superDecoder(forKey key: Key) throws -> any Decoder { throw ValueCodingUnsupported() }
}

private struct UnkeyedValueDecoder: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(elements: [JSONValue], codingPath: [any CodingKey]) {
        self.elements = elements
        self.codingPath = codingPath
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private mutating func next() throws -> ValueDecoder {
        guard !isAtEnd else { throw ValueCodingUnsupported() }
        defer { currentIndex += 1 }
        return ValueDecoder(value: elements[currentIndex], codingPath: codingPath + [IndexKey(currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { throw ValueCodingUnsupported() }
        if elements[currentIndex] == .null {
            currentIndex += 1
            return true
        }
        return false
    }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try next().bool() }
    mutating func decode(_ type: String.Type) throws -> String { try next().string() }
    mutating func decode(_ type: Double.Type) throws -> Double { try next().double() }
    mutating func decode(_ type: Float.Type) throws -> Float { throw ValueCodingUnsupported() }
    mutating func decode(_ type: Int.Type) throws -> Int { try next().int() }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next().integer(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next().integer(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next().integer(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next().integer(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next().integer(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next().integer(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next().integer(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next().integer(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next().integer(type) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decodeValue(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { throw ValueCodingUnsupported() }
}

private struct SingleValueDecoderBox: SingleValueDecodingContainer {
    let decoder: ValueDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.value == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try decoder.bool() }
    func decode(_ type: String.Type) throws -> String { try decoder.string() }
    func decode(_ type: Double.Type) throws -> Double { try decoder.double() }
    func decode(_ type: Float.Type) throws -> Float { throw ValueCodingUnsupported() }
    func decode(_ type: Int.Type) throws -> Int { try decoder.int() }
    func decode(_ type: Int8.Type) throws -> Int8 { try decoder.integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decoder.integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decoder.integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decoder.integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try decoder.integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.integer(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decodeValue(type) }
}
