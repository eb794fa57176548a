import AidProtocol
import ArgumentParser
import Daemon
import Foundation
import JSONRPC

struct DaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "Start the daemon (in the background unless --foreground).",
        discussion: "Only one daemon runs per socket; a second one finds the live one and exits. A socket left by a crashed daemon is replaced.")

    @Flag(help: "Run in this process instead of detaching. Logs go to the log file, never to stdout.")
    var foreground = false

    @Option(help: "trace, debug, info, notice, warning, error or critical (overrides daemon.log_level).")
    var logLevel: String?

    func run() async throws {
        let paths = CLI.paths
        if !foreground {
            if let pid = DaemonLock.holder(path: paths.lockFile), UnixSocket.isAccepting(path: paths.socket) {
                print("aid daemon is already running (pid \(pid)) on \(paths.socket)")
                return
            }
            let executable = ExecutableIdentity.installedPath()
            let child = try DaemonLauncher.spawnDaemon(executable: executable, paths: paths, logLevel: logLevel)
            let client = try DaemonLauncher.waitForDaemon(options: .init(socketPath: paths.socket), child: child, timeout: .seconds(20),
                                                          logFile: paths.logFile, executable: executable)
            let status = try await client.call(DaemonStatusRequest())
            client.close()
            print("aid daemon started (pid \(status.pid)) on \(paths.socket)")
            return
        }
        if let logLevel, !["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(logLevel) {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        switch try await Daemon.start(options: .init(paths: paths, logLevel: logLevel)) {
        case .alreadyRunning(let pid):
            FileHandle.standardError.write(Data("aid: a daemon is already running\(pid.map { " (pid \($0))" } ?? "") on \(paths.socket); `aid restart` replaces it with the installed binary\n".utf8))
            throw ExitCode(3)
        case .started(let daemon):
            _ = await daemon.run()
            // Reached after a shutdown, or when a restart could not execute the new binary.
        }
    }
}
