/// A last-resort parser for tools with no dedicated parser: every line of the
/// form `path:line:column: message` or `path:line: message` is a diagnostic.
///
/// A leading `error:`/`warning:`/`note:` word in the message sets the
/// severity (otherwise ``defaultSeverity`` is used); lines indented by a tab
/// or at least two spaces that follow a diagnostic continue its message,
/// unless they look like a source excerpt. To avoid prose and build-driver
/// chatter, the path must not contain spaces and must look like a file name
/// (contain a `/` or a `.`).
public struct GenericParser: Sendable {
    /// Value of ``Diagnostic/source`` for what this parser reports.
    public var source: String
    /// Severity of lines that do not name one.
    public var defaultSeverity: DiagnosticSeverity

    /// Creates a parser whose diagnostics name `source` as their tool.
    public init(source: String = "generic", defaultSeverity: DiagnosticSeverity = .error) {
        self.source = source
        self.defaultSeverity = defaultSeverity
    }

    /// Parses `output`, making paths relative to `workspaceRoot`.
    public func parse(output: String, workspaceRoot: String) -> [Diagnostic] {
        parse(lines: OutputLine.split(output), resolver: PathResolver(workspaceRoot: workspaceRoot))
    }

    func parse(lines: [OutputLine], resolver: PathResolver) -> [Diagnostic] {
        var collector = DiagnosticCollector()
        var pending: Diagnostic?
        func flush() {
            if let pending { collector.add(pending) }
            pending = nil
        }
        for line in lines {
            let text = line.text
            if pending != nil, text.hasPrefix("\t") || text.hasPrefix("  ") {
                if LineShape.gutter(text) != nil || LineShape.isCaretLine(text) {
                    continue
                }
                pending?.message += "\n" + text.trimmingSpaces()
                continue
            }
            flush()
            guard let located = LocatedLine.parse(text), GenericParser.looksLikeFile(located.path) else {
                continue
            }
            var message = located.rest.trimmingSpaces()
            guard !message.isEmpty else { continue }
            var severity = defaultSeverity
            var code: String?
            if let prefix = SeverityPrefix.parse(message) {
                severity = prefix.severity
                message = prefix.message
                code = prefix.code
            }
            code = code ?? LineShape.extractFlag(from: &message)
            pending = Diagnostic(
                path: resolver.resolve(located.path, relativeTo: line.directory),
                line: located.line, column: located.column,
                severity: severity, message: message, code: code, source: source)
        }
        flush()
        return collector.diagnostics
    }

    static func looksLikeFile(_ path: String) -> Bool {
        !path.contains(" ") && (path.contains("/") || path.contains("."))
    }
}
