import Foundation

/// How one run of a build command ended.
public struct BuildProcessResult: Sendable {
    /// What became of the process.
    public enum Termination: Sendable, Equatable {
        /// It exited with this status.
        case exited(Int32)
        /// A signal ended it.
        case signalled(Int32)
        /// The program the command starts does not exist; nothing was run.
        case commandNotFound(String)
        /// The process could not be started.
        case spawnFailed(String)
    }

    public var termination: Termination
    /// Its stdout and stderr, interleaved as written (at most `maximumOutputBytes`).
    public var output: String
    /// Whether output beyond the maximum was dropped.
    public var outputTruncated: Bool
    /// Whether it was killed for running longer than the timeout.
    public var timedOut: Bool
    /// Whether it was killed by ``BuildProcess/cancel()``.
    public var cancelled: Bool
    /// Wall-clock start.
    public var startedAt: Date
    /// From start until the process was reaped.
    public var duration: Duration
    /// When the process was seen to exit (reaped), for latency measurements.
    public var exitedAt: ContinuousClock.Instant
    /// The process (and process group) id, when it started.
    public var pid: Int32?

    /// The shell-style exit status: the status, or 128 + the signal number.
    public var exitStatus: Int? {
        switch termination {
        case .exited(let status): Int(status)
        case .signalled(let signal): 128 + Int(signal)
        case .commandNotFound, .spawnFailed: nil
        }
    }
}
