import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One run of a build command: started in its own process group, its output captured, killed
/// with everything it started (SIGTERM, then SIGKILL after a grace period) when it outlives its
/// timeout or is cancelled. Each instance runs once.
public final class BuildProcess: Sendable {
    /// What to run and the limits.
    public struct Options: Sendable {
        /// Run with `/bin/sh -c`.
        public var command: String
        /// The working directory (the workspace root).
        public var directory: String
        /// The complete environment.
        public var environment: [String: String]
        public var timeout: Duration
        /// Between SIGTERM and SIGKILL.
        public var killGrace: Duration
        /// Output beyond this is dropped.
        public var maximumOutputBytes: Int

        public init(command: String, directory: String, environment: [String: String], timeout: Duration,
                    killGrace: Duration = .seconds(2), maximumOutputBytes: Int = 16 << 20) {
            self.command = command
            self.directory = directory
            self.environment = environment
            self.timeout = timeout
            self.killGrace = killGrace
            self.maximumOutputBytes = maximumOutputBytes
        }
    }

    public let options: Options
    private struct State {
        var pid: pid_t?
        var reaped = false
        var cancelRequested = false
    }
    private let state = Mutex(State())

    public init(options: Options) { self.options = options }

    /// The process group id while it runs (the pid of the shell).
    public var processID: Int32? { state.withLock { $0.pid } }

    /// Kills the process group (SIGTERM now, SIGKILL after the grace period); ``run()`` then
    /// returns a result with `cancelled` set. Before ``run()`` started the process, it makes
    /// ``run()`` start nothing.
    public func cancel() {
        state.withLock { state in
            state.cancelRequested = true
            if let pid = state.pid, !state.reaped { kill(-pid, SIGTERM) }
        }
    }

    /// Runs the command to its end on a thread of its own; returns when the process has exited
    /// and the output is read.
    public func run() async -> BuildProcessResult {
        await withCheckedContinuation { continuation in
            let thread = Thread { [self] in continuation.resume(returning: self.runBlocking()) }
            thread.name = "aid-build"
            thread.start()
        }
    }

    private func runBlocking() -> BuildProcessResult {
        let clock = ContinuousClock()
        let started = clock.now
        let startedAt = Date()
        func unstarted(_ termination: BuildProcessResult.Termination, cancelled: Bool = false) -> BuildProcessResult {
            BuildProcessResult(termination: termination, output: "", outputTruncated: false, timedOut: false, cancelled: cancelled,
                               startedAt: startedAt, duration: clock.now - started, exitedAt: clock.now, pid: nil)
        }
        if state.withLock({ $0.cancelRequested }) { return unstarted(.signalled(SIGTERM), cancelled: true) }
        if let missing = CommandLookup.missingProgram(in: options.command, directory: options.directory,
                                                      environment: options.environment) {
            return unstarted(.commandNotFound(missing))
        }
        let spawned: SpawnedProcess
        do {
            spawned = try ProcessGroupSpawner.spawn(command: options.command, directory: options.directory,
                                                    environment: options.environment)
        } catch {
            return unstarted(.spawnFailed(error.description))
        }
        let cancelledEarly = state.withLock { state -> Bool in
            state.pid = spawned.pid
            return state.cancelRequested
        }
        if cancelledEarly { kill(-spawned.pid, SIGTERM) }
        var supervisor = Supervisor(process: spawned, options: options, started: started, owner: self)
        let outcome = supervisor.superviseToEnd()
        return BuildProcessResult(
            termination: outcome.termination, output: String(decoding: outcome.output, as: UTF8.self),
            outputTruncated: outcome.truncated, timedOut: outcome.timedOut, cancelled: outcome.cancelled,
            startedAt: startedAt, duration: outcome.exitedAt - started, exitedAt: outcome.exitedAt, pid: spawned.pid)
    }

    /// The loop that reads the output, reaps the process and enforces the deadlines.
    private struct Supervisor {
        let process: SpawnedProcess
        let options: Options
        let started: ContinuousClock.Instant
        let owner: BuildProcess
        let clock = ContinuousClock()
        var output: [UInt8] = []
        var truncated = false
        var endOfOutput = false
        var waitStatus: Int32?
        var exitedAt: ContinuousClock.Instant?
        var terminatedAt: ContinuousClock.Instant?
        var killed = false
        var timedOut = false
        var cancelled = false
        /// After the shell exits, how long to keep reading output that processes it left behind
        /// still write.
        let lingeringOutput = Duration.milliseconds(300)

        init(process: SpawnedProcess, options: Options, started: ContinuousClock.Instant, owner: BuildProcess) {
            self.process = process
            self.options = options
            self.started = started
            self.owner = owner
        }

        mutating func superviseToEnd() -> (termination: BuildProcessResult.Termination, output: [UInt8], truncated: Bool,
                                           timedOut: Bool, cancelled: Bool, exitedAt: ContinuousClock.Instant) {
            var buffer = [UInt8](repeating: 0, count: 65536)
            var idle = Duration.milliseconds(1)
            while true {
                let now = clock.now
                enforceDeadlines(now)
                reap(now)
                if let exitedAt, endOfOutput || now >= exitedAt + lingeringOutput { break }
                var wait = endOfOutput ? idle : .milliseconds(50)
                if let next = nextDeadline(), next - now < wait { wait = max(.milliseconds(1), next - now) }
                if endOfOutput {
                    pollFor(wait, descriptor: nil)
                    idle = min(idle * 2, .milliseconds(20))
                } else if pollFor(wait, descriptor: process.output) {
                    read(into: &buffer)
                }
            }
            close(process.output)
            // Whatever the build left running in its group goes with it.
            if kill(-process.pid, 0) == 0 { kill(-process.pid, SIGKILL) }
            let status = waitStatus ?? 0
            let termination: BuildProcessResult.Termination = Self.wasSignalled(status)
                ? .signalled(status & 0x7f) : .exited((status >> 8) & 0xff)
            return (termination, output, truncated, timedOut, cancelled, exitedAt ?? clock.now)
        }

        private static func wasSignalled(_ status: Int32) -> Bool {
            let signal = status & 0x7f
            return signal != 0 && signal != 0x7f
        }

        private mutating func enforceDeadlines(_ now: ContinuousClock.Instant) {
            guard waitStatus == nil || !endOfOutput else { return }
            if terminatedAt == nil {
                if owner.state.withLock({ $0.cancelRequested }) {
                    cancelled = true
                } else if now >= started + options.timeout {
                    timedOut = true
                } else {
                    return
                }
                kill(-process.pid, SIGTERM)
                terminatedAt = now
            } else if !killed, let terminatedAt, now >= terminatedAt + options.killGrace {
                kill(-process.pid, SIGKILL)
                killed = true
            }
        }

        private func nextDeadline() -> ContinuousClock.Instant? {
            if let terminatedAt { return killed ? nil : terminatedAt + options.killGrace }
            return started + options.timeout
        }

        private mutating func reap(_ now: ContinuousClock.Instant) {
            guard waitStatus == nil else { return }
            var status: Int32 = 0
            let reaped = owner.state.withLock { state -> Bool in
                let result = waitpid(process.pid, &status, WNOHANG)
                if result == process.pid || (result < 0 && errno == ECHILD) {
                    state.reaped = true
                    return true
                }
                return false
            }
            if reaped {
                waitStatus = status
                exitedAt = now
            }
        }

        /// Waits until `descriptor` is readable or `duration` passes; true when readable.
        @discardableResult
        private func pollFor(_ duration: Duration, descriptor: Int32?) -> Bool {
            let milliseconds = Int32(clamping: max(1, duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000))
            var entry = pollfd(fd: descriptor ?? -1, events: Int16(POLLIN), revents: 0)
            let ready = poll(&entry, descriptor == nil ? 0 : 1, milliseconds)
            return ready > 0
        }

        private mutating func read(into buffer: inout [UInt8]) {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(process.output, $0.baseAddress, $0.count) }
            if count > 0 {
                let room = options.maximumOutputBytes - output.count
                if room >= count {
                    output.append(contentsOf: buffer[0..<count])
                } else {
                    if room > 0 { output.append(contentsOf: buffer[0..<room]) }
                    truncated = true
                }
            } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                endOfOutput = true
            }
        }
    }
}
