/// The changes a diff makes to one file: which file, what kind of change, and the hunks.
public struct FilePatch: Sendable, Hashable {
    /// What happens to the file as a whole.
    public enum Kind: String, Sendable, Hashable {
        /// The file's content or mode changes in place.
        case modify
        /// The file is created (old side is `/dev/null`).
        case create
        /// The file is deleted (new side is `/dev/null`).
        case delete
        /// The file moves from `oldPath` to `newPath`, possibly with changes.
        case rename
        /// A copy of `oldPath` is written to `newPath`, possibly with changes.
        case copy
    }

    /// The path before the change, without the `a/` prefix; nil when the file is created.
    public var oldPath: String?
    /// The path after the change, without the `b/` prefix; nil when the file is deleted.
    public var newPath: String?
    /// What happens to the file.
    public var kind: Kind
    /// The mode before the change, when the diff states it.
    public var oldMode: FileMode?
    /// The mode after the change, when the diff states it.
    public var newMode: FileMode?
    /// The `similarity index` percentage of a rename or copy.
    public var similarity: Int?
    /// The `dissimilarity index` percentage of a rewritten file.
    public var dissimilarity: Int?
    /// The old blob id from the `index` line (abbreviated or full hex), if any.
    public var oldObjectID: String?
    /// The new blob id from the `index` line, if any.
    public var newObjectID: String?
    /// The hunks, in the order the diff lists them.
    public var hunks: [Hunk]
    /// True when the diff says the file is binary (`Binary files … differ` or
    /// `GIT binary patch`); such a patch has no hunks and cannot be applied.
    public var isBinary: Bool

    /// Creates a file patch.
    public init(
        oldPath: String?,
        newPath: String?,
        kind: Kind? = nil,
        oldMode: FileMode? = nil,
        newMode: FileMode? = nil,
        similarity: Int? = nil,
        dissimilarity: Int? = nil,
        oldObjectID: String? = nil,
        newObjectID: String? = nil,
        hunks: [Hunk] = [],
        isBinary: Bool = false
    ) {
        self.oldPath = oldPath
        self.newPath = newPath
        self.kind = kind ?? FilePatch.inferredKind(oldPath: oldPath, newPath: newPath)
        self.oldMode = oldMode
        self.newMode = newMode
        self.similarity = similarity
        self.dissimilarity = dissimilarity
        self.oldObjectID = oldObjectID
        self.newObjectID = newObjectID
        self.hunks = hunks
        self.isBinary = isBinary
    }

    /// The path to show the user: the new path, or the old one for deletions.
    public var displayPath: String { newPath ?? oldPath ?? "(unnamed file)" }

    /// Number of added lines over all hunks.
    public var addedLineCount: Int {
        hunks.reduce(0) { total, hunk in
            total + hunk.lines.reduce(0) { if case .addition = $1 { return $0 + 1 } else { return $0 } }
        }
    }

    /// Number of removed lines over all hunks.
    public var removedLineCount: Int {
        hunks.reduce(0) { total, hunk in
            total + hunk.lines.reduce(0) { if case .removal = $1 { return $0 + 1 } else { return $0 } }
        }
    }

    static func inferredKind(oldPath: String?, newPath: String?) -> Kind {
        switch (oldPath, newPath) {
        case (nil, _): return .create
        case (_, nil): return .delete
        case (let old?, let new?) where old != new: return .rename
        default: return .modify
        }
    }
}
