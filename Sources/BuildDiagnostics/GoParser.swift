/// Parses `go build`, `go vet` and `go test` compile output.
///
/// ```
/// # example.com/demo
/// ./main.go:16:6: value redeclared in this block
/// 	./main.go:14:6: other declaration of value
/// vet: ./main.go:3:2: undefined: x
/// ```
/// `# package` headers and the `vet: ` prefix are dropped. Tab-indented lines
/// that follow a diagnostic continue its message, except those that start
/// with their own location (`other declaration of ...`), which become related
/// information. Go prints no severity: everything is an error.
public struct GoParser: Sendable {
    /// Value of ``Diagnostic/source`` for what this parser reports.
    public var source: String

    /// Creates a parser whose diagnostics name `source` as their tool.
    public init(source: String = "go") {
        self.source = source
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
            if text.hasPrefix("\t") || text.hasPrefix("    "), pending != nil {
                let inner = text.trimmingSpaces()
                if let located = LocatedLine.parse(inner), GoParser.isGoSource(located.path) {
                    pending?.related.append(RelatedInformation(
                        path: resolver.resolve(located.path, relativeTo: line.directory),
                        line: located.line, column: located.column,
                        message: located.rest.trimmingSpaces()))
                } else if !inner.isEmpty {
                    pending?.message += "\n" + inner
                }
                continue
            }
            var body = Substring(text)
            if body.hasPrefix("vet: ") { body = body.dropFirst("vet: ".count) }
            guard let located = LocatedLine.parse(body), GoParser.isGoSource(located.path) else {
                flush()
                continue
            }
            flush()
            var message = located.rest.trimmingSpaces()
            var severity = DiagnosticSeverity.error
            if let prefix = SeverityPrefix.parse(message) {
                severity = prefix.severity
                message = prefix.message
            }
            pending = Diagnostic(
                path: resolver.resolve(located.path, relativeTo: line.directory),
                line: located.line, column: located.column,
                severity: severity, message: message, source: source)
        }
        flush()
        return collector.diagnostics
    }

    /// Go reports locations in `.go` files (and in `go.mod`/`go.work`).
    static func isGoSource(_ path: String) -> Bool {
        path.hasSuffix(".go") || path.hasSuffix("go.mod") || path.hasSuffix("go.work") || path.hasSuffix(".s")
    }
}
