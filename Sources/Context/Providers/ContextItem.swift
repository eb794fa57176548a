/// One piece of context that may be sent to the model.
public struct ContextItem: Sendable, Hashable, Codable {
    /// The provider that produced it (``ContextProvider/name``).
    public var provider: String
    /// What it is; also decides its place in the packed order.
    public var kind: ContextItemKind
    /// Workspace-relative path, when it comes from a file.
    public var path: String?
    /// Lines covered (1-based, inclusive), when it is part of a file.
    public var lines: LineRange?
    /// The content.
    public var text: String
    /// Why it was included, as one sentence for the preview.
    public var reason: String
    /// Tokens of ``rendered`` (filled in by the engine with its token counter).
    public var tokenCount: Int
    /// Higher is kept first when the budget is short; ``ContextPriority/required`` items are kept before all others.
    public var priority: Int
    /// Whether it stays the same across consecutive requests (and so belongs in the shared prefix).
    public var stability: Stability

    /// Creates an item; `tokenCount` is normally left for the engine to fill.
    public init(provider: String, kind: ContextItemKind, path: String? = nil, lines: LineRange? = nil, text: String,
                reason: String, tokenCount: Int = 0, priority: Int, stability: Stability) {
        self.provider = provider
        self.kind = kind
        self.path = path
        self.lines = lines
        self.text = text
        self.reason = reason
        self.tokenCount = tokenCount
        self.priority = priority
        self.stability = stability
    }

    /// Identity across requests: provider, kind, path and lines (not the text).
    public var identity: String {
        "\(provider)|\(kind.rawValue)|\(path ?? "")|\(lines.map { "\($0.start)-\($0.end)" } ?? "")"
    }

    /// A short heading naming the source: `Sources/Net/Server.swift:10-40 (retrieved)`,
    /// or the kind's title for items without a path (`repository map`).
    public var title: String {
        guard let path else { return kind.title }
        return path + (lines.map { ":\($0.start)-\($0.end)" } ?? "") + " (\(kind.title))"
    }

    /// The text as counted: the heading, then the content.
    ///
    ///     ### Sources/Net/Server.swift:10-40 (retrieved)
    ///     <text>
    ///
    /// A prompt template that frames items differently differs from this
    /// count by its own framing only.
    public var rendered: String {
        "### " + title + "\n" + text + (text.hasSuffix("\n") ? "" : "\n")
    }
}

/// A 1-based inclusive range of lines.
public struct LineRange: Sendable, Hashable, Codable {
    /// First line (1-based).
    public var start: Int
    /// Last line (inclusive, ≥ `start`).
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = max(start, end)
    }

    /// Lines shared with `other`.
    public func overlap(with other: LineRange) -> Int {
        max(0, min(end, other.end) - max(start, other.start) + 1)
    }

    /// Number of lines.
    public var count: Int { end - start + 1 }
}

/// Whether an item is expected to be identical in the next request.
public enum Stability: String, Sendable, Hashable, Codable {
    /// Instructions, the repo map, files chosen independently of the prompt: placed first.
    case stable
    /// The cursor region, diagnostics, prompt-dependent hits, the prompt: placed last.
    case volatile
}

/// Well-known priorities (higher is kept first).
public enum ContextPriority {
    /// Never dropped while anything else remains to drop (instructions, the prompt).
    public static let required = 1000
    /// The developer's selection.
    public static let selection = 95
    /// The code around the cursor.
    public static let cursor = 90
    /// Build errors.
    public static let errors = 85
    /// Unsaved editor changes.
    public static let unsavedBuffer = 75
    /// The most recent edit (older ones rank one lower each).
    public static let recentEdit = 70
    /// Build warnings and notes.
    public static let warnings = 60
    /// The best retrieval hit (later hits rank one lower each).
    public static let retrieval = 55
    /// Uncommitted changes.
    public static let diff = 50
    /// The first related file (later ones rank one lower each).
    public static let relatedFile = 45
    /// The repository map.
    public static let repoMap = 35
}

/// What an item is. The raw order is the packing order within a stability class.
public enum ContextItemKind: String, Sendable, Hashable, Codable, CaseIterable {
    case instructions
    case repoMap
    case relatedFile
    case unsavedBuffer
    case recentEdit
    case workingTreeDiff
    case retrieval
    case diagnostics
    case selection
    case cursor
    case prompt

    /// Position in the packed order (stable items first, then by this).
    public var order: Int { Self.allCases.firstIndex(of: self)! }

    /// How the heading names it.
    public var title: String {
        switch self {
        case .instructions: return "instructions"
        case .repoMap: return "repository map"
        case .relatedFile: return "related file"
        case .unsavedBuffer: return "unsaved editor buffer"
        case .recentEdit: return "recent edit"
        case .workingTreeDiff: return "working tree diff"
        case .retrieval: return "retrieved"
        case .diagnostics: return "build diagnostics"
        case .selection: return "selection"
        case .cursor: return "around the cursor"
        case .prompt: return "request"
        }
    }
}
