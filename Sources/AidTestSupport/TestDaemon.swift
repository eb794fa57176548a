import AidProtocol
import Daemon
import Foundation
import JSONRPC
#if canImport(Glibc)
import Glibc
#endif

/// A real `aid` daemon process in its own directories, for end-to-end tests.
public final class TestDaemon: @unchecked Sendable {
    // @unchecked: the mutable `pid` and `daemonEnvironment` are only touched by the test that owns the daemon.
    public let directory: TestDirectory
    public let paths: AidPaths
    /// The `aid` binary this daemon runs.
    public let executable: String
    public private(set) var pid: pid_t = 0
    /// Variables added to the environment of the daemon this test starts (set before `start`).
    public var daemonEnvironment: [String: String] = [:]

    /// Prepares directories (and, with `installCopy`, a private copy of the binary that tests
    /// may replace); does not start anything. `config` is written as the user's config.toml.
    public init(installCopy: Bool = false, config: String? = nil) throws {
        directory = try TestDirectory("d")
        paths = AidPaths(socket: directory.file("run/aid.sock"), stateDirectory: directory.file("state"),
                         configFile: directory.file("config/aid/config.toml"))
        let built = try Self.builtExecutable()
        if installCopy {
            try FileManager.default.createDirectory(atPath: directory.file("bin"), withIntermediateDirectories: true)
            executable = directory.file("bin/aid")
            try FileManager.default.copyItem(atPath: built, toPath: executable)
        } else {
            executable = built
        }
        if let config { try directory.write("config/aid/config.toml", config) }
    }

    /// The `aid` executable built next to the test bundle, or the one `AID_TEST_EXECUTABLE`
    /// names (to measure a release build with the debug tests).
    public static func builtExecutable() throws -> String {
        if let chosen = ProcessInfo.processInfo.environment["AID_TEST_EXECUTABLE"], !chosen.isEmpty { return chosen }
        let exe = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var directory = (exe as NSString).deletingLastPathComponent
        // The bundle may be inside `X.xctest/` on some layouts.
        for _ in 0..<3 {
            let candidate = directory + "/aid"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = (directory as NSString).deletingLastPathComponent
        }
        throw TimedOut(description: "no aid executable next to the test binary \(exe); build it with `swift build` first")
    }

    /// The environment a client or daemon of this test uses.
    public var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["AID_SOCKET"] = paths.socket
        env["AID_STATE_DIR"] = paths.stateDirectory
        env["XDG_CONFIG_HOME"] = directory.file("config")
        return env
    }

    /// Starts the daemon in the background and waits until it answers.
    public func start() throws {
        pid = try DaemonLauncher.spawnDaemon(executable: executable, paths: paths, environment: extraEnvironment)
        let client = try DaemonLauncher.waitForDaemon(options: .init(socketPath: paths.socket), child: pid, timeout: .seconds(20),
                                                      logFile: paths.logFile, executable: executable)
        client.close()
    }

    /// A client with reconnection, initialized as `clientName` working in `workspaceRoot`
    /// (default: the daemon's test directory).
    public func connect(clientName: String = "test", autoStart: Bool = false, workspaceRoot: String? = nil) throws -> RPCClient {
        try DaemonLauncher.connect(paths: paths, executable: executable,
                                   initialize: InitializeRequest(clientName: clientName, workspaceRoot: workspaceRoot ?? directory.path),
                                   autoStart: autoStart, environment: extraEnvironment)
    }

    /// Runs `aid ARGS` with this daemon's environment; returns exit status, stdout and stderr.
    @discardableResult
    public func run(_ arguments: [String], timeout: Duration = .seconds(60)) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    /// The pid that holds the daemon lock, if a daemon runs.
    public var lockHolder: Int? { DaemonLock.holder(path: paths.lockFile) }

    /// Shuts the daemon down (or kills it) and removes the directories.
    public func cleanUp() {
        if let client = try? connect() {
            _ = try? client.call(DaemonShutdownRequest(drainTimeoutMs: 1000), timeout: .seconds(10))
            client.close()
        }
        if let holder = lockHolder, holder > 0 { kill(pid_t(holder), SIGKILL) }
        if pid > 0 {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        directory.remove()
    }

    private var extraEnvironment: [String: String] {
        daemonEnvironment.merging(["XDG_CONFIG_HOME": directory.file("config")]) { _, fixed in fixed }
    }
}
