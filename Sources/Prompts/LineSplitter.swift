/// Splitting texts into lines. Works on UTF-8 bytes because Swift treats `"\r\n"`
/// as one `Character`.
enum LineSplitter {
    /// The lines of `text` without their `"\n"` or `"\r\n"` terminators. A final
    /// terminator does not start another, empty line.
    static func lines(_ text: String) -> [String] {
        var result: [String] = []
        var utf8 = Array(text.utf8)
        if utf8.last == 0x0A { utf8.removeLast() } else if utf8.isEmpty { return [] }
        for piece in utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
            let content = piece.last == 0x0D ? piece.dropLast() : piece
            result.append(String(decoding: content, as: UTF8.self))
        }
        return result
    }

    /// The number of lines of `text`, counting a last line without terminator.
    static func lineCount(_ text: String) -> Int {
        var count = 0
        var last: UInt8 = 0x0A
        for byte in text.utf8 {
            if byte == 0x0A { count += 1 }
            last = byte
        }
        return last == 0x0A ? count : count + 1
    }

    /// `line` without trailing spaces and tabs (and a stray carriage return).
    static func trimmingTrailingWhitespace(_ line: String) -> String {
        var scalars = Substring(line).unicodeScalars
        while let last = scalars.last, last == " " || last == "\t" || last == "\r" { scalars.removeLast() }
        return String(scalars)
    }

    /// `line` without leading and trailing whitespace.
    static func trimmed(_ line: some StringProtocol) -> String {
        var scalars = Substring(line).unicodeScalars
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }

    /// The leading spaces and tabs of `line`.
    static func indentation(_ line: String) -> Substring {
        Substring(line).prefix { $0 == " " || $0 == "\t" }
    }

    /// True when `line` has only whitespace.
    static func isBlank(_ line: some StringProtocol) -> Bool {
        line.unicodeScalars.allSatisfy { $0.properties.isWhitespace }
    }
}
