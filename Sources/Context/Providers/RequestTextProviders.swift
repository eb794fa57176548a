/// Sends the request's standing instructions first (stable, required).
public struct InstructionsProvider: ContextProvider {
    public let name = "instructions"

    public init() {}

    public func items(for request: ContextRequest) async throws -> [ContextItem] {
        guard let instructions = request.instructions, !instructions.isEmpty else { return [] }
        return [ContextItem(provider: name, kind: .instructions, text: instructions,
                            reason: "Standing instructions for every request.", priority: ContextPriority.required,
                            stability: .stable)]
    }
}

/// Sends the developer's request itself, last (volatile, required).
public struct PromptProvider: ContextProvider {
    public let name = "prompt"

    public init() {}

    public func items(for request: ContextRequest) async throws -> [ContextItem] {
        guard !request.prompt.isEmpty else { return [] }
        return [ContextItem(provider: name, kind: .prompt, text: request.prompt,
                            reason: "The developer's request.", priority: ContextPriority.required, stability: .volatile)]
    }
}

/// The selected text in the current file.
public struct SelectionProvider: ContextProvider {
    public let name = "selection"
    let root: String

    /// Creates the provider for the workspace at `root`.
    public init(root: String) {
        self.root = root
    }

    public func items(for request: ContextRequest) async throws -> [ContextItem] {
        guard let selection = request.selection else { return [] }
        let reader = SourceReader(root: root, unsavedBuffers: request.unsavedBuffers)
        let path = request.currentFile.flatMap(reader.relative)
        let range = LineRange(start: selection.start.line, end: selection.end.line)
        var text = selection.text
        var lines: LineRange? = range
        if text == nil, let path, let slice = reader.lines(of: path, in: range) {
            text = slice.text
            lines = slice.range
        }
        guard let text, !text.isEmpty else { return [] }
        return [ContextItem(provider: name, kind: .selection, path: path, lines: lines, text: text,
                            reason: "The developer selected this text.", priority: ContextPriority.selection,
                            stability: .volatile)]
    }
}

/// Edits the caller reports as recent, most recent first.
public struct RecentEditsProvider: ContextProvider {
    public let name = "recentEdits"
    let root: String
    /// At most this many edits are offered.
    public var limit: Int

    public init(root: String, limit: Int = 10) {
        self.root = root
        self.limit = limit
    }

    public func items(for request: ContextRequest) async throws -> [ContextItem] {
        let reader = SourceReader(root: root)
        return request.recentEdits.prefix(limit).enumerated().map { rank, edit in
            ContextItem(provider: name, kind: .recentEdit, path: reader.relative(edit.path) ?? edit.path, lines: edit.lines,
                        text: edit.text,
                        reason: rank == 0 ? "The developer's most recent edit." : "A recent edit (#\(rank + 1) most recent).",
                        priority: ContextPriority.recentEdit - rank, stability: .volatile)
        }
    }
}
