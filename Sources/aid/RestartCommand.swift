import AidProtocol
import ArgumentParser
import Daemon
import Foundation
import JSONRPC

struct RestartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restart",
        abstract: "Restart the daemon on the binary now installed, without dropping the socket.",
        discussion: "In-flight requests are drained first; editors reconnect by themselves. This is how updates roll out.")

    @Option(help: "How long to wait for requests in flight, in milliseconds.")
    var drainTimeoutMs: Int?

    func run() throws {
        let client = try CLI.connect()
        defer { client.close() }
        let before = try client.call(DaemonStatusRequest())
        let started = ContinuousClock.now
        let result = try client.call(DaemonRestartRequest(drainTimeoutMs: drainTimeoutMs))
        // The client reconnects by itself; wait until the new generation answers.
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let status = try client.call(DaemonStatusRequest())
            if status.generation >= result.nextGeneration {
                let elapsed = ContinuousClock.now - started
                let changed = status.executable.inode != before.executable.inode ? "new binary" : "same binary"
                print("aid restarted in \(elapsed.formatted(.units(allowed: [.milliseconds]))): generation \(status.generation), \(changed) \(status.executable.path)")
                return
            }
        }
        throw CLI.fail("the daemon did not come back within 30 s; see \(before.logFile)")
    }
}

struct StopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop the daemon (in-flight requests are drained first).")

    func run() throws {
        guard let client = try? CLI.connect(autoStart: false) else {
            print("aid daemon is not running")
            return
        }
        _ = try client.call(DaemonShutdownRequest())
        client.close()
        // Wait for the socket to go away.
        let paths = CLI.paths
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline, UnixSocket.isAccepting(path: paths.socket) {
            Thread.sleep(forTimeInterval: 0.01)
        }
        print("aid daemon stopped")
    }
}
