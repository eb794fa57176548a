/// One problem a build reported, located in a source file, as sent to clients.
///
/// Positions are 1-based; `endColumn` is exclusive (the column just past the highlighted text),
/// so an editor's 0-based half-open range is every number minus one.
public struct BuildDiagnostic: Codable, Sendable, Equatable {
    /// How serious a diagnostic is.
    public enum Severity: String, Codable, Sendable, Equatable {
        case error, warning, note, info
    }

    /// Relative to the workspace root when the file is inside it, else absolute.
    public var path: String
    /// 1-based line of the start.
    public var line: Int
    /// 1-based column of the start, when the tool reported one.
    public var column: Int?
    /// 1-based line of the end of the range, when known.
    public var endLine: Int?
    /// 1-based, exclusive end column, when known.
    public var endColumn: Int?
    public var severity: Severity
    /// The tool's message; multi-line messages keep their line breaks.
    public var message: String
    /// A tool-specific code such as `E0308`, `TS2322` or `26`.
    public var code: String?
    /// Notes and other locations belonging to this problem.
    public var related: [Related]
    /// The tool that reported it: `swiftc`, `ocaml`, `rustc`, `go`, `tsc`, `cc`, `aid`, ...
    public var source: String

    public init(path: String, line: Int, column: Int? = nil, endLine: Int? = nil, endColumn: Int? = nil,
                severity: Severity, message: String, code: String? = nil, related: [Related] = [], source: String) {
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

    /// A secondary location: a compiler note, the other half of a conflict.
    public struct Related: Codable, Sendable, Equatable {
        public var path: String
        public var line: Int
        public var column: Int?
        public var message: String
        public init(path: String, line: Int, column: Int? = nil, message: String) {
            self.path = path
            self.line = line
            self.column = column
            self.message = message
        }
    }
}
