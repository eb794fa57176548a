/// A file's text as lines with their terminators, so edits keep every untouched
/// line byte for byte and new lines get the file's usual line ending.
struct FileLines {
    /// Line contents without terminators.
    private(set) var contents: [String]
    /// Each line's terminator: `"\n"`, `"\r\n"`, or `""` for a last line without one.
    private var terminators: [String]
    /// The terminator most lines use (`"\n"` for files without any).
    let lineEnding: String
    /// Whether the text ends with a terminator (true for an empty text).
    private let endsWithNewline: Bool

    init(_ text: String) {
        var contents: [String] = []
        var terminators: [String] = []
        let bytes = Array(text.utf8)
        var start = 0
        var crlf = 0
        var lf = 0
        for index in bytes.indices where bytes[index] == 0x0A {
            if index > start, bytes[index - 1] == 0x0D {
                contents.append(String(decoding: bytes[start..<(index - 1)], as: UTF8.self))
                terminators.append("\r\n")
                crlf += 1
            } else {
                contents.append(String(decoding: bytes[start..<index], as: UTF8.self))
                terminators.append("\n")
                lf += 1
            }
            start = index + 1
        }
        if start < bytes.count {
            contents.append(String(decoding: bytes[start...], as: UTF8.self))
            terminators.append("")
        }
        self.contents = contents
        self.terminators = terminators
        self.lineEnding = crlf > lf ? "\r\n" : "\n"
        self.endsWithNewline = bytes.isEmpty || bytes.last == 0x0A
    }

    var count: Int { contents.count }

    /// Replaces the lines in `range` with `lines`, which get the usual line ending.
    mutating func replace(_ range: Range<Int>, with lines: [String]) {
        contents.replaceSubrange(range, with: lines)
        terminators.replaceSubrange(range, with: Array(repeating: lineEnding, count: lines.count))
        for index in terminators.indices.dropLast() where terminators[index].isEmpty {
            terminators[index] = lineEnding
        }
        if let last = terminators.indices.last {
            if !endsWithNewline {
                terminators[last] = ""
            } else if terminators[last].isEmpty {
                terminators[last] = lineEnding
            }
        }
    }

    /// The text with all replacements made.
    var text: String {
        var result = ""
        for index in contents.indices {
            result += contents[index]
            result += terminators[index]
        }
        return result
    }
}
