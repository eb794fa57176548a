import AidProtocol
import AidTestSupport
import Foundation
import JSONRPC
import ModelsTestSupport
import Testing

/// A workspace directory for the main job's tests, apart from the daemon's own directories.
struct EditWorkspace {
    let directory: TestDirectory
    var root: String { directory.path }

    init(files: [String: String]) throws {
        directory = try TestDirectory("w")
        for (path, text) in files { try directory.write(path, text) }
    }

    func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: directory.file(path)).map { String(decoding: $0, as: UTF8.self) }
    }

    func write(_ path: String, _ text: String) throws { try directory.write(path, text) }
}

/// A fake model server, a daemon whose `edit`/`chat` routes lead to it, a workspace and a
/// client working in it.
struct EditFixture {
    let server: FakeModelServer
    let daemon: TestDaemon
    let workspace: EditWorkspace
    let client: RPCClient
    let inbox: NotificationInbox

    static func start(files: [String: String], extraConfig: String = "") async throws -> EditFixture {
        let server = try await FakeModelServer.start()
        let config = modelTable("m", server: server, extra: "context_window = 32000\nmax_output_tokens = 4096")
            + "[routes]\ndefault = [\"m\"]\n" + testGatewayTable + extraConfig
        let workspace = try EditWorkspace(files: files)
        let daemon = try TestDaemon(config: config)
        do {
            try daemon.start()
            let client = try daemon.connect(workspaceRoot: workspace.root)
            return EditFixture(server: server, daemon: daemon, workspace: workspace, client: client, inbox: NotificationInbox(client))
        } catch {
            daemon.cleanUp()
            workspace.directory.remove()
            await server.shutdown()
            throw error
        }
    }

    func cleanUp() async {
        client.close()
        daemon.cleanUp()
        workspace.directory.remove()
        await server.shutdown()
    }

    /// The workspace index as `daemon/status` shows it, once `condition` holds (or after 10 s,
    /// for the caller's expectations to report). The index's updates have no notification.
    func index(until condition: (DaemonStatus.Index) -> Bool) async throws -> DaemonStatus.Index {
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            let index = try #require(try await client.call(DaemonStatusRequest()).indexes?.first)
            if condition(index) || ContinuousClock.now >= deadline { return index }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Queues `text` as the model's next answer, streamed in a few pieces.
    func answer(_ text: String) {
        server.enqueue(.events(FakeWire.openAIEvents(Self.pieces(text), promptTokens: 300, completionTokens: 40)))
    }

    /// `text` cut in three pieces (fewer when short), so that streaming shows.
    static func pieces(_ text: String) -> [String] {
        let characters = Array(text)
        let size = max(1, characters.count / 3 + 1)
        return stride(from: 0, to: characters.count, by: size).map { String(characters[$0..<min($0 + size, characters.count)]) }
    }

    /// The message texts of the `count`-th request the model server received (0-based).
    func upstreamText(_ index: Int) -> String {
        guard index < server.requests.count else { return "" }
        let body = server.requests[index].jsonBody()
        let messages = body?["messages"] as? [[String: Any]] ?? []
        return messages.compactMap { $0["content"] as? String }.joined(separator: "\n")
    }
}

/// Applies whole-line edits (as proposals give them) to `text`, last to first.
func applying(_ edits: [TextEdit], to text: String) -> String {
    var lines: [String] = []
    var current = ""
    for character in text {
        current.append(character)
        if character == "\n" {
            lines.append(current)
            current = ""
        }
    }
    if !current.isEmpty { lines.append(current) }
    for edit in edits.sorted(by: { $0.range.start.line > $1.range.start.line }) {
        let start = min(edit.range.start.line, lines.count)
        let end = min(edit.range.end.line, lines.count)
        var replacement: [String] = []
        var piece = ""
        for character in edit.newText {
            piece.append(character)
            if character == "\n" {
                replacement.append(piece)
                piece = ""
            }
        }
        if !piece.isEmpty { replacement.append(piece) }
        lines.replaceSubrange(start..<end, with: replacement)
    }
    return lines.joined()
}

/// The error an RPC call threw, or nil when it succeeded.
func responseError(_ body: () async throws -> Void) async -> ResponseError? {
    do {
        try await body()
        return nil
    } catch RPCClientError.response(let error) {
        return error
    } catch {
        return ResponseError(.internalError, "unexpected error: \(error)")
    }
}
