import GRDB

/// One row of the `build_run` table: a build of a workspace that finished or was cancelled.
public struct BuildRunRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "build_run"

    /// How a run ended.
    public enum Outcome: String, Codable, Sendable {
        /// Exit status 0.
        case green
        /// Non-zero exit status, or the command could not be started.
        case red
        /// Killed after `build.timeout_ms`.
        case timedOut
        /// Killed because a change or a stop made it pointless; its result was discarded.
        case cancelled
    }

    public var id: Int64?
    /// The workspace root.
    public var workspace: String
    public var command: String
    /// `configured`, or the detected build system.
    public var buildSystem: String?
    /// `initial`, `change`, `manual` or `rescan`.
    public var reason: String
    /// JSON array of the paths whose changes started the run.
    public var changedPaths: String
    /// Seconds since 1970.
    public var startedAt: Double
    public var finishedAt: Double
    public var durationMs: Int
    public var exitStatus: Int?
    public var outcome: Outcome
    public var errorCount: Int
    public var warningCount: Int
    /// JSON array of the diagnostics, as sent to clients.
    public var diagnostics: String
    public var message: String?
    /// The last lines of the output.
    public var outputTail: String?

    public init(id: Int64? = nil, workspace: String, command: String, buildSystem: String?, reason: String,
                changedPaths: String, startedAt: Double, finishedAt: Double, durationMs: Int, exitStatus: Int?,
                outcome: Outcome, errorCount: Int, warningCount: Int, diagnostics: String, message: String?,
                outputTail: String?) {
        self.id = id
        self.workspace = workspace
        self.command = command
        self.buildSystem = buildSystem
        self.reason = reason
        self.changedPaths = changedPaths
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.durationMs = durationMs
        self.exitStatus = exitStatus
        self.outcome = outcome
        self.errorCount = errorCount
        self.warningCount = warningCount
        self.diagnostics = diagnostics
        self.message = message
        self.outputTail = outputTail
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
