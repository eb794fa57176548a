import Foundation
import Testing

@testable import BuildDiagnostics

@Suite("OCaml / dune")
struct OCamlParserTests {
    let diagnostics: [Diagnostic]

    init() throws {
        diagnostics = try Fixture.parse("dune-build.txt", tool: .dune, project: "dune")
    }

    @Test func typeErrorWithMultiLineMessage() throws {
        let error = try #require(diagnostics.at("lib/calc.ml", 4))
        #expect(error.severity == .error)
        #expect(error.column == 3)
        #expect(error.endLine == 4)
        #expect(error.endColumn == 10)
        #expect(error.message == "This expression has type int but an expression was expected of type\n         string")
        #expect(error.source == "ocaml")
    }

    @Test func hintStaysInTheMessage() throws {
        let error = try #require(diagnostics.at("lib/user.ml", 1))
        #expect(error.column == 18)
        #expect(error.message == "Unbound value prnt_endline\nHint: Did you mean print_endline?")
    }

    @Test func warningTurnedErrorOverSeveralLines() throws {
        let error = try #require(diagnostics.at("bin/main.ml", 1))
        #expect(error.severity == .error)
        #expect(error.code == "8")
        #expect(error.column == 16)
        #expect(error.endLine == 4)
        #expect(error.endColumn == 14)
        #expect(error.message == """
            this pattern-matching is not exhaustive.
            Here is an example of a case that is not matched:
            None
            """)
        let unused = try #require(diagnostics.at("bin/main.ml", 7))
        #expect(unused.severity == .error)
        #expect(unused.code == "26")
        #expect(unused.message == "unused variable spare.")
    }

    @Test func plainWarningsAndAlerts() throws {
        let warnings = diagnostics.filter { $0.path == "warn/tool.ml" }
        // Dune compiles the file twice (bytecode and native); duplicates are merged.
        #expect(warnings.count == 3)
        let alert = try #require(warnings.first { $0.code == "deprecated" })
        #expect(alert.severity == .warning)
        #expect((alert.line, alert.column, alert.endColumn) == (3, 14, 31))
        #expect(alert.message == "Legacy.Old.legacy\nuse Legacy.Old.modern instead")
        let unused = try #require(warnings.first { $0.code == "26" })
        #expect(unused.severity == .warning)
        #expect((unused.line, unused.column) == (2, 7))
        let missingInterface = try #require(warnings.first { $0.code == "70" })
        #expect(missingInterface.line == 1)
        #expect(missingInterface.column == nil)
        #expect(missingInterface.message == "Cannot find interface file.")
    }

    @Test func interfaceMismatchNamesRelatedLocations() throws {
        let error = try #require(diagnostics.at("iface/shape.ml", 1))
        #expect(error.message.hasPrefix("The implementation iface/shape.ml\n"))
        #expect(error.message.contains("is not included in\n         val size : int -> string"))
        #expect(error.related == [
            RelatedInformation(path: "iface/shape.mli", line: 1, column: 1, message: "Expected declaration"),
            RelatedInformation(path: "iface/shape.ml", line: 1, column: 5, message: "Actual declaration"),
        ])
    }

    @Test func everythingInTheRecordingIsFound() {
        #expect(diagnostics.count == 8)
        #expect(diagnostics.filter { $0.severity == .error }.count == 5)
    }

    @Test func locationLineForms() {
        #expect(OCamlLocation.parse(#"File "a.ml", line 3, characters 4-9:"#)
                == OCamlLocation(path: "a.ml", line: 3, column: 5, endLine: 3, endColumn: 10))
        #expect(OCamlLocation.parse(#"File "a.ml", lines 3-5, characters 2-10:"#)
                == OCamlLocation(path: "a.ml", line: 3, column: 3, endLine: 5, endColumn: 11))
        #expect(OCamlLocation.parse(#"File "a.ml", line 1:"#) == OCamlLocation(path: "a.ml", line: 1))
        #expect(OCamlLocation.parse(#"File "a.ml", line x:"#) == nil)
    }

    // Skipped only when dune/ocaml are not installed on the machine.
    @Test(.enabled(if: ToolRunner.find("dune") != nil && ToolRunner.find("ocamlc") != nil,
                   "dune and the OCaml compiler are not installed"),
          .timeLimit(.minutes(2)))
    func liveDuneBuild() async throws {
        let project = try ToolRunner.makeProject([
            "dune-project": "(lang dune 2.9)\n",
            "bin/dune": "(executable (name main))\n",
            "bin/main.ml": "let greeting = \"hello\"\nlet () =\n  print_string (String.length greeting)\n",
        ])
        defer { try? FileManager.default.removeItem(at: project) }
        let dune = try #require(ToolRunner.find("dune"))
        let result = try await ToolRunner.run(dune, ["build", "--root", "."], in: project)
        #expect(result.status != 0)
        let found = DiagnosticParser.parse(tool: .dune, output: result.output, workspaceRoot: project.path)
        #expect(found.count == 1, "output was:\n\(result.output)")
        let error = try #require(found.first)
        #expect(error.path == "bin/main.ml")
        #expect(error.line == 3)
        #expect(error.column == 16)
        #expect(error.endColumn == 40)
        #expect(error.severity == .error)
        #expect(error.message == "This expression has type int but an expression was expected of type\n         string")
    }
}
