/// How serious a ``Diagnostic`` is.
public enum DiagnosticSeverity: String, Sendable, Codable, Hashable, CaseIterable {
    /// The build fails because of it (including fatal errors and warnings
    /// promoted to errors).
    case error
    /// A problem that does not stop the build.
    case warning
    /// Additional information, normally attached to another diagnostic as
    /// related information; stands alone only when nothing precedes it.
    case note
    /// Remarks, hints and help messages.
    case info

    /// Maps the severity words that compilers print (`error`, `fatal error`,
    /// `warning`, `note`, `remark`, `help`, ...) to a severity. Case-insensitive.
    /// Returns nil for anything else.
    public init?(compilerWord word: some StringProtocol) {
        switch word.lowercased() {
        case "error", "fatal error", "fatal", "internal compiler error":
            self = .error
        case "warning", "warn":
            self = .warning
        case "note":
            self = .note
        case "remark", "info", "information", "help", "message", "suggestion", "hint":
            self = .info
        default:
            return nil
        }
    }
}

/// A secondary location attached to a ``Diagnostic``: a compiler note, the
/// other half of a conflict, an include chain entry, a suggested fix site.
public struct RelatedInformation: Sendable, Codable, Hashable {
    /// Workspace-relative path when the file is inside the workspace root,
    /// otherwise the absolute (normalized) path the tool printed.
    public var path: String
    /// 1-based line.
    public var line: Int
    /// 1-based column, nil when the tool did not report one.
    public var column: Int?
    /// What the tool said about this location.
    public var message: String

    /// Creates related information.
    public init(path: String, line: Int, column: Int? = nil, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }
}

/// One problem reported by a build tool, located in a source file.
///
/// Positions are 1-based. `endLine`/`endColumn` describe the end of the
/// highlighted range when the tool reports one; `endColumn` is exclusive (it
/// names the column just past the last highlighted character), so a range
/// converts to a 0-based half-open editor range by subtracting one from every
/// number.
public struct Diagnostic: Sendable, Codable, Hashable {
    /// Workspace-relative path when the file is inside the workspace root,
    /// otherwise the absolute (normalized) path the tool printed.
    public var path: String
    /// 1-based line of the start of the problem.
    public var line: Int
    /// 1-based column of the start, nil when unknown.
    public var column: Int?
    /// 1-based line of the end of the range, nil when unknown.
    public var endLine: Int?
    /// 1-based, exclusive end column, nil when unknown.
    public var endColumn: Int?
    /// Severity of the problem.
    public var severity: DiagnosticSeverity
    /// The message; multi-line messages keep their line breaks.
    public var message: String
    /// A tool-specific code (`E0308`, `TS2322`, `-Wunused-variable`, `26`).
    public var code: String?
    /// Notes and other locations that belong to this problem.
    public var related: [RelatedInformation]
    /// Name of the tool that reported it (`swiftc`, `rustc`, `ocaml`, ...).
    public var source: String

    /// Creates a diagnostic.
    public init(
        path: String,
        line: Int,
        column: Int? = nil,
        endLine: Int? = nil,
        endColumn: Int? = nil,
        severity: DiagnosticSeverity,
        message: String,
        code: String? = nil,
        related: [RelatedInformation] = [],
        source: String
    ) {
        self.path = path
        self.line = line
        self.column = column
        self.endLine = endLine
        self.endColumn = endColumn
        self.severity = severity
        self.message = message
        self.code = code
        self.related = related
        self.source = source
    }
}
