/// A line that starts with a `path:line[:column]:` location, as printed by
/// most compilers (`main.c:4:5: error: ...`, `./x.go:3:1: msg`).
struct LocatedLine: Sendable, Equatable {
    /// The path exactly as printed.
    var path: String
    /// 1-based line.
    var line: Int
    /// 1-based column, when printed.
    var column: Int?
    /// Everything after the location's final colon (usually starts with a space).
    var rest: Substring

    /// Parses the location prefix of `text`, or returns nil when the line does
    /// not start with one. The path must not begin with whitespace and must
    /// not contain `": "`, so that `make: *** [Makefile:2: all]` and prose such
    /// as `note: see foo.c:3:` are not taken for locations.
    static func parse(_ text: some StringProtocol) -> LocatedLine? {
        let text = Substring(text)
        guard let first = text.first, first != " ", first != "\t" else { return nil }
        var searchStart = text.startIndex
        while let colon = text[searchStart...].firstIndex(of: ":") {
            let path = text[text.startIndex..<colon]
            if path.isEmpty || path.contains(": ") || path.contains("*** ") { return nil }
            var cursor = text.index(after: colon)
            if let (line, afterLine) = digits(in: text, from: cursor), afterLine < text.endIndex,
               text[afterLine] == ":" {
                cursor = text.index(after: afterLine)
                var column: Int?
                if let (col, afterCol) = digits(in: text, from: cursor), afterCol < text.endIndex,
                   text[afterCol] == ":" {
                    column = col
                    cursor = text.index(after: afterCol)
                }
                guard line > 0 else { return nil }
                return LocatedLine(
                    path: String(path), line: line, column: column.map { max($0, 1) },
                    rest: text[cursor...])
            }
            searchStart = text.index(after: colon)
        }
        return nil
    }

    /// Parses a run of ASCII digits starting at `index`.
    static func digits(in text: Substring, from index: Substring.Index) -> (Int, Substring.Index)? {
        var value = 0
        var cursor = index
        var count = 0
        while cursor < text.endIndex, let digit = text[cursor].wholeNumberValue, text[cursor].isASCII {
            value = value &* 10 &+ digit
            count += 1
            cursor = text.index(after: cursor)
            if count > 9 { return nil }
        }
        return count == 0 ? nil : (value, cursor)
    }
}

/// The `severity: message` part that follows a location, e.g.
/// ` error: expected ';'`, ` fatal error: x.h: No such file`,
/// ` error[E0308]: mismatched types`.
struct SeverityPrefix: Sendable, Equatable {
    var severity: DiagnosticSeverity
    /// The severity word as printed, lowercased (`note`, `fatal error`).
    var word: String
    /// A code printed inside brackets right after the word (`E0308`).
    var code: String?
    var message: String

    /// Splits `rest` into severity and message; nil when it does not start
    /// with a known severity word followed by a colon.
    static func parse(_ rest: some StringProtocol) -> SeverityPrefix? {
        let trimmed = Substring(rest).drop(while: { $0 == " " || $0 == "\t" })
        guard let colon = trimmed.firstIndex(of: ":") else { return nil }
        var word = trimmed[trimmed.startIndex..<colon]
        guard word.count <= 40 else { return nil }
        var code: String?
        if word.last == "]", let open = word.firstIndex(of: "[") {
            code = String(word[word.index(after: open)..<word.index(before: word.endIndex)])
            word = word[word.startIndex..<open]
        }
        guard let severity = DiagnosticSeverity(compilerWord: word) else { return nil }
        let message = trimmed[trimmed.index(after: colon)...].drop(while: { $0 == " " })
        return SeverityPrefix(
            severity: severity, word: word.lowercased(), code: code,
            message: message.trimmingTrailingSpaces())
    }
}

/// Helpers for recognizing the decorations compilers print around messages.
enum LineShape {
    /// A caret/underline line: only spaces, `^`, `~`, `-`, `+`, `|` and at least one `^` or `~`.
    static func isCaretLine(_ text: some StringProtocol) -> Bool {
        var sawMarker = false
        for char in text {
            switch char {
            case "^", "~": sawMarker = true
            case " ", "\t", "-", "+", "|": continue
            default: return false
            }
        }
        return sawMarker
    }

    /// Splits a source-excerpt gutter line (`  12 | code`, `     | ^~~`,
    /// `   :`) into its optional line number and the text after the gutter.
    /// Returns nil when the line has no such gutter.
    static func gutter(_ text: some StringProtocol) -> (number: Int?, body: Substring)? {
        let text = Substring(text)
        let afterIndent = text.drop(while: { $0 == " " })
        var cursor = afterIndent.startIndex
        var number: Int?
        if let (value, end) = LocatedLine.digits(in: afterIndent, from: cursor) {
            number = value
            cursor = end
        }
        let afterNumber = afterIndent[cursor...]
        if number == nil, afterNumber == ":" || afterNumber == "..." { return (nil, "") }
        guard afterNumber.first == " " || afterNumber.first == "|" else { return nil }
        let beforeBar = afterNumber.drop(while: { $0 == " " })
        guard beforeBar.first == "|" else { return nil }
        // Require the gutter to be separated: "12 | x" or "   | x" or "   |".
        if number == nil, afterIndent.startIndex == text.startIndex, beforeBar.startIndex == text.startIndex {
            return nil
        }
        var body = beforeBar.dropFirst()
        if body.first == " " { body = body.dropFirst() }
        return (number, body)
    }

    /// Removes a trailing flag group such as ` [-Wunused-variable]`,
    /// ` [-Werror,-Wformat]`, ` [-Werror=format=]` or Swift's
    /// ` [#DeprecatedDeclaration]` from `message` and returns it as a code.
    static func extractFlag(from message: inout String) -> String? {
        guard message.hasSuffix("]"), let open = message.lastIndex(of: "[") else { return nil }
        let inner = message[message.index(after: open)..<message.index(before: message.endIndex)]
        guard !inner.isEmpty, !inner.contains(" ") else { return nil }
        var code: String
        if inner.hasPrefix("#") {
            code = String(inner.dropFirst())
        } else if inner.hasPrefix("-W") || inner.hasPrefix("-f") {
            code = String(inner.split(separator: ",").last ?? inner)
            if code.hasPrefix("-Werror=") { code = "-W" + code.dropFirst("-Werror=".count) }
        } else {
            return nil
        }
        guard open > message.startIndex else { return nil }
        message = String(message[..<open]).trimmingTrailingSpaces()
        return code
    }
}
