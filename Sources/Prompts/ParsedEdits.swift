import Diffs

/// What a model's answer amounts to: patches ready for `PatchApplier`, the
/// explanation around them, and what the parser had to work around.
public struct ParsedEdits: Sendable, Hashable {
    /// One patch per file, in the order the answer first mentions the files. Paths
    /// are those of the matching `EditableFile` when the answer named one.
    public var filePatches: [FilePatch]
    /// The answer's text outside the edits (for chat: the whole answer), trimmed.
    public var prose: String
    /// Things repaired or skipped on the way (elided lines, blocks ignored, …), one
    /// sentence each, for logs and the user.
    public var warnings: [String]
    /// False when the answer stopped in the middle of an edit (a stream cut short or
    /// still arriving): the unfinished edit was left out, earlier ones are kept.
    public var complete: Bool

    /// Creates a result.
    public init(filePatches: [FilePatch] = [], prose: String = "", warnings: [String] = [], complete: Bool = true) {
        self.filePatches = filePatches
        self.prose = prose
        self.warnings = warnings
        self.complete = complete
    }
}
