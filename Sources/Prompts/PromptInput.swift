/// Everything a prompt template can draw on for one request.
public struct PromptInput: Sendable, Hashable {
    /// Standing instructions from the user or project (coding conventions and the
    /// like); nil or empty when there are none. Rendered in the stable part.
    public var instructions: String?
    /// Background material (related files, symbols, documentation), in the order it
    /// should appear. Stable items go in the cached prefix, the others after it.
    public var contextItems: [PromptContextItem]
    /// The developer's request.
    public var prompt: String
    /// The current contents of the files the edit concerns, possibly unsaved.
    /// Answers are parsed and applied against exactly these texts.
    public var files: [EditableFile]
    /// Where the developer's cursor or selection is, if the request is about it.
    public var cursor: CursorRegion?
    /// Why the previous answer could not be applied (the parse or apply error), for a
    /// single repair round; nil on a first attempt.
    public var repairNote: String?

    /// Creates an input.
    public init(
        instructions: String? = nil,
        contextItems: [PromptContextItem] = [],
        prompt: String,
        files: [EditableFile] = [],
        cursor: CursorRegion? = nil,
        repairNote: String? = nil
    ) {
        self.instructions = instructions
        self.contextItems = contextItems
        self.prompt = prompt
        self.files = files
        self.cursor = cursor
        self.repairNote = repairNote
    }
}

/// A piece of background context shown to the model.
public struct PromptContextItem: Sendable, Hashable {
    /// A short heading, e.g. "Definition of `Parser`" or "README".
    public var title: String
    /// The project-relative path the text comes from, if any; also picks the code
    /// fence's language.
    public var path: String?
    /// The text itself.
    public var text: String
    /// True when the item stays the same across requests (project overview, pinned
    /// files) and belongs in the cacheable prefix.
    public var stable: Bool

    /// Creates a context item.
    public init(title: String, path: String? = nil, text: String, stable: Bool) {
        self.title = title
        self.path = path
        self.text = text
        self.stable = stable
    }
}

/// A file the answer may change, with its current (possibly unsaved) content.
public struct EditableFile: Sendable, Hashable {
    /// The project-relative path, written the way the model should write it.
    public var path: String
    /// The current content. Patches for a listed file modify it; an answer that
    /// writes a file not listed creates that file.
    public var text: String

    /// Creates an editable file.
    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }
}

/// The lines around the developer's cursor or selection.
public struct CursorRegion: Sendable, Hashable {
    /// The file the cursor is in; when it is one of the editable files, the region's
    /// lines are quoted from it.
    public var path: String
    /// The 1-based lines of the selection, or the cursor's line alone.
    public var lines: ClosedRange<Int>

    /// Creates a cursor region.
    public init(path: String, lines: ClosedRange<Int>) {
        self.path = path
        self.lines = lines
    }

    /// A cursor on one 1-based line.
    public init(path: String, line: Int) {
        self.init(path: path, lines: line...line)
    }
}
