#if os(Linux)
import Foundation
import Glibc

/// The state of one running watcher, created and used only on the watcher's
/// reader thread: the inotify descriptor, the watch table, and the moves
/// whose second half has not been seen yet.
final class WatchSession {
    struct Output: Sendable {
        var events: AsyncStream<FileWatchEvent>.Continuation
        var warnings: AsyncStream<FileWatchWarning>.Continuation
        var statistics: Locked<FileWatcherStatistics>
    }

    private struct PendingMove {
        var cookie: UInt32
        var path: String
        var isDirectory: Bool
        var hidden: Bool
        var generation: Int
    }

    let root: String
    let matcher: any IgnoreMatcher
    let inotify: Int32
    let output: Output
    let simulatedWatchLimit: Int?
    private(set) var table = WatchTable()
    private var files = KnownFiles()
    private var pendingMoves: [PendingMove] = []
    private var generation = 0
    private var unwatchedDirectories = 0
    private var limitWarningDue = false
    private var rootRemoved = false
    /// Directories whose ignore files changed during the current batch.
    private var changedRuleDirectories: Set<String> = []

    init(root: String, matcher: any IgnoreMatcher, inotify: Int32, output: Output, simulatedWatchLimit: Int?) {
        self.root = root
        self.matcher = matcher
        self.inotify = inotify
        self.output = output
        self.simulatedWatchLimit = simulatedWatchLimit
    }

    /// Whether unpaired `IN_MOVED_FROM` events are waiting for their partner.
    var hasPendingMoves: Bool { !pendingMoves.isEmpty }

    /// Watches every non-ignored directory under the root.
    func setUp() -> FileWatcherStatistics {
        let clock = ContinuousClock()
        let start = clock.now
        var discard: ChangeBatch?
        addWatches(under: "", report: &discard)
        let duration = clock.now - start
        return output.statistics.withLock { stats in
            stats.watchedDirectories = table.count
            stats.unwatchedDirectories = unwatchedDirectories
            stats.setupDuration = duration
            return stats
        }
    }

    /// Publishes the statistics and any warning that became due.
    func publishState() {
        let watched = table.count
        let unwatched = unwatchedDirectories
        output.statistics.withLock {
            $0.watchedDirectories = watched
            $0.unwatchedDirectories = unwatched
        }
        if limitWarningDue {
            limitWarningDue = false
            let message = WatchLimitMessage.make(
                root: root, watchedDirectories: watched, unwatchedDirectories: unwatched,
                currentLimit: WatchLimitMessage.currentLimit())
            output.warnings.yield(FileWatchWarning(kind: .watchLimitReached, message: message))
        }
    }

    /// Handles one read's worth of events and publishes the result.
    func process(_ events: [InotifyEvent]) {
        generation += 1
        var batch = ChangeBatch()
        var rescan = false
        for event in events {
            if event.has(InotifyEvent.Mask.queueOverflow) {
                rescan = true
                continue
            }
            handle(event, into: &batch)
        }
        finishMoves(olderThan: generation, into: &batch)
        applyChangedIgnoreRules()
        if rescan { rescanAfterOverflow() }
        // Statistics first, so that they are current when a consumer sees the batch.
        publishState()
        if !batch.isEmpty { output.events.yield(.changes(batch.take())) }
        if rescan { output.events.yield(.rescanNeeded(reason: WatchSession.overflowReason())) }
    }

    /// Treats every pending move as a move out of the tree (called when no
    /// partner arrived in time).
    func expirePendingMoves() {
        var batch = ChangeBatch()
        finishMoves(olderThan: Int.max, into: &batch)
        publishState()
        if !batch.isEmpty { output.events.yield(.changes(batch.take())) }
    }

    // MARK: - Event handling

    private func handle(_ event: InotifyEvent, into batch: inout ChangeBatch) {
        if event.has(InotifyEvent.Mask.ignored) {
            table.remove(descriptor: event.watchDescriptor)
            return
        }
        guard let directory = table.path(for: event.watchDescriptor) else { return }
        if event.name.isEmpty {
            let gone = event.has(InotifyEvent.Mask.deleteSelf) || event.has(InotifyEvent.Mask.moveSelf)
                || event.has(InotifyEvent.Mask.unmount)
            if gone, directory.isEmpty, !rootRemoved {
                rootRemoved = true
                output.warnings.yield(FileWatchWarning(
                    kind: .rootRemoved,
                    message: "The watched root \(root) was deleted, moved or unmounted; no further changes will be reported."))
            }
            return
        }
        let path = directory.isEmpty ? event.name : directory + "/" + event.name
        let isDirectory = event.has(InotifyEvent.Mask.isDirectory)
        if BuiltInIgnores.ignoreFileNames.contains(event.name) {
            matcher.ignoreFileChanged(inDirectory: directory)
            changedRuleDirectories.insert(directory)
        }
        if BuiltInIgnores.isVersionControlPath(path) { return }
        let hidden = BuiltInIgnores.isEditorTemporaryFile(name: event.name)
            || matcher.isIgnored(relativePath: path, isDirectory: isDirectory)

        if event.has(InotifyEvent.Mask.movedFrom) {
            pendingMoves.append(PendingMove(cookie: event.cookie, path: path, isDirectory: isDirectory,
                                            hidden: hidden, generation: generation))
        } else if event.has(InotifyEvent.Mask.movedTo) {
            let index = pendingMoves.firstIndex { $0.cookie == event.cookie }
            let source = index.map { pendingMoves.remove(at: $0) }
            movedIn(path, isDirectory: isDirectory, hidden: hidden, from: source, into: &batch)
        } else if event.has(InotifyEvent.Mask.create) {
            guard !hidden else { return }
            batch.add(FileChange(relativePath: path, kind: .created, isDirectory: isDirectory))
            if isDirectory { watchNewDirectory(path, into: &batch) } else { files.insert(path) }
        } else if event.has(InotifyEvent.Mask.closeWrite) {
            guard !hidden, !isDirectory else { return }
            files.insert(path)
            batch.add(FileChange(relativePath: path, kind: .modified))
        } else if event.has(InotifyEvent.Mask.delete) {
            if isDirectory {
                _ = table.removeSubtree(path)
                files.removeSubtree(path)
            } else {
                files.remove(path)
            }
            guard !hidden else { return }
            batch.add(FileChange(relativePath: path, kind: .deleted, isDirectory: isDirectory))
        }
    }

    /// The second half of a rename (or a move in from outside, when
    /// `source` is nil). A file renamed onto an existing file is an atomic
    /// save: the target was modified, and the temporary source is gone.
    private func movedIn(_ path: String, isDirectory: Bool, hidden: Bool, from source: PendingMove?,
                         into batch: inout ChangeBatch) {
        if isDirectory {
            movedDirectoryIn(path, hidden: hidden, from: source, into: &batch)
            return
        }
        let replaced = files.contains(path)
        if let source {
            files.remove(source.path)
            if !source.hidden {
                if !hidden && !replaced {
                    files.insert(path)
                    batch.add(FileChange(relativePath: path, kind: .renamed, previousPath: source.path))
                    return
                }
                batch.add(FileChange(relativePath: source.path, kind: .deleted))
            }
        }
        guard !hidden else { return }
        files.insert(path)
        batch.add(FileChange(relativePath: path, kind: replaced ? .modified : .created))
    }

    private func movedDirectoryIn(_ path: String, hidden: Bool, from source: PendingMove?,
                                  into batch: inout ChangeBatch) {
        let sourceWatched = source.map { table.descriptor(for: $0.path) != nil } ?? false
        if let source, sourceWatched {
            if hidden {
                unwatch(source.path)
                files.removeSubtree(source.path)
            } else {
                table.renameSubtree(from: source.path, to: path)
                files.renameSubtree(from: source.path, to: path)
            }
        }
        if let source, !source.hidden {
            if !hidden {
                batch.add(FileChange(relativePath: path, kind: .renamed, isDirectory: true,
                                     previousPath: source.path))
                return
            }
            batch.add(FileChange(relativePath: source.path, kind: .deleted, isDirectory: true))
        }
        guard !hidden else { return }
        batch.add(FileChange(relativePath: path, kind: .created, isDirectory: true))
        if !sourceWatched { watchNewDirectory(path, into: &batch) }
    }

    private func finishMoves(olderThan limit: Int, into batch: inout ChangeBatch) {
        let expired = pendingMoves.filter { $0.generation < limit }
        guard !expired.isEmpty else { return }
        pendingMoves.removeAll { $0.generation < limit }
        for move in expired {
            if move.isDirectory {
                if table.descriptor(for: move.path) != nil { unwatch(move.path) }
                files.removeSubtree(move.path)
            } else {
                files.remove(move.path)
            }
            if !move.hidden {
                batch.add(FileChange(relativePath: move.path, kind: .deleted, isDirectory: move.isDirectory))
            }
        }
    }

    /// After an ignore file changed, watches directories that are no longer
    /// ignored and drops the watches of directories that now are.
    private func applyChangedIgnoreRules() {
        guard !changedRuleDirectories.isEmpty else { return }
        for directory in changedRuleDirectories.sorted() {
            for (path, _) in table.subtree(directory)
            where !path.isEmpty && matcher.isIgnored(relativePath: path, isDirectory: true) {
                if table.descriptor(for: path) != nil {
                    unwatch(path)
                    files.removeSubtree(path)
                }
            }
            if table.descriptor(for: directory) != nil || directory.isEmpty {
                var discard: ChangeBatch?
                addWatches(under: directory, report: &discard)
            }
        }
        changedRuleDirectories.removeAll()
    }

    /// Re-registers watches for directories whose creation may have been lost.
    private func rescanAfterOverflow() {
        var discard: ChangeBatch?
        addWatches(under: "", report: &discard)
    }

    static func overflowReason() -> String {
        let queued = (try? String(contentsOfFile: "/proc/sys/fs/inotify/max_queued_events", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let limit = queued.map { " (fs.inotify.max_queued_events = \($0))" } ?? ""
        return "The kernel's inotify event queue overflowed\(limit); some changes were not reported."
    }

    // MARK: - Watches

    private func watchNewDirectory(_ path: String, into batch: inout ChangeBatch) {
        var report: ChangeBatch? = batch
        addWatches(under: path, report: &report)
        if let report { batch = report }
    }

    /// Watches `path` and the non-ignored directories below it. Each
    /// directory is watched before it is listed, so entries created after
    /// the listing are reported by the kernel and entries created before
    /// are reported from the listing (into `report`, when given).
    private func addWatches(under path: String, report: inout ChangeBatch?) {
        var queue = [path]
        var next = 0
        while next < queue.count {
            let directory = queue[next]
            next += 1
            guard addWatch(directory) else { continue }
            let absolute = directory.isEmpty ? root : root + "/" + directory
            guard let entries = DirectoryListing.entries(of: absolute) else { continue }
            for entry in entries {
                let child = directory.isEmpty ? entry.name : directory + "/" + entry.name
                if BuiltInIgnores.isVersionControlPath(child) { continue }
                if BuiltInIgnores.isEditorTemporaryFile(name: entry.name) { continue }
                if matcher.isIgnored(relativePath: child, isDirectory: entry.isDirectory) { continue }
                if entry.isDirectory { queue.append(child) } else { files.insert(child) }
                report?.add(FileChange(relativePath: child, kind: .created, isDirectory: entry.isDirectory))
            }
        }
    }

    /// Adds one watch; false when the directory is not watched.
    private func addWatch(_ path: String) -> Bool {
        let absolute = path.isEmpty ? root : root + "/" + path
        var descriptor: Int32
        var failure: Int32 = 0
        if let limit = simulatedWatchLimit, table.count >= limit, table.descriptor(for: path) == nil {
            descriptor = -1
            failure = ENOSPC
        } else {
            descriptor = inotify_add_watch(inotify, absolute, InotifyEvent.Mask.watched)
            if descriptor < 0 { failure = errno }
        }
        if descriptor >= 0 {
            table.insert(descriptor, path: path)
            return true
        }
        switch failure {
        case ENOSPC:
            unwatchedDirectories += 1
            limitWarningDue = true
        case ENOENT, ENOTDIR:
            break // Vanished before it could be watched; its removal is reported by the parent.
        default:
            let reason = String(cString: strerror(failure))
            output.warnings.yield(FileWatchWarning(
                kind: .directoryNotWatched,
                message: "Cannot watch \(absolute): \(reason). Changes inside it will not be reported.",
                relativePath: path))
        }
        return false
    }

    /// Removes the watches of `path` and everything below it.
    private func unwatch(_ path: String) {
        for descriptor in table.removeSubtree(path) {
            _ = inotify_rm_watch(inotify, descriptor)
        }
    }
}
#endif
