import AidProtocol
import AidTestSupport
import Foundation
import JSONRPC
import Testing

/// "Fix that error": with the build red and the cursor on the error, the model sees the
/// diagnostic with its source line, and the proposal that answers it applies.
@Suite struct FixThatErrorTests {
    static let calc = "def add(a, b):\n    return a - b\n"
    static let build = """
        [build]
        command = "grep -n -H 'a - b' calc.py | awk -F: '{print $1\\":\\"$2\\":12: error: add subtracts where it should add\\"}' | grep . && exit 1 || exit 0"
        debounce_ms = 20

        """

    @Test func theBuildErrorUnderTheCursorReachesTheModelAndItsFixApplies() async throws {
        let fixture = try await EditFixture.start(files: ["calc.py": Self.calc, ".aid/config.toml": Self.build])
        let red = try await fixture.client.call(BuildRunRequest(workspaceRoot: fixture.workspace.root, wait: true)).status
        #expect(red.state == .red)
        let diagnostic = try #require(red.diagnostics.first)
        #expect(diagnostic.path == "calc.py" && diagnostic.line == 2 && diagnostic.message == "add subtracts where it should add")

        fixture.answer(EditRPCTests.calcFix)
        let result = try await fixture.client.call(EditProposeRequest(
            prompt: "fix that error", file: "calc.py", cursor: EditorPosition(line: 1, character: 12)))
        let prompt = fixture.upstreamText(0)
        #expect(prompt.contains("add subtracts where it should add"), "the diagnostic is in the prompt: \(prompt)")
        #expect(prompt.contains("return a - b"), "with its source line")
        #expect(result.applies && result.files.first?.newText == "def add(a, b):\n    return a + b\n")

        // Applied, the build turns green again.
        _ = try await fixture.client.call(EditApplyRequest(proposalId: result.proposalId))
        let green = try await fixture.client.call(BuildRunRequest(workspaceRoot: fixture.workspace.root, wait: true)).status
        #expect(green.state == .green && green.diagnostics.isEmpty)
        await fixture.cleanUp()
    }
}
