import AidConfig
import AidProtocol
import AidStore
import ArgumentParser
import Daemon
import Foundation
import JSONRPC
#if canImport(Glibc)
import Glibc
#endif

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the socket, permissions, state, configuration and versions; say how to fix each problem.")

    func run() throws {
        let paths = CLI.paths
        var report = DoctorReport()
        let configuration = ConfigurationCheck(userFile: paths.configFile, workspaceRoot: FileManager.default.currentDirectoryPath)

        // Socket directory.
        var info = stat()
        if stat(paths.socketDirectory, &info) != 0 {
            report.note("socket directory \(paths.socketDirectory) does not exist yet", fix: nil)
        } else if info.st_uid != getuid() {
            report.problem("socket directory \(paths.socketDirectory) belongs to uid \(info.st_uid)",
                           fix: "remove it, or set AID_SOCKET to a path in a directory of yours")
        } else if info.st_mode & 0o777 != 0o700 {
            report.problem("socket directory \(paths.socketDirectory) has mode \(String(info.st_mode & 0o777, radix: 8)), not 700",
                           fix: "chmod 700 \(paths.socketDirectory)")
        } else {
            report.ok("socket directory \(paths.socketDirectory) is yours, mode 700")
        }

        // Socket and daemon.
        var daemonStatus: DaemonStatus?
        if stat(paths.socket, &info) != 0 {
            report.note("no daemon is running (no socket at \(paths.socket))", fix: "`aid daemon` starts one; any aid command does too")
        } else {
            if info.st_mode & 0o777 != 0o600 {
                report.problem("socket \(paths.socket) has mode \(String(info.st_mode & 0o777, radix: 8)), not 600", fix: "`aid restart` re-creates it with mode 600")
            }
            if UnixSocket.isAccepting(path: paths.socket) {
                if let client = try? CLI.connect(autoStart: false), let status = try? client.call(DaemonStatusRequest(), timeout: .seconds(5)) {
                    daemonStatus = status
                    client.close()
                    report.ok("daemon \(status.version) answers on \(paths.socket) (pid \(status.pid), generation \(status.generation))")
                } else {
                    report.problem("the daemon at \(paths.socket) accepts connections but does not answer", fix: "`aid logs` shows why; `kill` it and run `aid daemon`")
                }
            } else {
                report.problem("stale socket \(paths.socket): no daemon behind it", fix: "`aid daemon` replaces it (or remove the file)")
            }
        }

        // Versions.
        if let status = daemonStatus {
            if status.version != AidVersion.current {
                report.problem("the daemon runs version \(status.version) but this aid is \(AidVersion.current)", fix: "`aid restart` loads the installed binary")
            } else {
                report.ok("daemon and command line are both version \(AidVersion.current), protocol \(ProtocolMessages.protocolVersion)")
            }
            // Mistakes still in the files are reported below with the file's own check; these
            // are the ones the daemon started with that the files no longer have.
            let current = Set(configuration.problems.map(\.description))
            for error in status.configErrors where !current.contains(error) {
                report.problem("the daemon runs with defaults because of a mistake fixed since: \(error)", fix: "`aid restart` loads the file as it is now")
            }
        }

        // State directory and database.
        if access(paths.stateDirectory, W_OK) != 0 && FileManager.default.fileExists(atPath: paths.stateDirectory) {
            report.problem("state directory \(paths.stateDirectory) is not writable", fix: "chmod u+rwx \(paths.stateDirectory), or set AID_STATE_DIR")
        } else if FileManager.default.fileExists(atPath: paths.databaseFile) {
            do {
                let store = try AidStore(path: paths.databaseFile)
                let mode = try store.journalMode()
                if mode == "wal" {
                    report.ok("database \(paths.databaseFile) opens, journal mode wal, schema \(try store.appliedMigrations().last ?? "empty")")
                } else {
                    report.problem("database journal mode is \(mode), not wal", fix: "stop the daemon and remove \(paths.databaseFile)-shm; it reopens in WAL mode")
                }
            } catch {
                report.problem("database \(paths.databaseFile) cannot be opened: \(error)", fix: "move it aside (mv \(paths.databaseFile){,.broken}); the daemon creates a new one")
            }
        } else {
            report.note("no database yet at \(paths.databaseFile)", fix: "created when the daemon first starts")
        }

        // Configuration: the same check as `aid config check`.
        for (file, outcome) in configuration.files {
            switch outcome {
            case .absent: continue
            case .valid: report.ok("configuration \(file) is valid")
            case .invalid(let errors): for problem in errors { report.problem("\(problem)", fix: Self.fix(for: problem)) }
            }
        }
        for problem in configuration.modelErrors { report.problem("\(problem)", fix: Self.fix(for: problem)) }

        // Log.
        if FileManager.default.fileExists(atPath: paths.logFile), access(paths.logFile, W_OK) != 0 {
            report.problem("log file \(paths.logFile) is not writable", fix: "chmod u+w \(paths.logFile)")
        }

        print(report.lines.joined(separator: "\n"))
        if report.problems > 0 {
            print("\(report.problems) problem\(report.problems == 1 ? "" : "s") found")
            throw ExitCode(1)
        }
        print("no problems found")
    }

    /// How to mend a mistake in a configuration file.
    static func fix(for problem: ConfigError) -> String {
        "edit \(problem.file)\(problem.line.map { " at line \($0)" } ?? ""), then `aid config check`; `aid restart` loads it"
    }
}

struct DoctorReport {
    var lines: [String] = []
    var problems = 0
    mutating func ok(_ text: String) { lines.append("ok      \(text)") }
    mutating func note(_ text: String, fix: String?) { lines.append("note    \(text)" + (fix.map { "\n        -> \($0)" } ?? "")) }
    mutating func problem(_ text: String, fix: String) {
        problems += 1
        lines.append("PROBLEM \(text)\n        -> fix: \(fix)")
    }
}
