import AidProtocol
import AidTestSupport
import Daemon
import Foundation
import JSONRPC
import Testing

/// How the daemon attaches workspaces to clients, and its errors.
@Suite("Daemon: build service")
struct DaemonBuildServiceTests {
    /// A command that runs until it is killed, recording its child; `out/` is ignored.
    static let hanging = [
        ".gitignore": "out/\n",
        ".aid/config.toml": """
            [build]
            command = "mkdir -p out; sleep 300 & echo $! > out/child.pid; sleep 300"
            timeout_ms = 1000
            debounce_ms = 0

            """,
    ]

    private func errorCode(_ body: () async throws -> Void) async -> Int? {
        do {
            try await body()
            return nil
        } catch let RPCClientError.response(error) {
            return error.code.rawValue
        } catch {
            return nil
        }
    }

    @Test func unknownWorkspacesAreRefusedWithWorkspaceUnknown() async throws {
        let session = try DaemonSession("known", files: ["Makefile": "all:\n\ttrue\n"])
        defer { session.cleanUp() }
        let other = try TemporaryWorkspace("unopened")
        defer { other.delete() }
        var message = ""
        do {
            _ = try await session.client.call(BuildStatusRequest(workspaceRoot: other.root))
        } catch let RPCClientError.response(error) {
            #expect(error.code == .workspaceUnknown)
            message = error.message
        }
        #expect(message.contains("no client has opened workspace \(other.root)"))
        #expect(message.contains(session.project.root), "the message lists the open workspaces")
        #expect(await errorCode { _ = try await session.client.call(BuildRunRequest(workspaceRoot: "/no/such/dir")) } == -32004)
        // A client that gave no workspace must name one.
        let bare = try DaemonLauncher.connect(paths: session.daemon.paths, executable: session.daemon.executable,
                                              initialize: InitializeRequest(clientName: "bare"), autoStart: false)
        defer { bare.close() }
        #expect(await errorCode { _ = try await bare.call(BuildStatusRequest()) } == -32004)
        #expect(try await bare.call(BuildStatusRequest(workspaceRoot: session.project.root)).status.command == "make")
    }

    @Test func aWorkspaceWithoutBuildFilesIsUnknownWithAReason() async throws {
        let session = try DaemonSession("plain", files: ["notes.txt": "nothing to build\n"])
        defer { session.cleanUp() }
        let status = try await session.client.call(BuildRunRequest()).status
        #expect(status.state == .unknown)
        #expect(status.command == nil)
        #expect(status.message?.contains("set build.command in .aid/config.toml") == true)
    }

    @Test func aHangingBuildIsKilledAtItsTimeoutInsideTheDaemon() async throws {
        let session = try DaemonSession("hang", files: Self.hanging)
        defer { session.cleanUp() }
        let result = try await session.buildNow()
        #expect(result.state == .red)
        // 143: the shell died of SIGTERM, which the daemon ignores but its builds must not.
        #expect(result.exitStatus == 143)
        #expect(result.message?.contains("build.timeout_ms (1000 ms)") == true)
        let child = try #require(pid(in: session.project.read("out/child.pid")))
        try await eventually("the build's child to be gone") { processIsGone(child) }
    }

    @Test func theMonitorStopsWithItsLastClientAndKillsItsBuild() async throws {
        var files = Self.hanging
        files[".aid/config.toml"] = files[".aid/config.toml"]!.replacingOccurrences(of: "timeout_ms = 1000", with: "timeout_ms = 600000")
        let session = try DaemonSession("leave", files: files)
        defer { session.cleanUp() }
        // The first build starts at once (debounce_ms = 0) and runs until it is killed.
        let project = session.project
        try await eventually("the build to start its child") { pid(in: project.read("out/child.pid")) != nil }
        let child = try #require(pid(in: project.read("out/child.pid")))
        session.client.close()
        try await eventually("the build to be killed when its last client left") { processIsGone(child) }
        let observer = try session.daemon.connect(clientName: "observer")
        defer { observer.close() }
        #expect(await errorCode { _ = try await observer.call(BuildStatusRequest(workspaceRoot: project.root)) } == -32004)
    }
}
