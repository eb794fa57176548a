/// A lexical token: an identifier, a string literal or one punctuation byte.
struct CodeToken: Sendable {
    enum Kind: Sendable, Equatable {
        case identifier
        /// An identifier written in backticks (never a keyword).
        case escapedIdentifier
        /// A string literal; `start..<end` includes its quotes.
        case string
        /// One ASCII punctuation byte.
        case punctuation(UInt8)
    }

    var kind: Kind
    var start: Int
    var end: Int
    /// Line of `start` (1-based).
    var line: Int
}

/// Splits source bytes into identifiers, string literals and punctuation,
/// skipping comments and whitespace, following a language's ``Lexicon``.
///
/// It is not a full lexer: its job is to keep braces, parentheses and
/// keywords inside comments and strings from being mistaken for structure.
/// String interpolation (Swift `\(…)`, JavaScript `${…}`) is skipped with the
/// string, nested literals included.
struct CodeScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    let lexicon: Lexicon
    private(set) var index = 0
    private(set) var line = 1

    init(bytes: UnsafeBufferPointer<UInt8>, lexicon: Lexicon) {
        self.bytes = bytes
        self.lexicon = lexicon
    }

    /// The next token, or nil at the end.
    mutating func next() -> CodeToken? {
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case 0x0A:
                line += 1
                index += 1
            case 0x20, 0x09, 0x0D, 0x0B, 0x0C:
                index += 1
            case UInt8(ascii: "/") where lexicon.lineComment == .slashes && peek(1) == UInt8(ascii: "/"):
                skipLine()
            case UInt8(ascii: "#") where lexicon.lineComment == .hash:
                skipLine()
            case UInt8(ascii: "/") where lexicon.blockComments && peek(1) == UInt8(ascii: "*"):
                skipBlockComment(open: UInt8(ascii: "/"), close: UInt8(ascii: "/"), nested: lexicon.nestedBlockComments)
            case UInt8(ascii: "(") where lexicon.ocamlComments && peek(1) == UInt8(ascii: "*") && peek(2) != UInt8(ascii: ")"):
                skipBlockComment(open: UInt8(ascii: "("), close: UInt8(ascii: ")"), nested: true)
            case UInt8(ascii: "\""):
                return stringToken { $0.skipQuoted(hashes: 0) }
            case UInt8(ascii: "'") where lexicon.singleQuoteStrings:
                return stringToken { $0.skipSimpleString(quote: UInt8(ascii: "'")) }
            case UInt8(ascii: "'") where lexicon.charLiterals || lexicon.rustCharsAndLifetimes:
                if let end = charLiteralEnd() { return stringToken { $0.index = end } }
                return punctuation()
            case UInt8(ascii: "`") where lexicon.backtickStrings:
                return stringToken { $0.skipTemplate() }
            case UInt8(ascii: "`") where lexicon.rawStringHashes:
                // Swift escaped identifier: `default`
                let start = index + 1
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: "`"), bytes[end] != 0x0A { end += 1 }
                guard end < bytes.count, bytes[end] == UInt8(ascii: "`") else { return punctuation() }
                index = end + 1
                return CodeToken(kind: .escapedIdentifier, start: start, end: end, line: line)
            case UInt8(ascii: "#") where lexicon.rawStringHashes && rawStringHashCount() != nil:
                let hashes = rawStringHashCount()!
                return stringToken { scanner in
                    scanner.index += hashes
                    scanner.skipQuoted(hashes: hashes)
                }
            default:
                if Self.isIdentifierByte(byte) || (lexicon.ocamlComments && byte == UInt8(ascii: "'") && index > 0) {
                    return identifier()
                }
                return punctuation()
            }
        }
        return nil
    }

    static func isIdentifierByte(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") || byte == UInt8(ascii: "_")
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "$") || byte >= 0x80
    }

    private func peek(_ offset: Int) -> UInt8 {
        index + offset < bytes.count ? bytes[index + offset] : 0
    }

    private mutating func punctuation() -> CodeToken {
        let token = CodeToken(kind: .punctuation(bytes[index]), start: index, end: index + 1, line: line)
        index += 1
        return token
    }

    private mutating func identifier() -> CodeToken {
        let start = index
        while index < bytes.count,
              Self.isIdentifierByte(bytes[index]) || (lexicon.ocamlComments && bytes[index] == UInt8(ascii: "'")) {
            index += 1
        }
        // Rust raw strings: r"…", r#"…"#, br"…".
        if lexicon.rustRawStrings, index < bytes.count, bytes[index] == UInt8(ascii: "#") || bytes[index] == UInt8(ascii: "\""),
           index - start <= 2, bytes[index - 1] == UInt8(ascii: "r") {
            var hashes = 0
            while peek(hashes) == UInt8(ascii: "#") { hashes += 1 }
            if peek(hashes) == UInt8(ascii: "\"") {
                let startLine = line
                index += hashes
                skipRaw(hashes: hashes)
                return CodeToken(kind: .string, start: start, end: index, line: startLine)
            }
        }
        return CodeToken(kind: .identifier, start: start, end: index, line: line)
    }

    private mutating func stringToken(_ skip: (inout CodeScanner) -> Void) -> CodeToken {
        let start = index, startLine = line
        skip(&self)
        return CodeToken(kind: .string, start: start, end: index, line: startLine)
    }

    private mutating func skipLine() {
        while index < bytes.count, bytes[index] != 0x0A { index += 1 }
    }

    /// Skips `/* … */` (or `(* … *)`), nested when asked.
    private mutating func skipBlockComment(open: UInt8, close: UInt8, nested: Bool) {
        index += 2
        var depth = 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A { line += 1 }
            if byte == UInt8(ascii: "*"), peek(1) == close {
                index += 2
                depth -= 1
                if depth == 0 || !nested { return }
                continue
            }
            if nested, byte == open, peek(1) == UInt8(ascii: "*") {
                depth += 1
                index += 2
                continue
            }
            index += 1
        }
    }

    /// Number of `#` before a `"` at the current position, for Swift raw strings.
    private func rawStringHashCount() -> Int? {
        var count = 0
        while peek(count) == UInt8(ascii: "#") { count += 1 }
        return count > 0 && peek(count) == UInt8(ascii: "\"") ? count : nil
    }

    /// Skips a `"`-quoted literal starting at the quote, `"""` blocks and
    /// Swift interpolation included; `hashes` closing `#`s end a raw string.
    private mutating func skipQuoted(hashes: Int) {
        let triple = lexicon.tripleQuotes && peek(1) == UInt8(ascii: "\"") && peek(2) == UInt8(ascii: "\"")
        index += triple ? 3 : 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A {
                line += 1
                // Only block literals span lines; an unterminated one ends here.
                if !triple { index += 1; return }
            }
            if byte == UInt8(ascii: "\\") {
                var cursor = index + 1
                var count = 0
                while count < hashes, cursor < bytes.count, bytes[cursor] == UInt8(ascii: "#") { cursor += 1; count += 1 }
                if count == hashes, cursor < bytes.count {
                    if bytes[cursor] == UInt8(ascii: "("), lexicon.rawStringHashes {
                        index = cursor + 1
                        skipInterpolation(close: UInt8(ascii: ")"), open: UInt8(ascii: "("))
                        continue
                    }
                    if bytes[cursor] == 0x0A { line += 1 }
                    index = cursor + 1
                    continue
                }
            }
            if byte == UInt8(ascii: "\"") {
                let quotes = triple ? 3 : 1
                var matches = true
                for offset in 0..<quotes where peek(offset) != UInt8(ascii: "\"") { matches = false }
                for offset in 0..<hashes where peek(quotes + offset) != UInt8(ascii: "#") { matches = false }
                if matches {
                    index += quotes + hashes
                    return
                }
            }
            index += 1
        }
    }

    /// Skips a Rust raw string body after `r###`: up to `"` followed by the hashes.
    private mutating func skipRaw(hashes: Int) {
        index += 1
        while index < bytes.count {
            if bytes[index] == 0x0A { line += 1 }
            if bytes[index] == UInt8(ascii: "\"") {
                var count = 0
                while count < hashes, peek(1 + count) == UInt8(ascii: "#") { count += 1 }
                if count == hashes { index += 1 + hashes; return }
            }
            index += 1
        }
    }

    /// Skips an interpolated expression up to its closing delimiter.
    private mutating func skipInterpolation(close: UInt8, open: UInt8) {
        var depth = 1
        while let token = next() {
            if case .punctuation(let byte) = token.kind {
                if byte == open { depth += 1 }
                if byte == close {
                    depth -= 1
                    if depth == 0 { return }
                }
            }
        }
    }

    /// Skips `'…'` or a one-line `"…"` with backslash escapes (Python, JavaScript).
    private mutating func skipSimpleString(quote: UInt8) {
        if lexicon.tripleQuotes, peek(1) == quote, peek(2) == quote {
            index += 3
            while index < bytes.count {
                if bytes[index] == 0x0A { line += 1 }
                if bytes[index] == UInt8(ascii: "\\") { index += 2; continue }
                if bytes[index] == quote, peek(1) == quote, peek(2) == quote { index += 3; return }
                index += 1
            }
            return
        }
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A { return }
            if byte == UInt8(ascii: "\\") { index += 2; continue }
            index += 1
            if byte == quote { return }
        }
    }

    /// Skips a JavaScript template literal, `${…}` included.
    private mutating func skipTemplate() {
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A { line += 1 }
            if byte == UInt8(ascii: "\\") { index += 2; continue }
            if byte == UInt8(ascii: "`") { index += 1; return }
            if byte == UInt8(ascii: "$"), peek(1) == UInt8(ascii: "{") {
                index += 2
                skipInterpolation(close: UInt8(ascii: "}"), open: UInt8(ascii: "{"))
                continue
            }
            index += 1
        }
    }

    /// The end of a character literal at the current `'`, or nil when the
    /// quote is something else (a Rust lifetime, an apostrophe in a macro).
    private func charLiteralEnd() -> Int? {
        var cursor = index + 1
        guard cursor < bytes.count else { return nil }
        if bytes[cursor] == UInt8(ascii: "\\") {
            cursor += 2
            var limit = 10
            while cursor < bytes.count, bytes[cursor] != UInt8(ascii: "'"), bytes[cursor] != 0x0A, limit > 0 {
                cursor += 1
                limit -= 1
            }
            return cursor < bytes.count && bytes[cursor] == UInt8(ascii: "'") ? cursor + 1 : nil
        }
        // One UTF-8 scalar, then the closing quote.
        let lead = bytes[cursor]
        let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        cursor += length
        if cursor < bytes.count, bytes[cursor] == UInt8(ascii: "'"), lead != 0x0A { return cursor + 1 }
        // C multi-character constants ('ab') are rare; anything else is not a literal.
        return lexicon.charLiterals && !lexicon.rustCharsAndLifetimes ? multiCharEnd(from: index + 1) : nil
    }

    private func multiCharEnd(from start: Int) -> Int? {
        var cursor = start
        while cursor < bytes.count, cursor - start < 8 {
            if bytes[cursor] == UInt8(ascii: "'") { return cursor + 1 }
            if bytes[cursor] == 0x0A { return nil }
            cursor += 1
        }
        return nil
    }
}
