/// Parses GCC's text diagnostics (`gcc`, `g++`, `cc`).
///
/// Errors, warnings and fatal errors become diagnostics; `note:` lines become
/// related information of the preceding error or warning, as do the
/// `In file included from` chain and template instantiation context printed
/// before an error. A trailing `[-Wflag]` becomes the code.
public struct GCCParser: Sendable {
    /// Value of ``Diagnostic/source`` for what this parser reports.
    public var source: String

    /// Creates a parser whose diagnostics name `source` as their tool.
    public init(source: String = "gcc") {
        self.source = source
    }

    /// Parses `output`, making paths relative to `workspaceRoot`.
    public func parse(output: String, workspaceRoot: String) -> [Diagnostic] {
        CompilerTextParser(source: source)
            .parse(lines: OutputLine.split(output), resolver: PathResolver(workspaceRoot: workspaceRoot))
    }
}

/// Parses Clang's text diagnostics (`clang`, `clang++`); the format and the
/// handling of notes and `[-Wflag]` codes are those of ``GCCParser``.
public struct ClangParser: Sendable {
    /// Value of ``Diagnostic/source`` for what this parser reports.
    public var source: String

    /// Creates a parser whose diagnostics name `source` as their tool.
    public init(source: String = "clang") {
        self.source = source
    }

    /// Parses `output`, making paths relative to `workspaceRoot`.
    public func parse(output: String, workspaceRoot: String) -> [Diagnostic] {
        CompilerTextParser(source: source)
            .parse(lines: OutputLine.split(output), resolver: PathResolver(workspaceRoot: workspaceRoot))
    }
}
