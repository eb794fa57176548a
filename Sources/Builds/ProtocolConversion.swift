import AidProtocol
import BuildDiagnostics

extension BuildDiagnostic {
    /// The wire form of a parsed diagnostic.
    public init(_ diagnostic: Diagnostic) {
        self.init(path: diagnostic.path, line: diagnostic.line, column: diagnostic.column, endLine: diagnostic.endLine,
                  endColumn: diagnostic.endColumn, severity: Severity(diagnostic.severity), message: diagnostic.message,
                  code: diagnostic.code,
                  related: diagnostic.related.map { Related(path: $0.path, line: $0.line, column: $0.column, message: $0.message) },
                  source: diagnostic.source)
    }
}

extension BuildDiagnostic.Severity {
    /// The wire form of a severity.
    public init(_ severity: DiagnosticSeverity) {
        switch severity {
        case .error: self = .error
        case .warning: self = .warning
        case .note: self = .note
        case .info: self = .info
        }
    }
}
