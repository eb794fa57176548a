/// Parses `tsc` output in all of its forms:
///
/// - plain (`--pretty false`, or output that is not a terminal):
///   `src/a.ts(12,5): error TS2322: message`, with chained explanations on
///   the following lines indented by two spaces per level;
/// - pretty (`--pretty`): `src/a.ts:12:5 - error TS2322: message`, then a
///   source excerpt and, for related locations, an indented
///   `  src/b.ts:3:3` line, its excerpt and its message.
///
/// Chained explanations stay in the message (one line each, keeping the
/// nesting indentation relative to the first level); related locations become
/// related information. The `TSnnnn` code becomes the code.
public struct TypeScriptParser: Sendable {
    /// Value of ``Diagnostic/source`` for what this parser reports.
    public var source: String

    /// Creates a parser whose diagnostics name `source` as their tool.
    public init(source: String = "tsc") {
        self.source = source
    }

    /// Parses `output`, making paths relative to `workspaceRoot`.
    public func parse(output: String, workspaceRoot: String) -> [Diagnostic] {
        parse(lines: OutputLine.split(output), resolver: PathResolver(workspaceRoot: workspaceRoot))
    }

    private enum Phase { case message, excerpt, relatedExcerpt }

    func parse(lines: [OutputLine], resolver: PathResolver) -> [Diagnostic] {
        var collector = DiagnosticCollector()
        var pending: Diagnostic?
        var phase = Phase.message
        func flush() {
            if let pending { collector.add(pending) }
            pending = nil
        }
        for line in lines {
            let text = line.text
            if let header = TypeScriptParser.header(text) {
                flush()
                pending = Diagnostic(
                    path: resolver.resolve(header.path, relativeTo: line.directory),
                    line: header.line, column: header.column, severity: header.severity,
                    message: header.message, code: header.code, source: source)
                phase = .message
                continue
            }
            guard pending != nil else { continue }
            if text.trimmingSpaces().isEmpty {
                if phase == .message { phase = .excerpt }
                continue
            }
            if text.hasPrefix("Found ") && (text.contains(" error") || text.contains(" warning")) {
                flush()
                continue
            }
            switch phase {
            case .message:
                guard text.hasPrefix("  ") else {
                    flush()
                    continue
                }
                pending?.message += "\n" + text.dropFirst(2).trimmingTrailingSpaces()
            case .excerpt, .relatedExcerpt:
                // `  src/model.ts:3:3` opens a related location.
                if text.hasPrefix("  "), !text.hasPrefix("   "),
                   let located = LocatedLine.parse(text.dropFirst(2) + ":"), located.rest.isEmpty {
                    pending?.related.append(RelatedInformation(
                        path: resolver.resolve(located.path, relativeTo: line.directory),
                        line: located.line, column: located.column, message: ""))
                    phase = .relatedExcerpt
                    continue
                }
                guard phase == .relatedExcerpt, text.hasPrefix("    ") else { continue }
                let body = text.dropFirst(4)
                if TypeScriptParser.isExcerptLine(body) { continue }
                if let last = pending?.related.indices.last {
                    let existing = pending!.related[last].message
                    let addition = body.trimmingTrailingSpaces()
                    pending?.related[last].message = existing.isEmpty ? addition : existing + "\n" + addition
                }
            }
        }
        flush()
        return collector.diagnostics
    }

    /// Excerpt lines of the pretty form: `3 const u = 1;` or `  ~~~`.
    private static func isExcerptLine(_ text: some StringProtocol) -> Bool {
        if LineShape.isCaretLine(text) { return true }
        let trimmed = Substring(text).drop(while: { $0 == " " })
        guard let (_, end) = LocatedLine.digits(in: trimmed, from: trimmed.startIndex) else { return false }
        return end == trimmed.endIndex || trimmed[end] == " "
    }

    struct Header {
        var path: String
        var line: Int
        var column: Int?
        var severity: DiagnosticSeverity
        var code: String?
        var message: String
    }

    /// Parses `path(line,col): error TSn: msg` or `path:line:col - error TSn: msg`.
    static func header(_ text: String) -> Header? {
        guard let first = text.first, first != " ", first != "\t" else { return nil }
        var path: Substring
        var line: Int
        var column: Int?
        var rest: Substring
        if let open = text.firstIndex(of: "("), let close = text[open...].firstIndex(of: ")"),
           text[close...].hasPrefix("): ") {
            let numbers = text[text.index(after: open)..<close].split(separator: ",")
            guard numbers.count == 2, let l = Int(numbers[0]), let c = Int(numbers[1]) else { return nil }
            path = text[..<open]
            line = l
            column = c
            rest = text[text.index(close, offsetBy: 3)...]
        } else if let dash = text.range(of: " - "), let located = LocatedLine.parse(text[..<dash.lowerBound] + ":"),
                  located.rest.isEmpty {
            path = Substring(located.path)
            line = located.line
            column = located.column
            rest = text[dash.upperBound...]
        } else {
            return nil
        }
        // rest: "error TS2322: message"
        guard let space = rest.firstIndex(of: " "), let colon = rest.firstIndex(of: ":"), space < colon,
              let severity = DiagnosticSeverity(compilerWord: rest[..<space]) else { return nil }
        let code = rest[rest.index(after: space)..<colon].trimmingSpaces()
        guard code.hasPrefix("TS") else { return nil }
        let message = rest[rest.index(after: colon)...].trimmingSpaces()
        return Header(path: String(path), line: line, column: column, severity: severity,
                      code: code, message: message)
    }
}
