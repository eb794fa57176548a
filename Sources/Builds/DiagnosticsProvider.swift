import BuildDiagnostics

/// Where the reader (a person, or the context engine assembling a prompt) is looking: the file,
/// and the line when known.
public struct DiagnosticsFocus: Sendable, Equatable {
    /// Relative to the workspace root, or absolute.
    public var path: String
    /// 1-based.
    public var line: Int?

    public init(path: String, line: Int? = nil) {
        self.path = path
        self.line = line
    }
}

/// One line of a source file.
public struct SourceLine: Sendable, Equatable {
    /// 1-based line number.
    public var number: Int
    public var text: String

    public init(number: Int, text: String) {
        self.number = number
        self.text = text
    }
}

/// A diagnostic with the lines of source it is about (as the file reads now, which may differ
/// from what the build saw if the file changed since).
public struct LocatedDiagnostic: Sendable, Equatable {
    public var diagnostic: Diagnostic
    /// The lines from `line` to `endLine`, with context lines around them; empty when the
    /// file cannot be read.
    public var sourceLines: [SourceLine]

    public init(diagnostic: Diagnostic, sourceLines: [SourceLine]) {
        self.diagnostic = diagnostic
        self.sourceLines = sourceLines
    }
}

/// The current build diagnostics of the workspaces the daemon watches, for the context engine.
public protocol DiagnosticsProvider: Sendable {
    /// The diagnostics of the last finished build of the workspace at `workspaceRoot`, most
    /// relevant to `focus` first (see ``DiagnosticRanking``), each with its source lines and
    /// `contextLines` lines around them. Nil when the workspace is not watched.
    func diagnostics(workspaceRoot: String, focus: DiagnosticsFocus?, contextLines: Int) async -> [LocatedDiagnostic]?
}

extension WorkspaceMonitor {
    /// The diagnostics of the last finished build, most relevant to `focus` first, with their
    /// source lines.
    public func diagnostics(focus: DiagnosticsFocus?, contextLines: Int = 2) -> [LocatedDiagnostic] {
        DiagnosticRanking.locate(DiagnosticRanking.order(lastDiagnostics, focus: focus, root: root), root: root,
                                 contextLines: contextLines)
    }
}
