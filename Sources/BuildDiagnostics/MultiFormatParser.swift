/// Parses output that may come from any compiler, as printed by `make`,
/// CMake-generated builds or other drivers: the GCC/Clang/Swift, Go,
/// TypeScript, OCaml and Cargo JSON formats are all tried and their results
/// merged (duplicates removed). Only when none of them finds anything does
/// the ``GenericParser`` fallback run.
///
/// C-family diagnostics are attributed to `cc` (the driver does not say
/// whether GCC or Clang ran), Swift ones to `swiftc`.
public struct MultiFormatParser: Sendable {
    /// Value of ``Diagnostic/source`` for what the generic fallback reports.
    public var fallbackSource: String

    /// Creates a parser; `fallbackSource` names the tool for diagnostics
    /// found only by the generic fallback.
    public init(fallbackSource: String = "generic") {
        self.fallbackSource = fallbackSource
    }

    /// Parses `output`, making paths relative to `workspaceRoot`.
    public func parse(output: String, workspaceRoot: String) -> [Diagnostic] {
        parse(lines: OutputLine.split(output), resolver: PathResolver(workspaceRoot: workspaceRoot))
    }

    func parse(lines: [OutputLine], resolver: PathResolver) -> [Diagnostic] {
        var collector = DiagnosticCollector()
        var compilerDiagnostics = CompilerTextParser(source: "cc").parse(lines: lines, resolver: resolver)
        for index in compilerDiagnostics.indices where compilerDiagnostics[index].path.hasSuffix(".swift") {
            compilerDiagnostics[index].source = "swiftc"
        }
        let groups: [[Diagnostic]] = [
            compilerDiagnostics,
            GoParser().parse(lines: lines, resolver: resolver),
            TypeScriptParser().parse(lines: lines, resolver: resolver),
            OCamlParser().parse(lines: lines, resolver: resolver),
            CargoParser().parse(lines: lines, resolver: resolver),
        ]
        for group in groups {
            for diagnostic in group { collector.add(diagnostic) }
        }
        if collector.diagnostics.isEmpty {
            return GenericParser(source: fallbackSource).parse(lines: lines, resolver: resolver)
        }
        return collector.diagnostics
    }
}
