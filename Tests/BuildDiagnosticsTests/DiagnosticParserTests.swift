import Foundation
import Testing

@testable import BuildDiagnostics

@Suite("Dispatch, generic fallback and the model")
struct DiagnosticParserTests {
    @Test func genericFallbackOnARealTool() throws {
        let found = try Fixture.parse("generic-msgfmt.txt", tool: .generic, project: "generic")
        #expect(found.map(\.line) == [4, 2, 8, 7])
        #expect(found.allSatisfy { $0.path == "po/fr.po" && $0.column == nil && $0.source == "generic" })
        #expect(found.first?.message == "duplicate message definition...")
    }

    @Test func genericFallbackFormsAndContinuations() {
        let output = """
            lint: checking 2 files
            scripts/run.sh:3:5: warning: quote this [SC2086]
            docs/guide.md:12: line too long
              (limit is 80 characters)
            make: *** [Makefile:2: all] Error 1
            """
        let found = GenericParser().parse(output: output, workspaceRoot: "/w")
        #expect(found == [
            Diagnostic(path: "scripts/run.sh", line: 3, column: 5, severity: .warning,
                       message: "quote this [SC2086]", source: "generic"),
            Diagnostic(path: "docs/guide.md", line: 12, severity: .error,
                       message: "line too long\n(limit is 80 characters)", source: "generic"),
        ])
    }

    @Test func makeOutputMixingCompilers() throws {
        let output = try [
            Fixture.text("go-build.txt"), Fixture.text("tsc-default.txt"), Fixture.text("gcc-main.txt"),
        ].joined(separator: "\n")
        let found = DiagnosticParser.parse(tool: .make, output: output, workspaceRoot: "/anywhere")
        #expect(found.filter { $0.source == "cc" }.count == 5)
        #expect(found.filter { $0.source == "go" }.count == 4)
        #expect(found.filter { $0.source == "tsc" }.count == 6)
        #expect(found.count == 15)
    }

    @Test func genericDispatchStillUsesSpecificFormats() throws {
        let found = try Fixture.parse("dune-build.txt", tool: .generic, project: "dune")
        #expect(found.count == 8)
        #expect(found.allSatisfy { $0.source == "ocaml" })
        let swift = try Fixture.parse("swift-build.txt", tool: .cmake, project: "swiftpm")
        #expect(swift.count == 3)
        #expect(swift.allSatisfy { $0.source == "swiftc" })
    }

    @Test func everyToolKindHasAParser() {
        for tool in BuildTool.allCases {
            #expect(DiagnosticParser.parse(tool: tool, output: "", workspaceRoot: "/w").isEmpty)
        }
    }

    @Test func codableUsesCamelCaseKeys() throws {
        let diagnostic = Diagnostic(
            path: "a.c", line: 1, column: 2, endLine: 1, endColumn: 5, severity: .warning, message: "m",
            code: "-Wx", related: [RelatedInformation(path: "b.h", line: 3, column: 4, message: "n")], source: "gcc")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = try #require(String(data: try encoder.encode(diagnostic), encoding: .utf8))
        #expect(json == #"{"code":"-Wx","column":2,"endColumn":5,"endLine":1,"line":1,"message":"m","path":"a.c","related":[{"column":4,"line":3,"message":"n","path":"b.h"}],"severity":"warning","source":"gcc"}"#)
        #expect(try JSONDecoder().decode(Diagnostic.self, from: Data(json.utf8)) == diagnostic)
    }

    @Test func pathsInsideAndOutsideTheWorkspace() {
        let resolver = PathResolver(workspaceRoot: "/work/project/")
        #expect(resolver.resolve("/work/project/src/a.c") == "src/a.c")
        #expect(resolver.resolve("./src/../src/a.c") == "src/a.c")
        #expect(resolver.resolve("a.c", relativeTo: "/work/project/lib") == "lib/a.c")
        #expect(resolver.resolve("/work/projectile/a.c") == "/work/projectile/a.c")
        #expect(resolver.resolve("/usr/lib/gcc/../../include/x.h") == "/usr/include/x.h")
        #expect(resolver.resolve("../other/a.c") == "/work/other/a.c")
    }

    @Test func colouredOutputIsUnderstood() {
        let output = "\u{1B}[1mmain.c:3:5: \u{1B}[0;1;31merror: \u{1B}[0m\u{1B}[1mboom\u{1B}[0m\n"
        let found = DiagnosticParser.parse(tool: .clang, output: output, workspaceRoot: "/w")
        #expect(found == [Diagnostic(path: "main.c", line: 3, column: 5, severity: .error, message: "boom",
                                     source: "clang")])
    }

    @Test func locationPrefixRejectsProse() {
        #expect(LocatedLine.parse("make: *** [Makefile:2: all] Error 1") == nil)
        #expect(LocatedLine.parse("  main.c:1:2: indented") == nil)
        #expect(LocatedLine.parse("main.c:12: msg")?.column == nil)
        #expect(LocatedLine.parse("main.c:12:7: msg")?.column == 7)
        #expect(SeverityPrefix.parse(" error[E0308]: mismatched")?.code == "E0308")
        #expect(SeverityPrefix.parse(" fatal error: gone")?.severity == .error)
        #expect(SeverityPrefix.parse(" required from here") == nil)
    }
}

@Suite("Parser selection")
struct ParserSelectionTests {
    @Test(arguments: [
        (BuildTool.gcc, "gcc-main.txt", "gcc"), (.clang, "clang-main.txt", "clang"),
        (.swift, "swift-typecheck.txt", "swift"), (.cargo, "cargo-check.txt", "cargo"),
        (.go, "go-build.txt", "go"), (.tsc, "tsc-pretty.txt", "tsc"), (.dune, "dune-build.txt", "dune"),
    ])
    func directParsersMatchTheDispatcher(tool: BuildTool, fixture: String, project: String) throws {
        let output = try Fixture.text(fixture)
        let root = "\(Fixture.recordingRoot)/\(project)"
        let direct: [Diagnostic] = switch tool {
        case .gcc: GCCParser().parse(output: output, workspaceRoot: root)
        case .clang: ClangParser().parse(output: output, workspaceRoot: root)
        case .swift: SwiftParser().parse(output: output, workspaceRoot: root)
        case .cargo: CargoParser().parse(output: output, workspaceRoot: root)
        case .go: GoParser().parse(output: output, workspaceRoot: root)
        case .tsc: TypeScriptParser().parse(output: output, workspaceRoot: root)
        case .dune: OCamlParser().parse(output: output, workspaceRoot: root)
        default: []
        }
        #expect(!direct.isEmpty)
        #expect(direct == DiagnosticParser.parse(tool: tool, output: output, workspaceRoot: root))
    }

    @Test func sourceNames() {
        #expect(GCCParser().source == "gcc")
        #expect(ClangParser().source == "clang")
        #expect(SwiftParser().source == "swiftc")
        #expect(CargoParser().source == "rustc")
        #expect(OCamlParser().source == "ocaml")
        #expect(DiagnosticParser.parser(for: .make) is MultiFormatParser)
    }
}
