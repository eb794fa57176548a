import Foundation
import Testing

@testable import Context

@Suite("Cursor window and unsaved buffers")
struct CursorWindowTests {
    @Test func cursorInsideADeclarationSendsTheWholeDeclaration() async throws {
        var body = "struct Big {\n"
        for index in 0..<200 { body += "    func f\(index)() { print(\(index)) }\n" }
        body += "}\n\nfunc small() {\n    let x = 1\n    print(x)\n}\n"
        let indexed = try await IndexedWorkspace(files: ["Big.swift": body])
        defer { indexed.remove() }
        let provider = CursorWindowProvider(index: indexed.index)
        // In `small` (lines 204-207): the function whole.
        let inSmall = try await provider.items(for: ContextRequest(prompt: "", currentFile: "Big.swift", cursor: Position(line: 205)))
        #expect(inSmall.first?.lines == LineRange(start: 204, end: 207))
        #expect(inSmall.first?.reason.contains("func small") == true)
        // In `Big` (202 lines, too long) on a one-line member: a window gives more context than the member.
        let inBig = try await provider.items(for: ContextRequest(prompt: "", currentFile: "Big.swift", cursor: Position(line: 52)))
        #expect(inBig.first?.lines == LineRange(start: 12, end: 77))
        // Outside any declaration: a window around the cursor.
        let between = try await provider.items(for: ContextRequest(prompt: "", currentFile: "Big.swift", cursor: Position(line: 203)))
        #expect(between.first?.lines == LineRange(start: 163, end: 207))
    }

    @Test func newUnsavedFileIsSentWhole() async throws {
        let workspace = try TemporaryWorkspace()
        defer { workspace.remove() }
        let provider = UnsavedBuffersProvider(root: workspace.root)
        let items = try await provider.items(for: ContextRequest(prompt: "", unsavedBuffers: ["New.swift": "struct New {}\n"]))
        #expect(items.count == 1)
        #expect(items.first?.text == "struct New {}")
        #expect(items.first?.reason.contains("not yet saved") == true)
        #expect(UnsavedBuffersProvider.changedLines(old: "a\nb\nc\n", new: "a\nB\nc\n") == LineRange(start: 2, end: 2))
        #expect(UnsavedBuffersProvider.changedLines(old: "a\n", new: "a\n") == nil)
    }
}
