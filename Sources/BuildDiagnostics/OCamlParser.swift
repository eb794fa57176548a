/// Parses OCaml compiler output as printed by `dune build` (or by `ocamlc`
/// and `ocamlopt` directly):
///
/// ```
/// File "bin/main.ml", lines 1-4, characters 15-13:
/// 1 | ...............function
/// 2 |   | Some 0 -> "zero"
/// Error (warning 8 [partial-match]): this pattern-matching is not exhaustive.
/// Here is an example of a case that is not matched:
/// None
/// ```
///
/// The location line is followed by an optional numbered excerpt with `^^^`
/// markers, then `Error: ...`, `Warning N [name]: ...`,
/// `Error (warning N [name]): ...`, `Alert name: ...` or
/// `Error (alert name): ...`. Every following line up to the next `File "`
/// location belongs to the message (including `Hint:` lines). Indented
/// `File "x.mli", line 1, characters 0-24: Expected declaration` lines inside
/// a message also become related information. Dune prints paths relative to
/// the workspace root it built. Warning numbers and alert names become the code.
public struct OCamlParser: Sendable {
    /// Value of ``Diagnostic/source`` for what this parser reports.
    public var source: String

    /// Creates a parser whose diagnostics name `source` as their tool.
    public init(source: String = "ocaml") {
        self.source = source
    }

    /// Parses `output`, making paths relative to `workspaceRoot`.
    public func parse(output: String, workspaceRoot: String) -> [Diagnostic] {
        parse(lines: OutputLine.split(output), resolver: PathResolver(workspaceRoot: workspaceRoot))
    }

    func parse(lines: [OutputLine], resolver: PathResolver) -> [Diagnostic] {
        var collector = DiagnosticCollector()
        var location: (OCamlLocation, String?)?
        var pending: Diagnostic?
        func flush() {
            if let done = pending {
                var trimmed = done
                while trimmed.message.hasSuffix("\n") { trimmed.message.removeLast() }
                collector.add(trimmed)
            }
            pending = nil
        }
        for line in lines {
            let text = line.text
            if let parsed = OCamlLocation.parse(text) {
                flush()
                location = (parsed, line.directory)
                continue
            }
            if OCamlParser.isBuildNoise(text) {
                flush()
                continue
            }
            if pending != nil {
                pending?.message += "\n" + text.trimmingTrailingSpaces()
                if let (inner, remark) = OCamlLocation.parseInline(text) {
                    pending?.related.append(RelatedInformation(
                        path: resolver.resolve(inner.path, relativeTo: line.directory),
                        line: inner.line, column: inner.column, message: remark))
                }
                continue
            }
            guard let (loc, directory) = location else { continue }
            // Excerpt lines (`4 |   add 1 2`, `      ^^^^`) come before the message.
            if LineShape.gutter(text) != nil || LineShape.isCaretLine(text) { continue }
            guard let kind = OCamlParser.messageKind(text) else { continue }
            pending = Diagnostic(
                path: resolver.resolve(loc.path, relativeTo: directory),
                line: loc.line, column: loc.column, endLine: loc.endLine, endColumn: loc.endColumn,
                severity: kind.severity, message: kind.message, code: kind.code, source: source)
            location = nil
        }
        flush()
        return collector.diagnostics
    }

    struct MessageKind {
        var severity: DiagnosticSeverity
        var code: String?
        var message: String
    }

    /// Recognizes the first line of an OCaml message.
    static func messageKind(_ text: String) -> MessageKind? {
        guard let colon = text.range(of: ": ") ?? (text.hasSuffix(":") ? text.range(of: ":", options: .backwards) : nil)
        else { return nil }
        let head = text[..<colon.lowerBound]
        let message = String(text[colon.upperBound...]).trimmingTrailingSpaces()
        let words = head.split(separator: " ", maxSplits: 1)
        guard let word = words.first else { return nil }
        let detail = words.count > 1 ? words[1] : ""
        switch word {
        case "Error":
            // `Error (warning 26 [unused-var])` or `Error (alert deprecated)`.
            let inner = detail.trimmingCharacters(in: "()")
            return MessageKind(severity: .error, code: inner.isEmpty ? nil : code(from: inner), message: message)
        case "Warning":
            return MessageKind(severity: .warning, code: code(from: "warning " + detail), message: message)
        case "Alert":
            return MessageKind(severity: .warning, code: detail.isEmpty ? nil : String(detail), message: message)
        default:
            return nil
        }
    }

    /// `warning 26 [unused-var]` → `26`; `alert deprecated` → `deprecated`.
    private static func code(from text: String) -> String? {
        let parts = text.split(separator: " ")
        guard parts.count >= 2 else { return nil }
        return String(parts[1])
    }

    /// Lines dune prints between compiler messages.
    static func isBuildNoise(_ text: String) -> Bool {
        if text.hasPrefix("(cd ") || text.hasPrefix("Done: ") || text.hasPrefix("Entering directory")
            || text.hasPrefix("Leaving directory") {
            return true
        }
        // `      ocamlc bin/.main.eobjs/byte/dune__exe__Main.{cmi,cmo,cmt} (exit 2)`
        if text.hasPrefix(" "), text.hasSuffix(")"), text.contains(" (exit ") || text.contains(" (got signal ") {
            return true
        }
        return false
    }
}

private extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
