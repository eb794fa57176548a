/// One change below a watched workspace root.
public struct FileChange: Sendable, Hashable, Codable {
    /// What happened to the path.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The path appeared (created, or moved in from outside the tree).
        case created
        /// The file's content was written (a writer closed it, or an editor
        /// replaced it with an atomic rename).
        case modified
        /// The path disappeared (deleted, or moved out of the tree).
        case deleted
        /// The path was renamed within the tree; see ``FileChange/previousPath``.
        case renamed
    }

    /// Path relative to the watched root, `/`-separated, no leading `./`.
    public var relativePath: String
    /// What happened.
    public var kind: Kind
    /// True when the path is a directory.
    public var isDirectory: Bool
    /// For ``Kind/renamed``: the path before the rename.
    public var previousPath: String?

    /// Creates a change record.
    public init(relativePath: String, kind: Kind, isDirectory: Bool = false, previousPath: String? = nil) {
        self.relativePath = relativePath
        self.kind = kind
        self.isDirectory = isDirectory
        self.previousPath = previousPath
    }
}

/// What a ``FileWatcher`` reports on its ``FileWatcher/events`` stream.
public enum FileWatchEvent: Sendable, Hashable {
    /// The changes read from the kernel in one go, in order, with repeated
    /// events for the same path within the batch folded together. Batches
    /// are not debounced: callers that want quiet periods debounce.
    case changes([FileChange])
    /// Events were lost (the kernel queue overflowed); the watcher has
    /// re-registered its directory watches, and the caller should rescan the
    /// tree because changes may have gone unreported.
    case rescanNeeded(reason: String)
}

/// A problem that makes watching incomplete without stopping it.
public struct FileWatchWarning: Sendable, Hashable {
    /// The kind of problem.
    public enum Kind: String, Sendable, Hashable {
        /// `inotify_add_watch` failed with ENOSPC: the per-user watch limit
        /// (`fs.inotify.max_user_watches`) is exhausted.
        case watchLimitReached
        /// A directory could not be watched or listed for another reason
        /// (permissions, it vanished, ...).
        case directoryNotWatched
        /// The watched root itself was deleted or moved away; nothing more
        /// will be reported.
        case rootRemoved
    }

    /// The kind of problem.
    public var kind: Kind
    /// Human-readable explanation, including what to do about it.
    public var message: String
    /// The affected directory relative to the root, when there is one.
    public var relativePath: String?

    /// Creates a warning.
    public init(kind: Kind, message: String, relativePath: String? = nil) {
        self.kind = kind
        self.message = message
        self.relativePath = relativePath
    }
}
