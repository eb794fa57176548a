/// The LSP base protocol's header part: `Content-Length: N\r\n` (required),
/// `Content-Type: ...\r\n` (optional, UTF-8 only), ended by an empty line.
public enum FrameHeader {
    /// A header block longer than this without its closing empty line is not a header.
    public static let maximumHeaderBytes = 8192

    /// What the bytes at the start of a buffer hold.
    public enum ParseResult: Equatable, Sendable {
        /// The header is not complete yet.
        case needMoreData
        /// A valid header of `headerLength` bytes, announcing a body of `contentLength` bytes.
        case header(headerLength: Int, contentLength: Int)
        /// A complete but invalid header block of `headerLength` bytes; skip it and go on.
        case malformed(headerLength: Int, reason: String)
        /// A valid header announcing a body larger than allowed.
        case tooLarge(headerLength: Int, contentLength: Int)
        /// No end of header within `maximumHeaderBytes`: the stream cannot be resynchronised.
        case unterminated(reason: String)
    }

    /// Parses the header at the start of `bytes`.
    public static func parse(_ bytes: UnsafeRawBufferPointer, maximumFrameBytes: Int) -> ParseResult {
        if let fast = parseCommonHeader(bytes, maximumFrameBytes: maximumFrameBytes) { return fast }
        let limit = min(bytes.count, maximumHeaderBytes + 4)
        var end = -1
        var i = 0
        while i + 3 < limit {
            if bytes[i] == 0x0D && bytes[i + 1] == 0x0A && bytes[i + 2] == 0x0D && bytes[i + 3] == 0x0A {
                end = i
                break
            }
            i += 1
        }
        if end < 0 {
            if bytes.count >= maximumHeaderBytes + 4 {
                return .unterminated(reason: "no end of header (an empty line, \\r\\n\\r\\n) within the first \(maximumHeaderBytes) bytes; every message must start with 'Content-Length: N\\r\\n\\r\\n'")
            }
            return .needMoreData
        }
        let headerLength = end + 4
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self)
        var contentLength: Int?
        for line in text.split(separator: "\r\n", omittingEmptySubsequences: false) {
            guard let colon = line.firstIndex(of: ":") else {
                return .malformed(headerLength: headerLength, reason: "header line '\(line.prefix(80))' is not 'Name: value'; every message must start with 'Content-Length: N\\r\\n\\r\\n'")
            }
            let name = line[..<colon].trimmingCharacters(in: " \t").lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: " \t")
            switch name {
            case "content-length":
                guard !value.isEmpty, value.allSatisfy(\.isASCIIDigit), value.count < 19, let n = Int(value) else {
                    return .malformed(headerLength: headerLength, reason: "Content-Length '\(value.prefix(40))' is not a non-negative decimal number")
                }
                contentLength = n
            case "content-type":
                let lowered = value.lowercased()
                if let range = lowered.range(of: "charset=") {
                    let charset = lowered[range.upperBound...].prefix { $0 != ";" }.trimmingCharacters(in: " \t\"")
                    if charset != "utf-8" && charset != "utf8" {
                        return .malformed(headerLength: headerLength, reason: "Content-Type charset '\(charset)' is not supported; send UTF-8")
                    }
                }
            default:
                continue  // Unknown headers are allowed and ignored.
            }
        }
        guard let length = contentLength else {
            return .malformed(headerLength: headerLength, reason: "header has no Content-Length; every message must start with 'Content-Length: N\\r\\n\\r\\n'")
        }
        if length > maximumFrameBytes {
            return .tooLarge(headerLength: headerLength, contentLength: length)
        }
        return .header(headerLength: headerLength, contentLength: length)
    }

    /// The header nearly every client sends, `Content-Length: N\r\n\r\n`, read without
    /// allocating; nil sends the bytes to the general parser.
    private static func parseCommonHeader(_ bytes: UnsafeRawBufferPointer, maximumFrameBytes: Int) -> ParseResult? {
        let prefix: StaticString = "Content-Length: "
        let prefixLength = prefix.utf8CodeUnitCount
        guard bytes.count > prefixLength + 4 else { return nil }
        for i in 0..<prefixLength where bytes[i] != prefix.utf8Start[i] { return nil }
        var index = prefixLength
        var length = 0
        var digits = 0
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39, digits < 18 {
            length = length * 10 + Int(bytes[index] - 0x30)
            index += 1
            digits += 1
        }
        guard digits > 0, index + 4 <= bytes.count,
              bytes[index] == 0x0D, bytes[index + 1] == 0x0A, bytes[index + 2] == 0x0D, bytes[index + 3] == 0x0A else { return nil }
        if length > maximumFrameBytes { return .tooLarge(headerLength: index + 4, contentLength: length) }
        return .header(headerLength: index + 4, contentLength: length)
    }

    /// The header for a body of `count` bytes.
    public static func encode(contentLength count: Int) -> [UInt8] {
        Array("Content-Length: \(count)\r\n\r\n".utf8)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var s = self[...]
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String { self[...].trimmingCharacters(in: set) }
}
