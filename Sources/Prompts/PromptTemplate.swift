/// A prompt template: messages introduced by `{{#system}}`, `{{#user}}` or
/// `{{#assistant}}` marker lines, whose text may use the `TemplatePlaceholder`s.
///
/// ```text
/// {{#system}}
/// You edit code. Answer with a unified diff.
/// {{instructions}}
/// {{#user}}
/// {{context}}
/// {{#user}}
/// {{files}}
/// {{prompt}}
/// ```
///
/// Text like `{{ name }}` whose name is not a placeholder is an error, so typos
/// are caught when the template is loaded; `{{open_braces}}` writes a literal `{{`.
public struct PromptTemplate: Sendable, Hashable {
    /// A literal piece of text or a placeholder.
    enum Piece: Sendable, Hashable {
        case text(String)
        case placeholder(TemplatePlaceholder)
    }

    /// One message: its role and lines, each a sequence of pieces.
    struct Section: Sendable, Hashable {
        var role: PromptRole
        var lines: [[Piece]]

        var placeholders: Set<TemplatePlaceholder> {
            Set(lines.flatMap { $0.compactMap { if case .placeholder(let p) = $0 { p } else { nil } } })
        }
    }

    /// Where the template came from: a file path or `built-in name@version`.
    public let source: String
    /// The template's text.
    public let text: String
    let sections: [Section]

    /// Parses `text`; `source` names it in errors.
    ///
    /// - Throws: `PromptTemplateError` for unknown placeholders or markers, text
    ///   before the first marker, or a template without markers.
    public init(text: String, source: String) throws(PromptTemplateError) {
        var sections: [Section] = []
        for (index, line) in LineSplitter.lines(text).enumerated() {
            let trimmed = LineSplitter.trimmed(line)
            if trimmed.hasPrefix("{{#"), trimmed.hasSuffix("}}"),
               !trimmed.dropFirst(3).dropLast(2).contains(where: { $0 == "{" || $0 == "}" }) {
                let name = LineSplitter.trimmed(trimmed.dropFirst(3).dropLast(2))
                guard let role = PromptRole(rawValue: name) else {
                    throw PromptTemplateError(source: source, line: index + 1, reason: .unknownMessageMarker(name))
                }
                sections.append(Section(role: role, lines: []))
                continue
            }
            let pieces = try Self.pieces(of: line, source: source, line: index + 1)
            guard !sections.isEmpty else {
                if LineSplitter.isBlank(line) { continue }
                throw PromptTemplateError(source: source, line: index + 1, reason: .textBeforeFirstMessage)
            }
            sections[sections.count - 1].lines.append(pieces)
        }
        guard !sections.isEmpty else { throw PromptTemplateError(source: source, reason: .noMessages) }
        self.source = source
        self.text = text
        self.sections = sections
    }

    /// Every placeholder the template uses.
    public var placeholders: Set<TemplatePlaceholder> {
        sections.reduce(into: []) { $0.formUnion($1.placeholders) }
    }

    /// Splits a line into text and placeholders.
    private static func pieces(of line: String, source: String, line number: Int) throws(PromptTemplateError) -> [Piece] {
        var pieces: [Piece] = []
        var rest = Substring(line)
        var literal = ""
        while let open = rest.range(of: "{{") {
            literal += rest[..<open.lowerBound]
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.range(of: "}}") else {
                literal += rest[open.lowerBound...]
                rest = ""
                break
            }
            let name = LineSplitter.trimmed(afterOpen[..<close.lowerBound])
            let isName = !name.isEmpty && name.count <= 40
                && name.allSatisfy { $0.isLetter || $0.isNumber || "_-.#".contains($0) }
            guard isName else {
                literal += "{{"
                rest = afterOpen
                continue
            }
            guard let placeholder = TemplatePlaceholder(rawValue: name) else {
                let reason: PromptTemplateError.Reason
                if name.hasPrefix("#") {
                    let role = String(name.dropFirst())
                    reason = PromptRole(rawValue: role) == nil ? .unknownMessageMarker(role) : .markerNotAlone(role)
                } else {
                    reason = .unknownPlaceholder(name, suggestion: TemplatePlaceholder.suggestion(for: name)?.rawValue)
                }
                throw PromptTemplateError(source: source, line: number, reason: reason)
            }
            if !literal.isEmpty { pieces.append(.text(literal)) }
            literal = ""
            pieces.append(.placeholder(placeholder))
            rest = afterOpen[close.upperBound...]
        }
        literal += rest
        if !literal.isEmpty { pieces.append(.text(literal)) }
        return pieces
    }

    /// The messages for `values`. Placeholder values go in verbatim; a template
    /// line holding only placeholders that render empty is dropped, runs of blank
    /// template lines shrink to one, messages left empty are dropped, and a message
    /// is stable when it uses only stable placeholders and every message before it
    /// is stable.
    func render(_ values: [TemplatePlaceholder: String]) -> [PromptMessage] {
        var messages: [PromptMessage] = []
        var prefixStable = true
        for section in sections {
            var lines: [String] = []
            for pieces in section.lines {
                var rendered = ""
                var onlyPlaceholders = !pieces.isEmpty
                for piece in pieces {
                    switch piece {
                    case .text(let text):
                        rendered += text
                        if !LineSplitter.isBlank(text) { onlyPlaceholders = false }
                    case .placeholder(let placeholder):
                        rendered += values[placeholder] ?? ""
                    }
                }
                if LineSplitter.isBlank(rendered) {
                    if !onlyPlaceholders, let last = lines.last, !last.isEmpty { lines.append("") }
                } else {
                    lines.append(rendered)
                }
            }
            while lines.last == "" { lines.removeLast() }
            guard !lines.isEmpty else { continue }
            let stable = prefixStable && section.placeholders.allSatisfy(\.isStable)
            prefixStable = stable
            messages.append(PromptMessage(role: section.role, content: lines.joined(separator: "\n"), stable: stable))
        }
        return messages
    }
}
