import BuildDiagnostics
import Foundation
import Testing
@testable import Builds

@Suite("Diagnostics for the context engine")
struct DiagnosticRankingTests {
    let diagnostics = [
        Diagnostic(path: "b.ml", line: 2, severity: .warning, message: "w in b", source: "ocaml"),
        Diagnostic(path: "a.ml", line: 40, severity: .error, message: "far error in a", source: "ocaml"),
        Diagnostic(path: "c.ml", line: 1, severity: .error, message: "error in c", source: "ocaml"),
        Diagnostic(path: "a.ml", line: 12, endLine: 14, severity: .error, message: "near error in a", source: "ocaml"),
        Diagnostic(path: "a.ml", line: 11, severity: .warning, message: "warning in a", source: "ocaml"),
        Diagnostic(path: "a.ml", line: 13, severity: .note, message: "note in a", source: "ocaml"),
    ]

    @Test func errorsInTheFocusedFileNearTheLineComeFirst() {
        let ordered = DiagnosticRanking.order(diagnostics, focus: DiagnosticsFocus(path: "a.ml", line: 15), root: "/w")
        #expect(ordered.map(\.message) == ["near error in a", "far error in a", "error in c", "warning in a", "w in b", "note in a"])
    }

    @Test func anAbsoluteFocusPathInsideTheRootMatches() {
        let ordered = DiagnosticRanking.order(diagnostics, focus: DiagnosticsFocus(path: "/w/c.ml"), root: "/w")
        #expect(ordered.first?.message == "error in c")
    }

    @Test func withoutFocusErrorsComeFirstByPathAndLine() {
        let ordered = DiagnosticRanking.order(diagnostics, focus: nil, root: "/w")
        #expect(ordered.map(\.message) == ["near error in a", "far error in a", "error in c", "warning in a", "w in b", "note in a"])
    }

    @Test func sourceLinesCoverTheRangeWithContext() throws {
        let workspace = try TemporaryWorkspace("rank")
        defer { workspace.delete() }
        try workspace.write("a.ml", (1...20).map { "line \($0)" }.joined(separator: "\n") + "\n")
        let located = DiagnosticRanking.locate([diagnostics[3], Diagnostic(path: "gone.ml", line: 1, severity: .error, message: "m", source: "x")],
                                               root: workspace.root, contextLines: 1)
        #expect(located[0].sourceLines.map(\.number) == [11, 12, 13, 14, 15])
        #expect(located[0].sourceLines.first?.text == "line 11")
        #expect(located[1].sourceLines.isEmpty, "an unreadable file gives no lines, not a failure")
    }
}
