import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Figures about a running ``FileWatcher``.
public struct FileWatcherStatistics: Sendable, Hashable {
    /// How many directories currently have an inotify watch.
    public var watchedDirectories: Int
    /// How many directories could not be watched because the watch limit was reached.
    public var unwatchedDirectories: Int
    /// How long the initial walk that registered the watches took.
    public var setupDuration: Duration

    /// Creates statistics.
    public init(watchedDirectories: Int = 0, unwatchedDirectories: Int = 0, setupDuration: Duration = .zero) {
        self.watchedDirectories = watchedDirectories
        self.unwatchedDirectories = unwatchedDirectories
        self.setupDuration = setupDuration
    }
}

/// Why a ``FileWatcher`` could not start.
public enum FileWatcherError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The root does not exist or is not a directory.
    case notADirectory(String)
    /// A system call failed while creating the inotify instance.
    case systemCallFailed(call: String, message: String)
    /// ``FileWatcher/start()`` was called more than once, or after ``FileWatcher/stop()``.
    case alreadyStarted
    /// inotify is only available on Linux.
    case unsupportedPlatform

    /// A sentence describing the failure.
    public var description: String {
        switch self {
        case .notADirectory(let path): "Cannot watch \(path): not a directory"
        case .systemCallFailed(let call, let message): "\(call) failed: \(message)"
        case .alreadyStarted: "The file watcher was already started"
        case .unsupportedPlatform: "File watching needs Linux inotify"
        }
    }
}

/// Watches a workspace tree recursively with inotify and reports raw change
/// batches on ``events``.
///
/// Every directory under the root is watched except `.git` and the ones the
/// ``IgnoreMatcher`` ignores; ignored files and editor scratch files
/// (`.#x`, `x~`, `4913`, `*.swp`, ...) are never reported, and an editor's
/// "write a temporary file, rename it over the target" save is reported as a
/// modification of the target. Directories that appear are watched and then
/// listed, so files created in them before the watch existed are reported
/// too. Problems that leave watching incomplete (such as running out of
/// inotify watches) arrive on ``warnings``; an overflowing kernel queue
/// produces ``FileWatchEvent/rescanNeeded(reason:)``.
///
/// Events are read on a dedicated thread. ``stop()`` ends it, closes the
/// inotify descriptor and finishes both streams.
public final class FileWatcher: Sendable {
    /// The watched root, without trailing slash.
    public let root: String
    /// Change batches and rescan requests, in the order they happened.
    public let events: AsyncStream<FileWatchEvent>
    /// Problems that make watching incomplete.
    public let warnings: AsyncStream<FileWatchWarning>

    private let matcher: any IgnoreMatcher
    private let eventSink: AsyncStream<FileWatchEvent>.Continuation
    private let warningSink: AsyncStream<FileWatchWarning>.Continuation
    private let stats = Locked(FileWatcherStatistics())
    private let control = Locked(Control.idle)
    private let simulatedWatchLimit: Int?

    private enum Control: Sendable {
        case idle
        /// `wake` is the write end of a pipe the reader thread polls.
        case running(wake: Int32, exited: DispatchSemaphore)
        case stopped
    }

    /// Creates a watcher for `root`; it does nothing until ``start()``.
    ///
    /// - Parameters:
    ///   - root: the directory to watch.
    ///   - ignoreMatcher: which paths to skip; defaults to a
    ///     ``GitIgnoreMatcher`` for `root`.
    public convenience init(root: String, ignoreMatcher: (any IgnoreMatcher)? = nil) {
        self.init(root: root, ignoreMatcher: ignoreMatcher, simulatedWatchLimit: nil)
    }

    /// Like the public initializer; `simulatedWatchLimit` makes watch
    /// registration fail with ENOSPC once that many directories are watched.
    init(root: String, ignoreMatcher: (any IgnoreMatcher)?, simulatedWatchLimit: Int?) {
        var normalized = root
        while normalized.count > 1, normalized.hasSuffix("/") { normalized.removeLast() }
        self.root = normalized
        matcher = ignoreMatcher ?? GitIgnoreMatcher(root: normalized)
        self.simulatedWatchLimit = simulatedWatchLimit
        (events, eventSink) = AsyncStream.makeStream(of: FileWatchEvent.self)
        (warnings, warningSink) = AsyncStream.makeStream(of: FileWatchWarning.self)
    }

    deinit {
        stop()
    }

    /// The current statistics (watch count, setup time).
    public var statistics: FileWatcherStatistics {
        stats.withLock { $0 }
    }

    /// Registers the watches and starts reading events. Returns once every
    /// directory present at the start is watched, with the setup statistics.
    @discardableResult
    public func start() async throws -> FileWatcherStatistics {
        #if os(Linux)
        // Watch the canonical location, so a root given through a symbolic
        // link works; reported paths are relative and do not depend on it.
        guard let resolvedRoot = DirectoryListing.canonicalPath(root), DirectoryListing.isDirectory(resolvedRoot)
        else { throw FileWatcherError.notADirectory(root) }
        let (inotify, wakeRead, wakeWrite) = try openDescriptors()
        let exited = DispatchSemaphore(value: 0)
        let claimed = control.withLock { state -> Bool in
            guard case .idle = state else { return false }
            state = .running(wake: wakeWrite, exited: exited)
            return true
        }
        guard claimed else {
            for descriptor in [inotify, wakeRead, wakeWrite] { close(descriptor) }
            throw FileWatcherError.alreadyStarted
        }
        let output = WatchSession.Output(events: eventSink, warnings: warningSink, statistics: stats)
        let (matcher, limit) = (self.matcher, simulatedWatchLimit)
        return await withCheckedContinuation { ready in
            let thread = Thread {
                let session = WatchSession(root: resolvedRoot, matcher: matcher, inotify: inotify, output: output,
                                           simulatedWatchLimit: limit)
                ready.resume(returning: session.setUp())
                session.publishState()
                EventLoop.run(session: session, wake: wakeRead)
                close(inotify)
                close(wakeRead)
                output.events.finish()
                output.warnings.finish()
                exited.signal()
            }
            thread.name = "file-watcher"
            thread.start()
        }
        #else
        throw FileWatcherError.unsupportedPlatform
        #endif
    }

    /// Stops watching: wakes the reader thread, which closes the inotify
    /// descriptor, finishes ``events`` and ``warnings`` and exits. Returns
    /// after the thread has exited. Calling it again does nothing.
    public func stop() {
        let previous = control.withLock { state -> Control in
            let old = state
            state = .stopped
            return old
        }
        switch previous {
        case .idle:
            eventSink.finish()
            warningSink.finish()
        case .running(let wake, let exited):
            #if os(Linux)
            var byte: UInt8 = 1
            _ = write(wake, &byte, 1)
            #endif
            _ = exited.wait(timeout: .now() + .seconds(10))
            #if os(Linux)
            close(wake)
            #endif
        case .stopped:
            break
        }
    }

    #if os(Linux)
    /// The inotify descriptor and the two ends of the wake-up pipe.
    private func openDescriptors() throws -> (inotify: Int32, wakeRead: Int32, wakeWrite: Int32) {
        let inotify = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard inotify >= 0 else {
            throw FileWatcherError.systemCallFailed(call: "inotify_init1", message: String(cString: strerror(errno)))
        }
        var pipeEnds: [Int32] = [-1, -1]
        guard pipe(&pipeEnds) == 0 else {
            let message = String(cString: strerror(errno))
            close(inotify)
            throw FileWatcherError.systemCallFailed(call: "pipe", message: message)
        }
        for descriptor in pipeEnds {
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        }
        return (inotify, pipeEnds[0], pipeEnds[1])
    }
    #endif
}
