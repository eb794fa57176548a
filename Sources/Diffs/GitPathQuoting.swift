/// Reading and writing paths the way git quotes them in diff headers: a path with
/// control characters, `"`, `\` or non-ASCII bytes is written in double quotes with
/// C-style escapes (`\t`, `\"`, `\\`, and `\303\251` octal bytes for UTF-8).
public enum GitPathQuoting {
    /// The path as git would write it in a header: unchanged when no quoting is
    /// needed, otherwise quoted and escaped. `path` should include any `a/`/`b/` prefix.
    public static func quotedIfNeeded(_ path: String) -> String {
        guard path.utf8.contains(where: needsEscape) else { return path }
        var out = "\""
        for byte in path.utf8 {
            switch byte {
            case 0x07: out += "\\a"
            case 0x08: out += "\\b"
            case 0x09: out += "\\t"
            case 0x0A: out += "\\n"
            case 0x0B: out += "\\v"
            case 0x0C: out += "\\f"
            case 0x0D: out += "\\r"
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case _ where needsEscape(byte):
                let octal = String(byte, radix: 8)
                out += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
            default: out.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return out + "\""
    }

    /// Reads a quoted path at the start of `bytes` (which must begin with `"`).
    /// Returns the unescaped path and the number of bytes consumed including both
    /// quotes, or nil when the quoting is malformed (bad escape, no closing quote).
    static func unquote(_ bytes: ArraySlice<UInt8>) -> (path: String, consumed: Int)? {
        guard bytes.first == UInt8(ascii: "\"") else { return nil }
        var out: [UInt8] = []
        var index = bytes.startIndex + 1
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                return (String(decoding: out, as: UTF8.self), index + 1 - bytes.startIndex)
            }
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                index += 1
                continue
            }
            index += 1
            guard index < bytes.endIndex else { return nil }
            let escaped = bytes[index]
            switch escaped {
            case UInt8(ascii: "a"): out.append(0x07)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "v"): out.append(0x0B)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(escaped)
            case UInt8(ascii: "0")...UInt8(ascii: "3"):
                guard index + 2 < bytes.endIndex else { return nil }
                var value = 0
                for digit in bytes[index...(index + 2)] {
                    guard (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(digit) else { return nil }
                    value = value * 8 + Int(digit - UInt8(ascii: "0"))
                }
                out.append(UInt8(value))
                index += 2
            default:
                return nil
            }
            index += 1
        }
        return nil
    }

    /// Reads a quoted path from a whole string such as `"a/f\303\266o"`.
    public static func unquoted(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard let (path, consumed) = unquote(bytes[...]), consumed == bytes.count else { return nil }
        return path
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x22 || byte == 0x5C || byte >= 0x7F
    }
}
