/// A value that writes its own JSON. For results sent thousands of times a second
/// (`daemon/status`), Codable's generic containers cost more than the rest of the round trip;
/// a type that conforms writes the same members by hand with `JSONWriter.writeObject`, and a
/// test checks that its bytes decode to the value and carry the keys that Codable writes.
public protocol JSONWritable: Encodable {
    func writeJSON(into out: inout [UInt8])
}

extension JSONWriter {
    /// Writes `{…}` with the members `body` adds, in the order it adds them.
    public static func writeObject(into out: inout [UInt8], _ body: (inout JSONMembers) -> Void) {
        var members = JSONMembers(bytes: out)
        out = []  // `members` now holds the only reference: its appends do not copy.
        members.bytes.append(UInt8(ascii: "{"))
        body(&members)
        members.bytes.append(UInt8(ascii: "}"))
        out = members.bytes
    }

    /// Writes `[…]` of values that write themselves.
    public static func writeArray<Element: JSONWritable>(_ elements: [Element], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            element.writeJSON(into: &out)
        }
        out.append(UInt8(ascii: "]"))
    }
}

/// The members of an object being written: each `add` writes a comma when needed, the key and
/// the value. `addIfPresent` leaves a nil value out, as synthesized `Encodable` does.
public struct JSONMembers {
    fileprivate var bytes: [UInt8]
    private var count = 0

    fileprivate init(bytes: [UInt8]) { self.bytes = bytes }

    /// Keys are literals in the writing type: copied as they are, with no escaping to look for.
    private mutating func key(_ key: StaticString) {
        assert(!key.description.contains(where: { $0 == "\"" || $0 == "\\" }), "a key that needs escaping")
        if count > 0 { bytes.append(UInt8(ascii: ",")) }
        count += 1
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: "\":".utf8)
    }

    public mutating func add(_ key: StaticString, _ value: String) {
        self.key(key)
        JSONWriter.writeString(value, into: &bytes)
    }

    public mutating func add(_ key: StaticString, _ value: Int) {
        self.key(key)
        JSONWriter.writeInteger(value, into: &bytes)
    }

    /// An unsigned count or identity, with all its digits.
    public mutating func add(_ key: StaticString, _ value: UInt64) {
        self.key(key)
        if let int = Int(exactly: value) {
            JSONWriter.writeInteger(int, into: &bytes)
        } else {
            bytes.append(contentsOf: String(value).utf8)
        }
    }

    public mutating func add(_ key: StaticString, _ value: Double) {
        self.key(key)
        JSONWriter.writeNumber(value, into: &bytes)
    }

    public mutating func add(_ key: StaticString, _ value: Bool) {
        self.key(key)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    public mutating func add(_ key: StaticString, _ values: [String]) {
        self.key(key)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONWriter.writeString(value, into: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    public mutating func add<Value: JSONWritable>(_ key: StaticString, _ value: Value) {
        self.key(key)
        value.writeJSON(into: &bytes)
    }

    public mutating func add<Element: JSONWritable>(_ key: StaticString, _ values: [Element]) {
        self.key(key)
        JSONWriter.writeArray(values, into: &bytes)
    }

    public mutating func addIfPresent(_ key: StaticString, _ value: Double?) {
        if let value { add(key, value) }
    }

    public mutating func addIfPresent<Element: JSONWritable>(_ key: StaticString, _ values: [Element]?) {
        if let values { add(key, values) }
    }
}
