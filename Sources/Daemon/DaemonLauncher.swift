import AidProtocol
import Foundation
import JSONRPC
#if canImport(Glibc)
import Glibc
#endif

/// Starts the daemon in the background and connects to it: every `aid` command that needs the
/// daemon goes through here, so that the first one starts it. When several start it at once,
/// the socket's lock lets exactly one daemon win and every client connects to that one.
public enum DaemonLauncher {
    /// Connects to the daemon at `paths.socket`, starting one first if none answers.
    public static func connect(paths: AidPaths, executable: String = ExecutableIdentity.installedPath(),
                               initialize: InitializeRequest?, autoStart: Bool = true,
                               timeout: Duration = .seconds(20), environment: [String: String] = [:]) throws -> RPCClient {
        var options = RPCClient.Options(socketPath: paths.socket, initialize: initialize)
        options.reconnectTimeout = timeout
        if let client = try? RPCClient(options: options) { return client }
        guard autoStart else {
            throw DaemonError("no daemon is running on \(paths.socket); start one with `aid daemon`")
        }
        let child = try spawnDaemon(executable: executable, paths: paths, environment: environment)
        return try waitForDaemon(options: options, child: child, timeout: timeout, logFile: paths.logFile, executable: executable)
    }

    /// Connects to a daemon that is starting, trying until `timeout`.
    public static func waitForDaemon(options: RPCClient.Options, child: pid_t, timeout: Duration, logFile: String,
                                     executable: String) throws -> RPCClient {
        let deadline = ContinuousClock.now + timeout
        var delay = Duration.milliseconds(1)
        var lastError = ""
        while ContinuousClock.now < deadline {
            do {
                // A connect succeeds as soon as the socket listens; only an answer shows that
                // the daemon serves.
                let client = try RPCClient(options: options)
                if options.initialize == nil { _ = try client.call(DaemonStatusRequest.method, timeout: .seconds(10)) }
                return client
            } catch {
                lastError = "\(error)"
            }
            var status: Int32 = 0
            if child > 0, waitpid(child, &status, WNOHANG) == child {
                // The daemon we started has exited: another one won the race (then connecting
                // will succeed soon), or it failed (its log says why).
                _ = status
            }
            Thread.sleep(forTimeInterval: Double(delay.components.attoseconds) * 1e-18)
            delay = min(delay * 2, .milliseconds(50))
        }
        throw DaemonError("started `\(executable) daemon` but could not connect to \(options.socketPath) within \(timeout): \(lastError); see \(logFile)")
    }

    /// Open descriptors of this process that a child would inherit (no FD_CLOEXEC).
    static func inheritableDescriptors() -> [CInt] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return names.compactMap { CInt($0) }.filter { fd in
            let flags = fcntl(fd, F_GETFD)
            return flags >= 0 && flags & FD_CLOEXEC == 0
        }
    }

    /// Starts `aid daemon --foreground` detached from the caller (new session, stdio to /dev/null).
    @discardableResult
    public static func spawnDaemon(executable: String, paths: AidPaths, logLevel: String? = nil,
                                   environment extra: [String: String] = [:]) throws -> pid_t {
        var arguments = [executable, "daemon", "--foreground"]
        if let logLevel { arguments += ["--log-level", logLevel] }
        var environment = ProcessInfo.processInfo.environment.merging(extra) { _, new in new }
        environment["AID_SOCKET"] = paths.socket
        environment["AID_STATE_DIR"] = paths.stateDirectory
        for key in ["AID_LISTEN_FD", "AID_LOCK_FD", "AID_GENERATION", "AID_STARTED_AT", "AID_EXECUTABLE"] { environment[key] = nil }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // POSIX_SPAWN_SETSID (glibc): the daemon leads its own session, free of the caller's terminal.
        posix_spawnattr_setflags(&attributes, Int16(0x80))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in [0, 1, 2] {
            posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
        }
        // The daemon outlives its starter: it must not keep the starter's pipes open (an editor
        // or script reading our output to its end would wait for as long as the daemon lives).
        for fd in inheritableDescriptors() where fd > 2 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw DaemonError("cannot start \(executable): \(String(cString: strerror(result)))")
        }
        return pid
    }
}
