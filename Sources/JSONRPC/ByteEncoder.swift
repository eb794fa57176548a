import AidProtocol
import Foundation

// Codable straight to JSON bytes for the wire: no `JSONValue` tree in between, members in the
// order the type encodes them. It takes what `ValueEncoder` takes; for anything else (nested
// containers asked for by hand, super encoders, Foundation's special types, numbers Foundation
// writes its own way) it gives up and `JSONCoding.encode` falls back to the tree.

/// The output of one encoding and whether it had to give up.
final class ByteSink {
    var bytes: [UInt8] = []
    var gaveUp = false

    init() { bytes.reserveCapacity(256) }
}

/// Which container a value opened while encoding itself.
final class ByteContainerState {
    enum Kind { case none, keyed, unkeyed, single }
    var kind = Kind.none
    var count = 0
}

struct ByteEncoder: Encoder {
    let sink: ByteSink
    let state: ByteContainerState
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// `value` as JSON bytes, or nil when only the tree encoder can encode it.
    static func encode<T: Encodable>(_ value: T) throws -> [UInt8]? {
        let sink = ByteSink()
        try write(value, into: sink)
        return sink.gaveUp ? nil : sink.bytes
    }

    /// Writes one whole value: a scalar at once, otherwise what its containers write, closed
    /// once its `encode(to:)` returns. Scalars are recognised by comparing metadata, not by
    /// casting: a chain of failed casts for every member cost more than writing it.
    static func write<T: Encodable>(_ value: T, into sink: ByteSink) throws {
        if let string = exactly(value, String.self) {
            JSONWriter.writeString(string, into: &sink.bytes)
        } else if let int = exactly(value, Int.self) {
            JSONWriter.writeInteger(int, into: &sink.bytes)
        } else if let bool = exactly(value, Bool.self) {
            sink.bytes.append(contentsOf: (bool ? "true" : "false").utf8)
        } else if let double = exactly(value, Double.self) {
            // Infinities and NaN are left to the fallbacks, which refuse them as Foundation does.
            if double.isFinite { JSONWriter.writeNumber(double, into: &sink.bytes) } else { sink.gaveUp = true }
        } else if let json = exactly(value, JSONValue.self) {
            JSONWriter.write(json, into: &sink.bytes)
        } else if T.self == Data.self || T.self == URL.self || T.self == Decimal.self || T.self == Date.self || T.self == Float.self {
            sink.gaveUp = true
        } else {
            let state = ByteContainerState()
            try value.encode(to: ByteEncoder(sink: sink, state: state))
            switch state.kind {
            case .none: sink.bytes.append(contentsOf: "{}".utf8)  // as Foundation: nothing encoded gives {}
            case .keyed: sink.bytes.append(UInt8(ascii: "}"))
            case .unkeyed: sink.bytes.append(UInt8(ascii: "]"))
            case .single: if state.count == 0 { sink.bytes.append(contentsOf: "{}".utf8) }
            }
        }
    }

    /// `value` as a `U` when its static type is exactly `U`.
    @inline(__always)
    private static func exactly<T, U>(_ value: T, _ type: U.Type) -> U? {
        guard T.self == U.self else { return nil }
        return withUnsafePointer(to: value) { $0.withMemoryRebound(to: U.self, capacity: 1) { $0.pointee } }
    }

    static func integer<I: BinaryInteger>(_ value: I, into sink: ByteSink) {
        guard let int = Int(exactly: value) else {
            sink.gaveUp = true
            return
        }
        JSONWriter.writeInteger(int, into: &sink.bytes)
    }

    /// Opens the container kind `kind`, or gives up if another kind is open already.
    private func open(_ kind: ByteContainerState.Kind, _ opening: UInt8?) {
        if state.kind == kind { return }
        guard state.kind == .none else {
            sink.gaveUp = true
            return
        }
        state.kind = kind
        if let opening { sink.bytes.append(opening) }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        open(.keyed, UInt8(ascii: "{"))
        return KeyedEncodingContainer(KeyedByteEncoder<Key>(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        open(.unkeyed, UInt8(ascii: "["))
        return UnkeyedByteEncoder(encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        open(.single, nil)
        return SingleValueByteEncoder(encoder: self)
    }

    /// Before the next member or element: a comma after the first. Gives up on a second value in
    /// a single-value container.
    func beginMember() {
        if state.kind == .single, state.count > 0 { sink.gaveUp = true }
        if state.count > 0 { sink.bytes.append(UInt8(ascii: ",")) }
        state.count += 1
    }

    /// A container that writes nothing anywhere, handed out after giving up.
    func discarded() -> ByteEncoder {
        sink.gaveUp = true
        return ByteEncoder(sink: ByteSink(), state: ByteContainerState())
    }
}

private struct KeyedByteEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: ByteEncoder
    var codingPath: [any CodingKey] { [] }

    private func key(_ key: Key) {
        encoder.beginMember()
        JSONWriter.writeString(key.stringValue, into: &encoder.sink.bytes)
        encoder.sink.bytes.append(UInt8(ascii: ":"))
    }

    mutating func encodeNil(forKey key: Key) throws {
        self.key(key)
        encoder.sink.bytes.append(contentsOf: "null".utf8)
    }
    mutating func encode(_ value: Bool, forKey key: Key) throws { self.key(key); try ByteEncoder.write(value, into: encoder.sink) }
    mutating func encode(_ value: String, forKey key: Key) throws { self.key(key); JSONWriter.writeString(value, into: &encoder.sink.bytes) }
    mutating func encode(_ value: Double, forKey key: Key) throws { self.key(key); try ByteEncoder.write(value, into: encoder.sink) }
    mutating func encode(_ value: Float, forKey key: Key) throws { encoder.sink.gaveUp = true }
    mutating func encode(_ value: Int, forKey key: Key) throws { self.key(key); JSONWriter.writeInteger(value, into: &encoder.sink.bytes) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { self.key(key); ByteEncoder.integer(value, into: encoder.sink) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { self.key(key); ByteEncoder.integer(value, into: encoder.sink) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { self.key(key); ByteEncoder.integer(value, into: encoder.sink) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { self.key(key); ByteEncoder.integer(value, into: encoder.sink) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { self.key(key); ByteEncoder.integer(value, into: encoder.sink) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { self.key(key); ByteEncoder.integer(value, into: encoder.sink) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { self.key(key); ByteEncoder.integer(value, into: encoder.sink) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { self.key(key); ByteEncoder.integer(value, into: encoder.sink) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { self.key(key); ByteEncoder.integer(value, into: encoder.sink) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        self.key(key)
        try ByteEncoder.write(value, into: encoder.sink)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        encoder.discarded().container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { encoder.discarded().unkeyedContainer() }
    mutating func superEncoder() -> any Encoder { encoder.discarded() }
    mutating func superEncoder(forKey key: Key) -> any Encoder { encoder.discarded() }
}

/// The element writes that unkeyed and single-value containers share: each value is one
/// member of the open container.
private protocol ByteElementWriter {
    var encoder: ByteEncoder { get }
}

extension ByteElementWriter {
    mutating func encodeNil() throws {
        encoder.beginMember()
        encoder.sink.bytes.append(contentsOf: "null".utf8)
    }
    mutating func encode(_ value: Bool) throws { encoder.beginMember(); try ByteEncoder.write(value, into: encoder.sink) }
    mutating func encode(_ value: String) throws { encoder.beginMember(); JSONWriter.writeString(value, into: &encoder.sink.bytes) }
    mutating func encode(_ value: Double) throws { encoder.beginMember(); try ByteEncoder.write(value, into: encoder.sink) }
    mutating func encode(_ value: Float) throws { encoder.sink.gaveUp = true }
    mutating func encode(_ value: Int) throws { encoder.beginMember(); JSONWriter.writeInteger(value, into: &encoder.sink.bytes) }
    mutating func encode(_ value: Int8) throws { encoder.beginMember(); ByteEncoder.integer(value, into: encoder.sink) }
    mutating func encode(_ value: Int16) throws { encoder.beginMember(); ByteEncoder.integer(value, into: encoder.sink) }
    mutating func encode(_ value: Int32) throws { encoder.beginMember(); ByteEncoder.integer(value, into: encoder.sink) }
    mutating func encode(_ value: Int64) throws { encoder.beginMember(); ByteEncoder.integer(value, into: encoder.sink) }
    mutating func encode(_ value: UInt) throws { encoder.beginMember(); ByteEncoder.integer(value, into: encoder.sink) }
    mutating func encode(_ value: UInt8) throws { encoder.beginMember(); ByteEncoder.integer(value, into: encoder.sink) }
    mutating func encode(_ value: UInt16) throws { encoder.beginMember(); ByteEncoder.integer(value, into: encoder.sink) }
    mutating func encode(_ value: UInt32) throws { encoder.beginMember(); ByteEncoder.integer(value, into: encoder.sink) }
    mutating func encode(_ value: UInt64) throws { encoder.beginMember(); ByteEncoder.integer(value, into: encoder.sink) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        encoder.beginMember()
        try ByteEncoder.write(value, into: encoder.sink)
    }
}

private struct UnkeyedByteEncoder: UnkeyedEncodingContainer, ByteElementWriter {
    let encoder: ByteEncoder
    var codingPath: [any CodingKey] { [] }
    var count: Int { encoder.state.count }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        encoder.discarded().container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { encoder.discarded().unkeyedContainer() }
    mutating func superEncoder() -> any Encoder { encoder.discarded() }
}

private struct SingleValueByteEncoder: SingleValueEncodingContainer, ByteElementWriter {
    let encoder: ByteEncoder
    var codingPath: [any CodingKey] { [] }
}
