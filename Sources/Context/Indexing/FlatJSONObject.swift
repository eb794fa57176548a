/// Parses one flat JSON object (string, number, boolean and null values;
/// no nesting), as universal-ctags prints one per line with
/// `--output-format=json`. Hand-written because tags arrive by the
/// hundred thousand and a general decoder costs several times more.
enum FlatJSONObject {
    /// A value of the object.
    enum Value: Equatable {
        case string(String)
        case number(Int)
        case other
    }

    /// The fields of the object on `line`, or nil when it is not a flat object.
    static func parse(_ line: UnsafeBufferPointer<UInt8>) -> [String: Value]? {
        var index = 0
        var fields: [String: Value] = [:]
        func skipSpace() {
            while index < line.count, line[index] == 0x20 || line[index] == 0x09 || line[index] == 0x0D { index += 1 }
        }
        skipSpace()
        guard index < line.count, line[index] == UInt8(ascii: "{") else { return nil }
        index += 1
        while true {
            skipSpace()
            guard index < line.count else { return nil }
            if line[index] == UInt8(ascii: "}") { return fields }
            if line[index] == UInt8(ascii: ",") { index += 1; continue }
            guard let key = string(line, &index) else { return nil }
            skipSpace()
            guard index < line.count, line[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            skipSpace()
            guard index < line.count else { return nil }
            switch line[index] {
            case UInt8(ascii: "\""):
                guard let value = string(line, &index) else { return nil }
                fields[key] = .string(value)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                var negative = false
                if line[index] == UInt8(ascii: "-") { negative = true; index += 1 }
                var number = 0
                while index < line.count, line[index] >= UInt8(ascii: "0"), line[index] <= UInt8(ascii: "9") {
                    number = number &* 10 &+ Int(line[index] - UInt8(ascii: "0"))
                    index += 1
                }
                fields[key] = .number(negative ? -number : number)
            default:
                // true, false, null: skip the word.
                while index < line.count, line[index] != UInt8(ascii: ","), line[index] != UInt8(ascii: "}") { index += 1 }
                fields[key] = .other
            }
        }
    }

    /// Reads a JSON string starting at its opening quote.
    private static func string(_ line: UnsafeBufferPointer<UInt8>, _ index: inout Int) -> String? {
        guard index < line.count, line[index] == UInt8(ascii: "\"") else { return nil }
        index += 1
        let start = index
        var plain = true
        while index < line.count, line[index] != UInt8(ascii: "\"") {
            if line[index] == UInt8(ascii: "\\") { plain = false; index += 1 }
            index += 1
        }
        guard index < line.count else { return nil }
        let raw = UnsafeBufferPointer(rebasing: line[start..<index])
        index += 1
        if plain { return String(decoding: raw, as: UTF8.self) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.count)
        var cursor = 0
        var pendingHigh: UInt32?
        while cursor < raw.count {
            let byte = raw[cursor]
            guard byte == UInt8(ascii: "\\"), cursor + 1 < raw.count else {
                bytes.append(byte)
                cursor += 1
                continue
            }
            let escaped = raw[cursor + 1]
            cursor += 2
            switch escaped {
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "b"): bytes.append(0x08)
            case UInt8(ascii: "f"): bytes.append(0x0C)
            case UInt8(ascii: "u"):
                guard cursor + 4 <= raw.count,
                      let code = UInt32(String(decoding: UnsafeBufferPointer(rebasing: raw[cursor..<cursor + 4]), as: UTF8.self), radix: 16)
                else { return nil }
                cursor += 4
                if (0xD800..<0xDC00).contains(code) { pendingHigh = code; continue }
                var scalarValue = code
                if (0xDC00..<0xE000).contains(code), let high = pendingHigh {
                    scalarValue = 0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00)
                }
                pendingHigh = nil
                bytes.append(contentsOf: String(Unicode.Scalar(scalarValue) ?? "\u{FFFD}").utf8)
            default: bytes.append(escaped)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
