/// What `WorkspacePatcher` did (or, in a dry run, would do) to each file.
public struct WorkspacePatchResult: Sendable, Hashable {
    /// One entry per file patch, in the order of the patches.
    public var files: [WorkspaceFileChange]
    /// True when nothing was written because a dry run was asked for.
    public var isDryRun: Bool
}

/// The change to one file of the workspace.
public struct WorkspaceFileChange: Sendable, Hashable {
    /// What happens to the file.
    public enum Action: Sendable, Hashable {
        /// Changed in place (content and/or mode).
        case modified
        /// Created, with any missing parent directories.
        case created
        /// Deleted.
        case deleted
        /// Moved from the given relative path (and possibly changed).
        case renamed(from: String)
        /// Copied from the given relative path (and possibly changed).
        case copied(from: String)
    }

    /// The file's path relative to the workspace root (the old path for deletions).
    public var path: String
    /// What happens to the file.
    public var action: Action
    /// True when the original content came from the editor overlay, not from disk.
    public var usedOverlay: Bool
    /// Content before the patch; nil for created files.
    public var originalText: String?
    /// Content after the patch; nil for deleted files.
    public var newText: String?
    /// Per-hunk outcomes and the line edits that an editor can apply to its buffer.
    public var application: PatchApplication
}

/// Why a set of patches was not applied to the workspace. Unless `reason` is
/// `.writeFailed` with unrestored files, the workspace is exactly as before.
public struct WorkspacePatchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem.
    public enum Reason: Sendable, Hashable {
        /// A path in the patch is refused.
        case unsafePath(PathConfinementError)
        /// A hunk does not apply to the file's current content.
        case patchDoesNotApply(PatchApplyError)
        /// The file to change, delete, rename or copy does not exist.
        case fileMissing
        /// The file to create (or rename/copy to) already exists.
        case fileAlreadyExists
        /// The file is not UTF-8 text.
        case notText
        /// The patch is for a binary file.
        case binaryPatch
        /// The patch would make a symbolic link or submodule entry (the mode).
        case unsupportedFileType(FileMode)
        /// Reading the file failed (the system's message).
        case readFailed(String)
        /// Writing failed midway (the system's message); files already replaced
        /// were restored, except those listed.
        case writeFailed(String, unrestoredPaths: [String])
    }

    /// The file (relative to the workspace root) the problem is about.
    public var path: String
    /// The kind of problem.
    public var reason: Reason

    /// Creates an error.
    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    public var description: String {
        let untouched = " No file was changed."
        switch reason {
        case .unsafePath(let error):
            return error.description + untouched
        case .patchDoesNotApply(let error):
            return error.description + untouched
        case .fileMissing:
            return "\(path): the patch changes this file, but it does not exist in the workspace. "
                + "Check the path, or send the file as a creation ('--- /dev/null')." + untouched
        case .fileAlreadyExists:
            return "\(path): the patch creates this file, but it already exists. Send a change to the existing "
                + "file instead of a creation, or delete it first." + untouched
        case .notText:
            return "\(path): the file is not UTF-8 text, so a text patch cannot be applied to it." + untouched
        case .binaryPatch:
            return "\(path): the patch changes a binary file, which cannot be applied as text. Leave it out of the diff."
                + untouched
        case .unsupportedFileType(let mode):
            return "\(path): the patch gives the file mode \(mode) (a symbolic link or submodule), which is not "
                + "applied for safety. Send regular files only (mode 100644 or 100755)." + untouched
        case .readFailed(let message):
            return "\(path): the file could not be read: \(message)." + untouched
        case .writeFailed(let message, let unrestored):
            if unrestored.isEmpty {
                return "\(path): writing the file failed: \(message). Files already written were restored; "
                    + "the workspace is as before."
            }
            return "\(path): writing the file failed: \(message). Restoring the files already written also failed "
                + "for: \(unrestored.joined(separator: ", ")); check them by hand."
        }
    }
}
