import GRDB

/// One row of the `request` table: a JSON-RPC request the daemon answered.
public struct RequestEntry: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "request"

    public var id: Int64?
    /// Seconds since 1970 when the request was read.
    public var receivedAt: Double
    public var method: String
    /// The client's name from `initialize` (nil before it).
    public var client: String?
    public var editor: String?
    public var workspace: String?
    /// From reading the request to queueing its answer.
    public var durationMs: Double
    /// nil for success, else the error code of the answer.
    public var errorCode: Int?
    public var errorMessage: String?
    public var connectionId: Int64
    /// The daemon generation (restart count) that answered.
    public var generation: Int

    public init(id: Int64? = nil, receivedAt: Double, method: String, client: String?, editor: String?, workspace: String?,
                durationMs: Double, errorCode: Int?, errorMessage: String?, connectionId: Int64, generation: Int) {
        self.id = id
        self.receivedAt = receivedAt
        self.method = method
        self.client = client
        self.editor = editor
        self.workspace = workspace
        self.durationMs = durationMs
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.connectionId = connectionId
        self.generation = generation
    }
}
