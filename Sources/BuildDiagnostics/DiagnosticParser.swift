/// The kind of build tool whose output is being parsed.
public enum BuildTool: String, Sendable, Codable, Hashable, CaseIterable {
    /// `dune build` (OCaml compiler messages).
    case dune
    /// `swift build` or `swiftc`.
    case swift
    /// `cargo ... --message-format=json`.
    case cargo
    /// GCC (`gcc`, `g++`).
    case gcc
    /// Clang (`clang`, `clang++`).
    case clang
    /// `go build`, `go vet`, `go test`.
    case go
    /// The TypeScript compiler.
    case tsc
    /// `make`, running whichever compilers its rules name.
    case make
    /// `cmake --build`, running whichever compilers the project uses.
    case cmake
    /// Anything else.
    case generic
}

/// Chooses the parser for a tool and runs it.
public enum DiagnosticParser: Sendable {
    /// Parses `output` printed by `tool`, making paths relative to
    /// `workspaceRoot` (the directory the tool ran in; `make` output may move
    /// into subdirectories with `Entering directory` lines, which is honoured).
    ///
    /// For `make`, `cmake` and `generic` the output may come from any
    /// compiler: see ``MultiFormatParser``.
    public static func parse(tool: BuildTool, output: String, workspaceRoot: String) -> [Diagnostic] {
        parser(for: tool).parse(output: output, workspaceRoot: workspaceRoot)
    }

    /// The parser used for `tool`.
    public static func parser(for tool: BuildTool) -> any BuildOutputParser {
        switch tool {
        case .dune: OCamlParser()
        case .swift: SwiftParser()
        case .cargo: CargoParser()
        case .gcc: GCCParser()
        case .clang: ClangParser()
        case .go: GoParser()
        case .tsc: TypeScriptParser()
        case .make, .cmake, .generic: MultiFormatParser(fallbackSource: tool.rawValue)
        }
    }
}
