import Foundation

/// Tuning of a ``WorkspaceIndex``.
public struct IndexConfiguration: Sendable {
    /// Which files are read (size limit, binary detection).
    public var contentPolicy = FileContentPolicy()
    /// The universal-ctags executable (a name looked up in `PATH`, or a path).
    public var ctagsExecutable = "ctags"
    /// Set to false to chunk ctags languages by line windows only.
    public var useCtags = true
    /// Files analysed concurrently during a build (default: the core count).
    public var concurrency = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Files per analysis job for languages parsed in process.
    public var batchSize = 64
    /// Files per ctags invocation.
    public var ctagsBatchSize = 256

    /// The defaults.
    public init() {}
}

/// Reports indexing progress: files done, files to do, and what is happening.
public typealias IndexProgress = @Sendable (_ done: Int, _ total: Int, _ message: String) -> Void

/// What a build or update did.
public struct IndexReport: Sendable, Equatable {
    /// Files (re-)analysed.
    public var indexed = 0
    /// Files found unchanged (same size and time, or same contents).
    public var unchanged = 0
    /// Files dropped from the index (deleted, now ignored, now binary or too large).
    public var removed = 0
    /// Files not indexed, by reason.
    public var skipped: [SkipReason: Int] = [:]
    /// Set when ctags could not be used (its languages then get line windows).
    public var ctagsProblem: String?
    /// Wall time.
    public var seconds = 0.0
}

/// A retrieval result: one chunk of one file.
public struct SearchHit: Sendable, Hashable {
    /// Workspace-relative path.
    public var path: String
    /// First line of the chunk.
    public var startLine: Int
    /// Last line of the chunk (inclusive).
    public var endLine: Int
    /// How the chunk was cut.
    public var kind: ChunkKind
    /// The declaration the chunk covers, when structural.
    public var symbol: String?
    /// BM25 score (higher is better; comparable within one query only).
    public var score: Double
}

/// A declaration ranked by how widely its name is used across the workspace.
public struct RankedSymbol: Sendable, Hashable {
    /// The declaring file.
    public var path: String
    /// The declaration.
    public var symbol: Symbol
    /// Files mentioning the name without declaring it.
    public var referencingFiles: Int
    /// Occurrences of the name across the workspace.
    public var occurrences: Int
    /// The ranking score (referencing files shared among same-named declarations).
    public var score: Double
}

/// Size figures of an index.
public struct IndexStatistics: Sendable, Equatable {
    /// Indexed files.
    public var files: Int
    /// Their lines.
    public var lines: Int
    /// Live chunks.
    public var chunks: Int
    /// Vocabulary size (terms and identifiers).
    public var terms: Int
    /// Postings held in memory, including dead ones awaiting compaction.
    public var postings: Int
    /// Declarations in all outlines.
    public var symbols: Int
}
