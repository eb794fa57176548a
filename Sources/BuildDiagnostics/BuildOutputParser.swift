/// Something that turns a build tool's output into diagnostics.
public protocol BuildOutputParser: Sendable {
    /// Parses `output` (stdout and stderr, interleaved or not) of a tool that
    /// ran in `workspaceRoot`; paths inside the root come out relative to it.
    func parse(output: String, workspaceRoot: String) -> [Diagnostic]
}

extension GCCParser: BuildOutputParser {}
extension ClangParser: BuildOutputParser {}
extension SwiftParser: BuildOutputParser {}
extension CargoParser: BuildOutputParser {}
extension GoParser: BuildOutputParser {}
extension TypeScriptParser: BuildOutputParser {}
extension OCamlParser: BuildOutputParser {}
extension GenericParser: BuildOutputParser {}
extension MultiFormatParser: BuildOutputParser {}
