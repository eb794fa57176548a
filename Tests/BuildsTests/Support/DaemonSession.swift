import AidProtocol
import AidTestSupport
import Foundation
import JSONRPC

/// A real daemon, a project directory and a client working in it that records every
/// `build/statusChanged` notification it receives.
struct DaemonSession: Sendable {
    let daemon: TestDaemon
    let project: TemporaryWorkspace
    let client: RPCClient
    let notifications: EventLog<BuildStatus>

    /// Creates the project with `files` (path → text), starts the daemon and connects.
    init(_ label: String, files: [String: String]) throws {
        daemon = try TestDaemon()
        project = try TemporaryWorkspace(label)
        for (path, text) in files { try project.write(path, text) }
        try daemon.start()
        let notifications = EventLog<BuildStatus>()
        let root = project.root
        client = try daemon.connect(clientName: "build-test", workspaceRoot: root)
        client.onNotification { method, params in
            guard method == BuildStatusChangedNotification.method, let params,
                  let notification = try? JSONCoding.decode(BuildStatusChangedNotification.self, from: params),
                  notification.workspaceRoot == root else { return }
            notifications.append(notification.status)
        }
        self.notifications = notifications
    }

    /// Builds now and returns the result.
    func buildNow() async throws -> BuildStatus {
        let result = try await client.call(BuildRunRequest())
        return result.status
    }

    /// Waits for a `running` notification of a run after `run`, then for its result.
    func nextResult(after run: Int, timeout: Duration = .seconds(120)) async throws -> (running: BuildStatus, result: BuildStatus) {
        let running = try await notifications.next("a build after run \(run) to start", timeout: timeout) {
            $0.state == .running && ($0.run ?? 0) > run
        }
        let result = try await notifications.next("run \(running.run ?? 0) to finish", timeout: timeout) {
            $0.state != .running && $0.run == running.run
        }
        return (running, result)
    }

    func cleanUp() {
        client.close()
        daemon.cleanUp()
        project.delete()
    }
}
