import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child started by ``ProcessGroupSpawner``: it leads its own session and process group (so
/// `kill(-pid, ...)` reaches it and everything it started), and its stdout and stderr both go
/// to one pipe.
struct SpawnedProcess: Sendable {
    let pid: pid_t
    /// The read end of the output pipe (close-on-exec, blocking).
    let output: Int32
}

/// Why a process could not be started.
struct SpawnError: Error, Sendable, CustomStringConvertible {
    var description: String
}

/// Starts `/bin/sh -c COMMAND` with posix_spawn in a new session, stdin from /dev/null, stdout
/// and stderr into one pipe, signal dispositions and mask reset (the daemon ignores SIGTERM,
/// SIGHUP, SIGINT and SIGPIPE, which children would otherwise inherit), and no descriptor of
/// the daemon's inherited.
enum ProcessGroupSpawner {
    /// POSIX_SPAWN_SETSID from glibc's <spawn.h> (a GNU extension Swift does not import).
    private static let setSessionFlag: Int32 = 0x80

    static func spawn(command: String, directory: String, environment: [String: String]) throws(SpawnError) -> SpawnedProcess {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw SpawnError(description: "pipe: \(String(cString: strerror(errno)))") }
        let (readEnd, writeEnd) = (ends[0], ends[1])
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(setSessionFlag | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 2)
        var script = command
        if let addChdir = SpawnExtensions.addChdir {
            _ = directory.withCString { addChdir(&actions, $0) }
        } else {
            script = "cd -- \(ShellQuoting.quote(directory)) || exit 126\n" + command
        }
        if let closeFrom = SpawnExtensions.addCloseFrom {
            _ = closeFrom(&actions, 3)
        } else {
            for descriptor in inheritableDescriptors() where descriptor > 2 {
                posix_spawn_file_actions_addclose(&actions, descriptor)
            }
        }

        let arguments: [String] = ["/bin/sh", "-c", script]
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp)
        close(writeEnd)
        guard result == 0 else {
            close(readEnd)
            throw SpawnError(description: "cannot start /bin/sh: \(String(cString: strerror(result)))")
        }
        return SpawnedProcess(pid: pid, output: readEnd)
    }

    /// Open descriptors of this process without FD_CLOEXEC.
    private static func inheritableDescriptors() -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return names.compactMap { Int32($0) }.filter { descriptor in
            let flags = fcntl(descriptor, F_GETFD)
            return flags >= 0 && flags & FD_CLOEXEC == 0
        }
    }
}

/// glibc's posix_spawn extensions, looked up at run time because Swift does not import them.
private enum SpawnExtensions {
    typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// `posix_spawn_file_actions_addchdir_np` (glibc 2.29+).
    static let addChdir: AddChdir? = lookUp("posix_spawn_file_actions_addchdir_np")
    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34+).
    static let addCloseFrom: AddCloseFrom? = lookUp("posix_spawn_file_actions_addclosefrom_np")

    private static func lookUp<T>(_ name: String) -> T? {
        guard let symbol = dlsym(nil, name) else { return nil }
        return unsafeBitCast(symbol, to: T.self)
    }
}
