import AidProtocol
import AidTestSupport
import Foundation
import JSONRPC
import Testing

/// The per-workspace context machinery under concurrent first use.
@Suite struct WorkspaceContextTests {
    @Test func concurrentFirstRequestsForNewWorkspacesAllSucceed() async throws {
        let fixture = try await EditFixture.start(files: ["a.py": "def a():\n    return 1\n"])
        let others = try (0..<3).map { index in try EditWorkspace(files: ["m\(index).py": "def f\(index)():\n    return \(index)\n"]) }
        defer { for other in others { other.directory.remove() } }
        // Several clients open several new workspaces at once, while no index database exists yet.
        let roots = [fixture.workspace.root] + others.map(\.root)
        let clients = try roots.map { root in try fixture.daemon.connect(workspaceRoot: root) }
        defer { for client in clients { client.close() } }
        let results = await withTaskGroup(of: String?.self) { group in
            for (client, root) in zip(clients, roots) {
                group.addTask {
                    do {
                        let preview = try await client.call(ContextPreviewRequest(prompt: "what does it return", workspaceRoot: root))
                        return preview.items.isEmpty ? "no items for \(root)" : nil
                    } catch {
                        return "\(root): \(error)"
                    }
                }
            }
            var failures: [String] = []
            for await result in group { if let result { failures.append(result) } }
            return failures
        }
        #expect(results.isEmpty, "\(results)")
        await fixture.cleanUp()
    }
}
