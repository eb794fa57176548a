/// Appends varints and strings to a byte buffer (the index's blob format).
struct BlobWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 64) {
        bytes.reserveCapacity(capacity)
    }

    /// LEB128, 7 bits per byte, low bits first.
    mutating func varint(_ value: Int) {
        var value = UInt64(max(0, value))
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// Length-prefixed UTF-8.
    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { buffer in
            varint(buffer.count)
            bytes.append(contentsOf: buffer)
        }
    }

    /// 0 for nil, else 1 + length, then UTF-8.
    mutating func optionalString(_ value: String?) {
        guard var value else {
            varint(0)
            return
        }
        value.withUTF8 { buffer in
            varint(buffer.count + 1)
            bytes.append(contentsOf: buffer)
        }
    }

    mutating func raw(_ value: [UInt8]) {
        varint(value.count)
        bytes.append(contentsOf: value)
    }
}

/// Reads what ``BlobWriter`` wrote; every read returns nil past the end or on corruption.
struct BlobReader {
    let bytes: [UInt8]
    private(set) var index = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { index >= bytes.count }

    mutating func varint() -> Int? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.count, shift < 63 {
            let byte = bytes[index]
            index += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return Int(value) }
            shift += 7
        }
        return nil
    }

    mutating func string() -> String? {
        guard let length = varint(), index + length <= bytes.count else { return nil }
        defer { index += length }
        return String(decoding: bytes[index..<(index + length)], as: UTF8.self)
    }

    mutating func optionalString() -> String?? {
        guard let marker = varint() else { return nil }
        if marker == 0 { return .some(nil) }
        guard index + marker - 1 <= bytes.count else { return nil }
        defer { index += marker - 1 }
        return .some(String(decoding: bytes[index..<(index + marker - 1)], as: UTF8.self))
    }

    mutating func raw() -> [UInt8]? {
        guard let length = varint(), index + length <= bytes.count else { return nil }
        defer { index += length }
        return Array(bytes[index..<(index + length)])
    }
}
