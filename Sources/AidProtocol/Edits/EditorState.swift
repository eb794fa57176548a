/// A place in a text, as editors count it (LSP): 0-based line, and `character` in UTF-16 code
/// units from the start of the line.
public struct EditorPosition: Codable, Sendable, Equatable, Hashable {
    /// 0-based line.
    public var line: Int
    /// 0-based UTF-16 code unit offset in the line.
    public var character: Int

    public init(line: Int, character: Int) {
        self.line = line
        self.character = character
    }
}

/// A range of text between two positions (`end` exclusive).
public struct EditorRange: Codable, Sendable, Equatable, Hashable {
    public var start: EditorPosition
    public var end: EditorPosition

    public init(start: EditorPosition, end: EditorPosition) {
        self.start = start
        self.end = end
    }
}

/// The whole text of an editor buffer with unsaved changes; the daemon reads it instead of the
/// file on disk.
public struct EditorBuffer: Codable, Sendable, Equatable {
    /// Absolute, or relative to the workspace root.
    public var path: String
    /// The buffer's whole text.
    public var text: String

    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }
}

/// The editor state that `edit/propose`, `chat/send` and `context/preview` share: where the
/// developer is and what the editor holds that the disk does not.
public protocol EditorStateParams {
    /// The workspace (absolute); default: the connection's `initialize` workspaceRoot.
    var workspaceRoot: String? { get }
    /// The current buffer's path (absolute, or relative to the workspace root).
    var file: String? { get }
    /// The cursor in `file`.
    var cursor: EditorPosition? { get }
    /// The selection in `file`, when there is one.
    var selection: EditorRange? { get }
    /// Every modified (unsaved) buffer of the workspace.
    var buffers: [EditorBuffer]? { get }
}
