/// Parses `swiftc` and `swift build` output, in both the default boxed style
/// (`12 | code` gutters with `` `- note: `` markers underneath) and
/// `-diagnostic-style llvm`.
///
/// Notes, whether printed as their own `path:line:col: note:` header or as a
/// marker inside the excerpt box, become related information of the preceding
/// error or warning. The duplicates that `swift build` prints (one per
/// compiler job) are merged. A trailing `[#DiagnosticGroup]` becomes the code.
public struct SwiftParser: Sendable {
    /// Value of ``Diagnostic/source`` for what this parser reports.
    public var source: String

    /// Creates a parser whose diagnostics name `source` as their tool.
    public init(source: String = "swiftc") {
        self.source = source
    }

    /// Parses `output`, making paths relative to `workspaceRoot`.
    public func parse(output: String, workspaceRoot: String) -> [Diagnostic] {
        CompilerTextParser(source: source)
            .parse(lines: OutputLine.split(output), resolver: PathResolver(workspaceRoot: workspaceRoot))
    }
}
