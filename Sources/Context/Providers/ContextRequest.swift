/// What the editor and the caller know about a request, from which the
/// providers draw context.
public struct ContextRequest: Sendable, Hashable, Codable {
    /// Groups consecutive requests for the shared-prefix metric.
    public var sessionID: String?
    /// The developer's request.
    public var prompt: String
    /// Standing instructions (system text), sent first.
    public var instructions: String?
    /// The file being edited (workspace-relative or absolute).
    public var currentFile: String?
    /// The cursor in `currentFile`.
    public var cursor: Position?
    /// The selection in `currentFile`.
    public var selection: Selection?
    /// Editor buffers with unsaved changes, by path: their text overrides the disk everywhere.
    public var unsavedBuffers: [String: String]
    /// Recent edits, most recent first.
    public var recentEdits: [RecentEdit]
    /// The model's window and the share kept for its answer.
    public var budget: TokenBudget
    /// Providers to consult, by name; nil for all registered ones.
    public var providers: Set<String>?

    public init(sessionID: String? = nil, prompt: String, instructions: String? = nil, currentFile: String? = nil,
                cursor: Position? = nil, selection: Selection? = nil, unsavedBuffers: [String: String] = [:],
                recentEdits: [RecentEdit] = [], budget: TokenBudget = TokenBudget(), providers: Set<String>? = nil) {
        self.sessionID = sessionID
        self.prompt = prompt
        self.instructions = instructions
        self.currentFile = currentFile
        self.cursor = cursor
        self.selection = selection
        self.unsavedBuffers = unsavedBuffers
        self.recentEdits = recentEdits
        self.budget = budget
        self.providers = providers
    }
}

/// A 1-based line and column.
public struct Position: Sendable, Hashable, Codable {
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int

    public init(line: Int, column: Int = 1) {
        self.line = line
        self.column = column
    }
}

/// A selected range (1-based, end inclusive by line), with its text when the editor sends it.
public struct Selection: Sendable, Hashable, Codable {
    /// Where the selection starts.
    public var start: Position
    /// Where it ends (its line is included).
    public var end: Position
    /// The selected text, when the editor sends it (otherwise read from the file).
    public var text: String?

    public init(start: Position, end: Position, text: String? = nil) {
        self.start = start
        self.end = end
        self.text = text
    }
}

/// An edit the developer made recently (reported by the caller).
public struct RecentEdit: Sendable, Hashable, Codable {
    /// The edited file.
    public var path: String
    /// Lines of the edit in the current text.
    public var lines: LineRange?
    /// The edit, as a unified diff or the new text.
    public var text: String

    public init(path: String, lines: LineRange? = nil, text: String) {
        self.path = path
        self.lines = lines
        self.text = text
    }
}

/// The token budget of a request.
public struct TokenBudget: Sendable, Hashable, Codable {
    /// The model's context window, in tokens.
    public var contextWindow: Int
    /// Tokens kept free for the model's answer.
    public var outputReserve: Int

    public init(contextWindow: Int = 128_000, outputReserve: Int = 8_192) {
        self.contextWindow = contextWindow
        self.outputReserve = outputReserve
    }

    /// Tokens available for context.
    public var available: Int { max(0, contextWindow - outputReserve) }
}
