import AidProtocol
import AidTestSupport
import Daemon
import Foundation
import JSONRPC
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Restarting is how updates roll out: it must lose nothing and run the newly installed binary.
@Suite(.serialized)
struct RestartTests {
    /// Installs a fresh copy of the built binary at the daemon's path the way installers do
    /// (write aside, rename over), giving it a new inode. Returns that inode.
    private func installNewBinary(_ daemon: TestDaemon) throws -> UInt64 {
        let staging = daemon.executable + ".new"
        try? FileManager.default.removeItem(atPath: staging)
        try FileManager.default.copyItem(atPath: try TestDaemon.builtExecutable(), toPath: staging)
        guard rename(staging, daemon.executable) == 0 else { throw TimedOut(description: "rename failed") }
        var info = stat()
        stat(daemon.executable, &info)
        return UInt64(info.st_ino)
    }

    final class Load: Sendable {
        let stop = Mutex(false)
        let answered = Mutex<[Int]>(Array(repeating: 0, count: 8))
        let failures = Mutex<[String]>([])
    }

    @Test func eightClientsThroughFiveRestartsLoseNothingAndGetTheNewBinary() async throws {
        let daemon = try TestDaemon(installCopy: true)
        defer { daemon.cleanUp() }
        try daemon.start()
        let clients = try (0..<8).map { try daemon.connect(clientName: "load-\($0)") }
        let load = Load()
        let workers = clients.enumerated().map { index, client in
            Thread.detachNewThread {
                while !load.stop.withLock({ $0 }) {
                    do {
                        _ = try client.call(DaemonStatusRequest(), timeout: .seconds(20))
                        load.answered.withLock { $0[index] += 1 }
                    } catch {
                        load.failures.withLock { $0.append("client \(index): \(error)") }
                    }
                }
            }
        }
        _ = workers
        let control = try daemon.connect(clientName: "control")
        for generation in 1...5 {
            let before = load.answered.withLock { $0 }
            try waitUntil("every client to make progress") { zip(load.answered.withLock { $0 }, before).allSatisfy { $0 > $1 + 20 } }
            let inode = try installNewBinary(daemon)
            let result = try await control.call(DaemonRestartRequest(drainTimeoutMs: 5000))
            #expect(result.nextGeneration == generation)
            try waitUntil("generation \(generation) to answer") { (try? control.call(DaemonStatusRequest()))?.generation == generation }
            let status = try await control.call(DaemonStatusRequest())
            #expect(status.executable.inode == inode, "the restarted daemon must run the binary installed just before")
            #expect(status.pid == Int(daemon.pid))
        }
        let before = load.answered.withLock { $0 }
        try waitUntil("every client to make progress after the last restart") { zip(load.answered.withLock { $0 }, before).allSatisfy { $0 > $1 + 20 } }
        load.stop.withLock { $0 = true }
        try waitUntil("the clients to stop") { clients.allSatisfy { $0.inFlightCount == 0 } }
        #expect(load.failures.withLock { $0 } == [])
        for client in clients {
            #expect(client.unmatchedResponses == 0, "a request was answered twice")
            #expect(client.reconnectCount >= 5)
            client.close()
        }
        control.close()
        #expect(load.answered.withLock { $0 }.allSatisfy { $0 > 100 })
    }

    @Test func aRestartWithoutDrainTimeRestartsExactlyOnce() throws {
        let daemon = try TestDaemon()
        defer { daemon.cleanUp() }
        try daemon.start()
        let client = try daemon.connect()
        for generation in 1...8 {
            // With no time to drain, the restart request itself must still get its own answer:
            // answered "restarting", the client would send it again to the next generation.
            let result = try client.call(DaemonRestartRequest(drainTimeoutMs: 0))
            #expect(result.accepted && result.nextGeneration == generation)
            try waitUntil("generation \(generation)") { (try? client.call(DaemonStatusRequest()))?.generation == generation }
        }
        let final = try client.call(DaemonStatusRequest())
        #expect(final.generation == 8, "one generation per restart request")
        client.close()
    }

    @Test func aRequestInFlightDuringRestartIsAnsweredOnce() throws {
        let daemon = try TestDaemon()
        defer { daemon.cleanUp() }
        try daemon.start()
        let client = try daemon.connect()
        // Restart and, at once, a request on the same connection: it is answered by one of
        // the two generations, exactly once.
        let restart = Mutex<Result<JSONValue, RPCClientError>?>(nil)
        client.send(method: DaemonRestartRequest.method, params: nil) { result in restart.withLock { $0 = result } }
        let status = try client.call(DaemonStatusRequest())
        #expect(status.generation <= 1)
        try waitUntil("generation 1") { (try? client.call(DaemonStatusRequest()))?.generation == 1 }
        #expect(client.unmatchedResponses == 0)
        #expect((try restart.withLock { $0 }?.get())?["accepted"] == true)
        client.close()
    }
}
