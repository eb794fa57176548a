import Foundation
import Testing

@testable import Context

@Suite("Diagnostics provider")
struct DiagnosticsTests {
    @Test func groupsByFileErrorsAndFocusFirstWithSourceLines() async throws {
        let workspace = try TemporaryWorkspace()
        defer { workspace.remove() }
        try workspace.write("A.swift", "let a = 1\nlet b: Int = \"x\"\n")
        try workspace.write("B.swift", "var unused = 0\n")
        let focus = Protected<(String?, Int?)>((nil, nil))
        let source = ClosureDiagnosticsSource { root, path, line in
            focus.withLock { $0 = (path, line) }
            return [
                ContextDiagnostic(path: "B.swift", line: 1, severity: "warning", message: "never read"),
                ContextDiagnostic(path: root + "/A.swift", line: 2, column: 14, message: "cannot convert String to Int"),
                ContextDiagnostic(path: "C.swift", line: 3, message: "missing", excerpt: "3 | foo(\n  |    ^"),
            ]
        }
        let provider = DiagnosticsContextProvider(root: workspace.root, source: source)
        let items = try await provider.items(for: ContextRequest(prompt: "fix", currentFile: "A.swift", cursor: Position(line: 2)))
        #expect(focus.withLock { $0.0 } == "A.swift" && focus.withLock { $0.1 } == 2)
        #expect(items.map(\.path) == ["A.swift", "C.swift", "B.swift"])
        #expect(items[0].text.contains("A.swift:2:14: error: cannot convert String to Int"))
        #expect(items[0].text.contains("let b: Int = \"x\""), "the offending line is shown")
        #expect(items[0].priority == ContextPriority.errors && items[2].priority == ContextPriority.warnings)
        #expect(items[1].text.contains("3 | foo("), "an excerpt from the source is used as given")
        #expect(items.allSatisfy { $0.stability == .volatile && $0.reason.contains("last build") })
    }
}
