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

    @Test func aWorkspaceThatIsBuiltAndIndexedIsWatchedOnce() async throws {
        let fixture = try await EditFixture.start(files: ["calc.py": Self.calc, ".aid/config.toml": Self.build])
        // Ready means indexed and watched; a build that waits runs after its monitor watches.
        _ = try await fixture.client.call(ContextPreviewRequest(prompt: "Fix add", file: "calc.py", cursor: EditorPosition(line: 1, character: 0)))
        let red = try await fixture.client.call(BuildRunRequest(workspaceRoot: fixture.workspace.root, wait: true)).status
        #expect(red.state == .red)
        let before = try #require(try await fixture.client.call(DaemonStatusRequest()).indexes?.first)
        #expect(Self.inotifyInstances(pid: fixture.daemon.pid) == 1, "one inotify watcher for the build monitor and the index")

        // Both follow the files through it: the build turns green by itself, the index takes the change in.
        try fixture.workspace.write("calc.py", "def add(a, b):\n    return a + b\n")
        let green = await fixture.inbox.wait(timeout: .seconds(20)) { received in
            received.contains { $0.0 == BuildStatusChangedNotification.method && $0.1["status"]?["state"] == "green" }
        }
        #expect(green, "the build monitor saw the change")
        let after = try await fixture.index { $0.updates > before.updates }
        #expect(after.updates > before.updates, "the index saw the change: \(after)")
        await fixture.cleanUp()
    }

    /// The inotify instances process `pid` holds open.
    static func inotifyInstances(pid: pid_t) -> Int {
        let directory = "/proc/\(pid)/fd"
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return descriptors.count { descriptor in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(directory)/\(descriptor)")) == "anon_inode:inotify"
        }
    }

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
