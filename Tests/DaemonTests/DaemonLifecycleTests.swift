import AidProtocol
import AidStore
import AidTestSupport
import Daemon
import Foundation
import GRDB
import JSONRPC
import Testing
#if canImport(Glibc)
import Glibc
#endif

struct DaemonLifecycleTests {
    private func mode(_ path: String) -> mode_t {
        var info = stat()
        stat(path, &info)
        return info.st_mode & 0o777
    }

    @Test func socketIsPrivateAndASecondDaemonFindsTheFirst() throws {
        let daemon = try TestDaemon()
        defer { daemon.cleanUp() }
        try daemon.start()
        #expect(mode(daemon.paths.socketDirectory) == 0o700)
        #expect(mode(daemon.paths.socket) == 0o600)
        let second = try daemon.run(["daemon", "--foreground"])
        #expect(second.status == 3)
        #expect(second.stderr.contains("already running (pid \(daemon.pid))"))
        #expect(second.stdout.isEmpty)
        // The first one is unaffected.
        let status = try daemon.run(["status", "--json"])
        #expect(status.status == 0)
        #expect(status.stdout.contains("\"pid\" : \(daemon.pid)"))
    }

    @Test func aStaleSocketLeftByACrashedDaemonIsReplaced() throws {
        let daemon = try TestDaemon()
        defer { daemon.cleanUp() }
        try daemon.start()
        let crashed = daemon.pid
        kill(crashed, SIGKILL)
        var status: Int32 = 0
        waitpid(crashed, &status, 0)
        #expect(FileManager.default.fileExists(atPath: daemon.paths.socket), "the crash leaves the socket file behind")
        #expect(!UnixSocket.isAccepting(path: daemon.paths.socket))
        // Any command starts a new daemon, which replaces the stale socket.
        let result = try daemon.run(["status", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let holder = try #require(daemon.lockHolder)
        #expect(holder != Int(crashed))
        #expect(result.stdout.contains("\"pid\" : \(holder)"))
    }

    @Test func severalClientsStartingTheDaemonAtOnceShareOne() throws {
        let daemon = try TestDaemon()
        defer { daemon.cleanUp() }
        let outputs = try (0..<6).map { _ -> Process in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: daemon.executable)
            process.arguments = ["rpc", "daemon/status"]
            process.environment = daemon.environment
            process.standardOutput = Pipe()
            process.standardError = Pipe()
            return process
        }
        for process in outputs { try process.run() }
        var pids: Set<Int> = []
        for process in outputs {
            let data = (process.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            let status = try JSONParser.parse(Array(data))
            pids.insert(try #require(status["pid"]?.intValue))
        }
        #expect(pids.count == 1, "every client must reach the same daemon, got \(pids)")
        #expect(daemon.lockHolder == pids.first)
    }

    @Test func sigtermStopsGracefullyAndRemovesTheSocket() throws {
        let daemon = try TestDaemon()
        defer { daemon.cleanUp() }
        try daemon.start()
        kill(daemon.pid, SIGTERM)
        var status: Int32 = 0
        waitpid(daemon.pid, &status, 0)
        #expect(status == 0, "exit status \(status)")
        #expect(!FileManager.default.fileExists(atPath: daemon.paths.socket))
        let log = try String(contentsOfFile: daemon.paths.logFile, encoding: .utf8)
        #expect(log.contains("Received signal 15"))
        #expect(log.contains("Stopped."))
    }

    /// A signal sent the moment the daemon answers is acted on: the handlers are in place before
    /// it serves (a dispatch signal source registered asynchronously, and an early SIGTERM was
    /// ignored, leaving the daemon running).
    @Test func aSigtermSentTheMomentTheDaemonServesStopsIt() throws {
        for _ in 0..<5 {
            let daemon = try TestDaemon()
            defer { daemon.cleanUp() }
            try daemon.start()
            kill(daemon.pid, SIGTERM)
            var status: Int32 = -1
            try waitUntil("the daemon exits after SIGTERM") { waitpid(daemon.pid, &status, WNOHANG) == daemon.pid }
            #expect(status == 0, "exit status \(status)")
        }
    }

    @Test func sighupRestartsTheDaemon() throws {
        let daemon = try TestDaemon()
        defer { daemon.cleanUp() }
        try daemon.start()
        let client = try daemon.connect()
        #expect(try client.call(DaemonStatusRequest()).generation == 0)
        kill(daemon.pid, SIGHUP)
        try waitUntil("generation 1 answers") { (try? client.call(DaemonStatusRequest()))?.generation == 1 }
        client.close()
    }

    @Test func theForegroundDaemonWritesNothingToStdoutOrStderr() throws {
        let daemon = try TestDaemon()
        defer { daemon.cleanUp() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: daemon.executable)
        process.arguments = ["daemon", "--foreground", "--log-level", "trace"]
        process.environment = daemon.environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let client = try DaemonLauncher.waitForDaemon(options: .init(socketPath: daemon.paths.socket), child: process.processIdentifier,
                                                      timeout: .seconds(20), logFile: daemon.paths.logFile, executable: daemon.executable)
        for _ in 0..<20 { _ = try client.call(DaemonStatusRequest()) }
        _ = try? client.call("no/such/method")
        client.close()
        process.terminate()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(stdout.isEmpty, "stdout: \(String(decoding: stdout, as: UTF8.self))")
        #expect(stderr.isEmpty, "stderr: \(String(decoding: stderr, as: UTF8.self))")
        // What went to the log instead, at the level asked for: connections, then every answer.
        let log = try String(contentsOfFile: daemon.paths.logFile, encoding: .utf8)
        #expect(log.contains(" debug Connection ") && log.contains(" opened."), "\(log)")
        #expect(log.contains(" trace Connection ") && log.contains(": daemon/status answered in "), "\(log)")
        #expect(log.contains(": no/such/method answered with error -32601"), "\(log)")
    }

    @Test func theDefaultLogLevelLeavesRequestsOutOfTheLog() throws {
        let daemon = try TestDaemon()
        defer { daemon.cleanUp() }
        try daemon.start()
        let client = try daemon.connect()
        for _ in 0..<5 { _ = try client.call(DaemonStatusRequest()) }
        client.close()
        _ = try daemon.run(["stop"])
        let log = try String(contentsOfFile: daemon.paths.logFile, encoding: .utf8)
        #expect(log.contains(" notice "), "\(log)")
        #expect(!log.contains(" trace ") && !log.contains(" debug "), "\(log)")
    }

    @Test func everyRequestLeavesARecord() throws {
        let daemon = try TestDaemon()
        defer { daemon.cleanUp() }
        try daemon.start()
        let client = try daemon.connect(clientName: "records-test")
        for _ in 0..<5 { _ = try client.call(DaemonStatusRequest()) }
        _ = try? client.call("no/such/method")
        _ = try client.call(DaemonShutdownRequest())
        client.close()
        var status: Int32 = 0
        waitpid(daemon.pid, &status, 0)
        let store = try AidStore(path: daemon.paths.databaseFile)
        let rows = try store.database.read { db in try RequestEntry.filter(Column("client") == "records-test").fetchAll(db) }
        #expect(rows.filter { $0.method == "daemon/status" }.count == 5)
        #expect(rows.contains { $0.method == "no/such/method" && $0.errorCode == -32601 })
        #expect(rows.contains { $0.method == "initialize" && $0.workspace == daemon.directory.path })
        #expect(rows.contains { $0.method == "daemon/shutdown" })
    }

    @Test func aFrameOverTheConfiguredMaximumIsAnsweredThenTheConnectionClosed() throws {
        let daemon = try TestDaemon(config: "[daemon]\nmax_frame_bytes = 4096\n")
        defer { daemon.cleanUp() }
        try daemon.start()
        let raw = try RawConnection(path: daemon.paths.socket)
        let padding = String(repeating: "x", count: 5000)
        try raw.sendFrame(#"{"jsonrpc":"2.0","id":1,"method":"daemon/status","params":{"pad":"\#(padding)"}}"#)
        let answer = try #require(try raw.readFrame())
        #expect(answer["error"]?["code"] == -32001)
        #expect(answer["error"]?["message"]?.stringValue?.contains("exceeds the maximum frame size of 4096 bytes") == true)
        #expect(raw.waitForClose())
        // Others are unaffected.
        let client = try daemon.connect()
        #expect(try client.call(DaemonStatusRequest()).configErrors.isEmpty)
        client.close()
    }

    @Test func anInvalidConfigurationIsReportedNotFatal() throws {
        let daemon = try TestDaemon(config: "[daemon]\nlog_levle = \"debug\"\n")
        defer { daemon.cleanUp() }
        try daemon.start()
        let client = try daemon.connect()
        let status = try client.call(DaemonStatusRequest())
        client.close()
        #expect(status.configErrors.count == 1)
        #expect(status.configErrors[0].contains("config.toml:2: 'daemon.log_levle': unknown key"))
        let check = try daemon.run(["config", "check"])
        #expect(check.status == 1)
        #expect(check.stdout.contains("'daemon.log_levle': unknown key"))
        let doctor = try daemon.run(["doctor"])
        #expect(doctor.status == 1)
        #expect(doctor.stdout.contains("-> fix:"))
        // The daemon's copy of the mistake and the file's are one problem, said once.
        #expect(doctor.stdout.components(separatedBy: "'daemon.log_levle': unknown key").count == 2, "\(doctor.stdout)")
    }

    @Test func doctorFindsWhatConfigCheckFinds() throws {
        // A mistake in a model's table, which only the check of the merged files sees; no daemon runs.
        let daemon = try TestDaemon(config: "[models.x]\nprovider = \"openai\"\nbogus = 1\n")
        defer { daemon.cleanUp() }
        let check = try daemon.run(["config", "check"])
        let doctor = try daemon.run(["doctor"])
        #expect(check.status == 1)
        #expect(doctor.status == 1)
        for output in [check.stdout, doctor.stdout] {
            #expect(output.contains("config.toml:3: 'models.x.bogus': unknown key"), "\(output)")
        }
        #expect(doctor.stdout.contains("at line 3"), "\(doctor.stdout)")
    }

    @Test func aPeerWithAnotherUIDIsRefused() throws {
        try #require(getuid() == 0, "needs root to connect as another user")
        let daemon = try TestDaemon()
        defer { daemon.cleanUp() }
        try daemon.start()
        // Open the directory and socket to everyone, as a misconfiguration would, to show that
        // the uid check alone still refuses the stranger.
        chmod(daemon.paths.socketDirectory, 0o755)
        chmod(daemon.directory.path, 0o755)
        chmod((daemon.directory.path as NSString).deletingLastPathComponent, 0o755)
        chmod(daemon.paths.socket, 0o666)
        let script = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
            body = b'{"jsonrpc":"2.0","id":1,"method":"daemon/status"}'
            s.sendall(b'Content-Length: %d\\r\\n\\r\\n' % len(body) + body)
            data = b''
            while True:
                chunk = s.recv(65536)
                if not chunk: break
                data += chunk
            sys.stdout.write(data.decode())
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        // The system's Python: a per-user one under /root is out of reach of uid 65534.
        process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c", script, daemon.paths.socket]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("refused: this daemon serves uid 0 only, and you are uid 65534"), "\(text)")
        #expect(!text.contains("\"result\""))
        let log = try String(contentsOfFile: daemon.paths.logFile, encoding: .utf8)
        #expect(log.contains("running as uid 65534"))
    }
}
