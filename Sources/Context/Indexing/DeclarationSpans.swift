/// Completes declarations whose last line the parser did not report, and
/// fills in signatures from the source.
///
/// - Brace languages: the first `{` after the name at the same bracket
///   depth opens the body and its matching `}` ends it; a `;` first means a
///   bodiless declaration (a prototype, `mod x;`, a trait requirement).
/// - Python: the lines indented deeper than the `def`/`class` line.
/// - OCaml: up to the next line at the same or lower indentation that
///   starts an item (`let`, `type`, `module`, `open`, …).
struct DeclarationSpans {
    private struct Event {
        var offset: Int
        var line: Int
        var byte: UInt8
        /// For `{`: the line of its matching `}` (or the last line when unmatched).
        var closeLine: Int
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let lines: LineTable
    let language: Language
    private var events: [Event] = []

    init(bytes: UnsafeBufferPointer<UInt8>, lines: LineTable, language: Language) {
        self.bytes = bytes
        self.lines = lines
        self.language = language
    }

    /// Symbols with every span and signature filled in, sorted by position.
    mutating func complete(_ tags: [CtagsRunner.Tag]) -> [Symbol] {
        if language.spanStyle == .braces, tags.contains(where: { !$0.endKnown && $0.symbol.category != .value }) {
            buildEvents()
        }
        var symbols: [Symbol] = []
        symbols.reserveCapacity(tags.count)
        for tag in tags {
            var symbol = tag.symbol
            guard symbol.line >= 1, symbol.line <= lines.count else { continue }
            // Python's ctags parser calls methods "member"; elsewhere members are fields.
            if language == .python, symbol.kind == "member" { symbol.kind = "method" }
            if !tag.endKnown, symbol.category != .value || language == .ocaml {
                switch language.spanStyle {
                case .braces: symbol.endLine = braceEnd(of: symbol)
                case .indentation: symbol.endLine = indentationEnd(from: symbol.line)
                case .ocamlKeywords: symbol.endLine = ocamlEnd(from: symbol.line)
                case .none: break
                }
            }
            symbol.endLine = min(max(symbol.endLine, symbol.line), lines.count)
            symbol.signature = Self.signature(lines.text(of: symbol.line, in: bytes))
            symbols.append(symbol)
        }
        return symbols.sorted { ($0.line, -$0.endLine) < ($1.line, -$1.endLine) }
    }

    /// The declaration's line, trimmed and cut before its body.
    static func signature(_ line: Substring) -> String {
        var text = line.trimmingPrefix { $0 == " " || $0 == "\t" }
        if let brace = text.firstIndex(of: "{") { text = text[..<brace] }
        while let last = text.last, last == " " || last == "\t" || last == "\r" { text = text.dropLast() }
        return text.count > 200 ? String(text.prefix(200)) + "…" : String(text)
    }

    private mutating func buildEvents() {
        var scanner = CodeScanner(bytes: bytes, lexicon: language.lexicon)
        var openStack: [Int] = []
        while let token = scanner.next() {
            guard case .punctuation(let byte) = token.kind else { continue }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "("), UInt8(ascii: "["):
                openStack.append(events.count)
                events.append(Event(offset: token.start, line: token.line, byte: byte, closeLine: lines.count))
            case UInt8(ascii: "}"), UInt8(ascii: ")"), UInt8(ascii: "]"):
                if let open = openStack.popLast() { events[open].closeLine = token.line }
                events.append(Event(offset: token.start, line: token.line, byte: byte, closeLine: token.line))
            case UInt8(ascii: ";"):
                events.append(Event(offset: token.start, line: token.line, byte: byte, closeLine: token.line))
            default:
                break
            }
        }
    }

    private func braceEnd(of symbol: Symbol) -> Int {
        let lineRange = lines.range(of: symbol.line, in: bytes)
        var from = lineRange.lowerBound
        if let found = Self.find(Array(symbol.name.utf8), in: bytes, range: lineRange) { from = found + symbol.name.utf8.count }
        // First event at or after `from`.
        var low = 0, high = events.count
        while low < high {
            let middle = (low + high) / 2
            if events[middle].offset < from { low = middle + 1 } else { high = middle }
        }
        var depth = 0
        var index = low
        while index < events.count, events[index].line <= symbol.line + 40 || depth > 0 {
            let event = events[index]
            switch event.byte {
            case UInt8(ascii: "("), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: ")"), UInt8(ascii: "]"):
                depth -= 1
                if depth < 0 { return symbol.line }
            case UInt8(ascii: "{"):
                if depth == 0 { return event.closeLine }
            case UInt8(ascii: "}"):
                if depth == 0 { return symbol.line }
            default:
                if depth == 0 { return event.line }
            }
            index += 1
        }
        return symbol.line
    }

    private static func find(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>) -> Int? {
        guard !needle.isEmpty, range.count >= needle.count else { return nil }
        var start = range.lowerBound
        while start + needle.count <= range.upperBound {
            var matches = true
            for offset in 0..<needle.count where bytes[start + offset] != needle[offset] {
                matches = false
                break
            }
            if matches { return start }
            start += 1
        }
        return nil
    }

    private func indentation(of line: Int) -> Int? {
        let range = lines.range(of: line, in: bytes)
        var width = 0
        for index in range {
            switch bytes[index] {
            case 0x20: width += 1
            case 0x09: width += 8 - width % 8
            default: return width
            }
        }
        return nil  // blank
    }

    private func indentationEnd(from line: Int) -> Int {
        guard let own = indentation(of: line) else { return line }
        var end = line
        var current = line + 1
        while current <= lines.count {
            if let width = indentation(of: current) {
                if width <= own { break }
                end = current
            }
            current += 1
        }
        return end
    }

    private static let ocamlItemStarts: [String] = [
        "let ", "let\t", "and ", "type ", "module ", "open ", "include ", "exception ", "external ", "class ", "val ",
        "end", ";;", "(*",
    ]

    private func ocamlEnd(from line: Int) -> Int {
        guard let own = indentation(of: line) else { return line }
        var end = line
        var current = line + 1
        while current <= lines.count {
            if let width = indentation(of: current) {
                let text = lines.text(of: current, in: bytes).dropFirst(width)
                if width < own || (width == own && Self.ocamlItemStarts.contains { text.hasPrefix($0) }) {
                    // A closing `end` at the same indentation belongs to the item (module … = struct … end).
                    if width == own, text.hasPrefix("end") { end = current }
                    break
                }
                end = current
            }
            current += 1
        }
        return end
    }
}
