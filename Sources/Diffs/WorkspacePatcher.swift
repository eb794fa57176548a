import Foundation

/// Applies a multi-file patch to a workspace directory, all or nothing.
///
/// Every file patch is first applied in memory, reading each file from the
/// editor overlay (unsaved buffers, by relative path) when present and from disk
/// otherwise. If any path is unsafe or any patch fails, nothing is written. Then
/// each file is replaced through a temporary file in its directory (fsync +
/// rename), new files get their parent directories, deletions and renames are
/// carried out, and file modes are kept. If a write fails midway, the files
/// already replaced are restored from the originals read before.
public struct WorkspacePatcher: Sendable {
    /// The workspace the paths are confined to.
    public let confinement: PathConfinement
    /// How hunks are matched.
    public var applier: PatchApplier
    /// Called before each file is written or deleted; a thrown error is treated as
    /// a write failure (used by tests to exercise rollback).
    var beforeEachWrite: (@Sendable (_ relativePath: String) throws -> Void)?

    /// Creates a patcher for the workspace at `root`, which must exist.
    public init(root: URL, applier: PatchApplier = PatchApplier()) throws(PathConfinementError) {
        self.confinement = try PathConfinement(root: root)
        self.applier = applier
    }

    /// Applies `patches` to the workspace.
    ///
    /// - Parameters:
    ///   - overlay: unsaved editor buffers by path relative to the root; their
    ///     content is patched instead of the file on disk (and then written).
    ///   - dryRun: compute and return the results without writing anything.
    /// - Returns: one `WorkspaceFileChange` per patch, in order.
    /// - Throws: `WorkspacePatchError`; unless it is `.writeFailed` with
    ///   unrestored paths, the workspace is unchanged.
    public func apply(
        _ patches: [FilePatch], overlay: [String: String] = [:], dryRun: Bool = false
    ) throws(WorkspacePatchError) -> WorkspacePatchResult {
        var plan = try WorkspacePlan(confinement: confinement, overlay: overlay)
        var changes: [WorkspaceFileChange] = []
        for patch in patches {
            changes.append(try plan.add(patch, applier: applier))
        }
        if !dryRun {
            try commit(plan)
        }
        return WorkspacePatchResult(files: changes, isDryRun: dryRun)
    }

    /// Writes the planned final states, rolling back on the first failure.
    private func commit(_ plan: WorkspacePlan) throws(WorkspacePatchError) {
        var journal: [(path: String, previous: DiskSnapshot)] = []
        var createdDirectories: [String] = []
        for relativePath in plan.pathsToWrite + plan.pathsToDelete {
            let absolutePath = confinement.resolvedRoot + "/" + relativePath
            let planned = plan.finalStates[relativePath]!
            let previous = plan.diskSnapshots[relativePath]!
            journal.append((relativePath, previous))
            do {
                try beforeEachWrite?(relativePath)
                if let text = planned.text {
                    createdDirectories += try AtomicFileOperations.createParentDirectories(of: absolutePath)
                    try AtomicFileOperations.write(Array(text.utf8), to: absolutePath, permissions: planned.permissions)
                } else {
                    try AtomicFileOperations.remove(absolutePath)
                }
            } catch {
                let message = (error as? FileOperationError)?.message ?? String(describing: error)
                let unrestored = rollBack(journal, createdDirectories: createdDirectories)
                throw WorkspacePatchError(path: relativePath, reason: .writeFailed(message, unrestoredPaths: unrestored))
            }
        }
        removeDirectoriesEmptied(by: plan.pathsToDelete)
    }

    /// Removes the directories that deleting (or renaming away) `paths` left empty, innermost
    /// first and never the root, as `git apply` does. A directory that still holds anything stays.
    private func removeDirectoriesEmptied(by paths: [String]) {
        for relativePath in paths {
            var components = relativePath.split(separator: "/").dropLast()
            while !components.isEmpty {
                let directory = confinement.resolvedRoot + "/" + components.joined(separator: "/")
                guard rmdir(directory) == 0 else { break }
                components = components.dropLast()
            }
        }
    }

    /// Restores journaled files, newest first; returns the paths that could not be restored.
    private func rollBack(_ journal: [(path: String, previous: DiskSnapshot)], createdDirectories: [String]) -> [String] {
        var unrestored: [String] = []
        for (relativePath, previous) in journal.reversed() {
            let absolutePath = confinement.resolvedRoot + "/" + relativePath
            do {
                if let data = previous.data {
                    try AtomicFileOperations.write(data, to: absolutePath, permissions: previous.permissions)
                } else {
                    try AtomicFileOperations.remove(absolutePath)
                }
            } catch {
                unrestored.append(relativePath)
            }
        }
        for directory in createdDirectories.reversed() {
            rmdir(directory)
        }
        return unrestored
    }
}

/// The in-memory result of applying patches one after another: the final state
/// of every touched path and the disk content it replaces.
struct WorkspacePlan {
    struct FinalState {
        /// The content to write, nil to delete.
        var text: String?
        var permissions: mode_t
    }

    /// A file's current content in the plan and where it came from.
    private struct Source {
        var text: String
        var permissions: mode_t
        var fromOverlay: Bool
    }

    let confinement: PathConfinement
    private let overlay: [String: String]
    private(set) var finalStates: [String: FinalState] = [:]
    private(set) var diskSnapshots: [String: DiskSnapshot] = [:]
    private var touchOrder: [String] = []

    init(confinement: PathConfinement, overlay: [String: String]) throws(WorkspacePatchError) {
        self.confinement = confinement
        var normalized: [String: String] = [:]
        for (path, text) in overlay {
            do {
                normalized[try confinement.relativePath(path)] = text
            } catch {
                throw WorkspacePatchError(path: path, reason: .unsafePath(error))
            }
        }
        self.overlay = normalized
    }

    /// Paths whose final content differs from disk, in the order first touched.
    var pathsToWrite: [String] {
        touchOrder.filter { path in
            guard let state = finalStates[path], let text = state.text, let disk = diskSnapshots[path] else { return false }
            guard let data = disk.data else { return true }
            return !data.elementsEqual(text.utf8) || disk.permissions != state.permissions
        }
    }

    /// Paths to delete that exist on disk, in the order first touched.
    var pathsToDelete: [String] {
        touchOrder.filter { finalStates[$0]?.text == nil && diskSnapshots[$0]?.data != nil }
    }

    /// Applies one file patch on top of the plan so far.
    mutating func add(_ patch: FilePatch, applier: PatchApplier) throws(WorkspacePatchError) -> WorkspaceFileChange {
        let shownPath = patch.displayPath
        if patch.isBinary { throw WorkspacePatchError(path: shownPath, reason: .binaryPatch) }
        if let mode = patch.newMode, !mode.isRegularFile {
            throw WorkspacePatchError(path: shownPath, reason: .unsupportedFileType(mode))
        }
        let oldPath = try patch.oldPath.map { path throws(WorkspacePatchError) in try confined(path) }
        let newPath = try patch.newPath.map { path throws(WorkspacePatchError) in try confined(path) }

        var source: Source?
        if patch.kind != .create, let oldPath {
            guard let current = try current(oldPath) else {
                throw WorkspacePatchError(path: oldPath, reason: .fileMissing)
            }
            source = current
        }
        if let newPath, patch.kind == .create || newPath != oldPath, try current(newPath) != nil {
            throw WorkspacePatchError(path: newPath, reason: .fileAlreadyExists)
        }

        let application: PatchApplication
        do {
            application = try applier.apply(patch, to: source?.text ?? "")
        } catch {
            throw WorkspacePatchError(path: newPath ?? oldPath ?? shownPath, reason: .patchDoesNotApply(error))
        }

        var permissions = source?.permissions ?? FileMode.regular.permissionBits
        if patch.kind == .create {
            permissions = (patch.newMode ?? .regular).permissionBits
        } else if let oldMode = patch.oldMode, let newMode = patch.newMode, oldMode != newMode {
            permissions = newMode.permissionBits
        }

        let action: WorkspaceFileChange.Action
        switch patch.kind {
        case .modify: action = .modified
        case .create: action = .created
        case .delete: action = .deleted
        case .rename: action = .renamed(from: oldPath ?? "")
        case .copy: action = .copied(from: oldPath ?? "")
        }
        if patch.kind == .delete || patch.kind == .rename, let oldPath, oldPath != newPath {
            setFinalState(of: oldPath, FinalState(text: nil, permissions: permissions))
        }
        if let newPath, patch.kind != .delete {
            setFinalState(of: newPath, FinalState(text: application.newText, permissions: permissions))
        }
        return WorkspaceFileChange(
            path: newPath ?? oldPath ?? shownPath,
            action: action,
            usedOverlay: source?.fromOverlay ?? false,
            originalText: source?.text,
            newText: patch.kind == .delete ? nil : application.newText,
            application: application)
    }

    private func confined(_ path: String) throws(WorkspacePatchError) -> String {
        do {
            return try confinement.relativePath(path)
        } catch {
            throw WorkspacePatchError(path: path, reason: .unsafePath(error))
        }
    }

    private mutating func setFinalState(of path: String, _ state: FinalState) {
        if finalStates[path] == nil, !touchOrder.contains(path) { touchOrder.append(path) }
        finalStates[path] = state
    }

    /// The file's content as the plan sees it: earlier patches, then the overlay,
    /// then the disk. Nil when it does not exist.
    private mutating func current(_ path: String) throws(WorkspacePatchError) -> Source? {
        let disk = try snapshot(path)
        if let state = finalStates[path] {
            return state.text.map { Source(text: $0, permissions: state.permissions, fromOverlay: false) }
        }
        if let text = overlay[path] {
            return Source(text: text, permissions: disk.data == nil ? FileMode.regular.permissionBits : disk.permissions,
                          fromOverlay: true)
        }
        guard let data = disk.data else { return nil }
        guard let text = Bytes.decodeUTF8(data) else {
            throw WorkspacePatchError(path: path, reason: .notText)
        }
        return Source(text: text, permissions: disk.permissions, fromOverlay: false)
    }

    /// The disk content of `path`, read once and kept for writing decisions and rollback.
    private mutating func snapshot(_ path: String) throws(WorkspacePatchError) -> DiskSnapshot {
        if let known = diskSnapshots[path] { return known }
        do {
            let snapshot = try DiskSnapshot.read(confinement.resolvedRoot + "/" + path)
            diskSnapshots[path] = snapshot
            return snapshot
        } catch {
            throw WorkspacePatchError(path: path, reason: .readFailed(error.message))
        }
    }
}

extension FileMode {
    /// The permission bits as the system's `mode_t`.
    var permissionBits: mode_t { mode_t(permissions) }
}
