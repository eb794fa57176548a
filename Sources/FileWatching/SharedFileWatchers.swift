import Foundation
import Synchronization

/// One inotify watcher per workspace root, shared by everything in the process that watches it.
///
/// The build monitor and the workspace index both follow a workspace's files; each used to
/// register its own watch on every directory of the tree, which doubled the watches counted
/// against `fs.inotify.max_user_watches` and the threads reading them. Subscribers of the same
/// root now share one ``FileWatcher``; each still sees only what its own ``IgnoreMatcher``
/// admits, and is told of ignore-file changes so its cached rules stay current.
///
/// The shared watcher skips what the `sharedMatcher` ignores (by default the ignore files'
/// rules), so a subscriber's matcher must ignore at least that: paths it ignores are never
/// seen. The watcher starts with the first subscriber of a root and stops when the last one
/// cancels.
public final class SharedFileWatchers: Sendable {
    private let makeSharedMatcher: @Sendable (String) -> any IgnoreMatcher
    private let roots = Mutex<[String: SharedRoot]>([:])
    private let simulatedWatchLimit: Int?

    /// - Parameter sharedMatcher: what no subscriber of a root ever wants, given the root;
    ///   defaults to the root's ignore files (``GitIgnoreMatcher``).
    public convenience init(sharedMatcher: @escaping @Sendable (String) -> any IgnoreMatcher = { GitIgnoreMatcher(root: $0) }) {
        self.init(sharedMatcher: sharedMatcher, simulatedWatchLimit: nil)
    }

    /// Like the public initializer; `simulatedWatchLimit` is passed to every watcher (see
    /// ``FileWatcher``).
    init(sharedMatcher: @escaping @Sendable (String) -> any IgnoreMatcher, simulatedWatchLimit: Int?) {
        makeSharedMatcher = sharedMatcher
        self.simulatedWatchLimit = simulatedWatchLimit
    }

    /// Subscribes to the changes below `root` that `matcher` does not ignore. Starts the root's
    /// watcher when it is the first subscriber, and returns once the watcher's initial watches
    /// are registered.
    ///
    /// - Throws: ``FileWatcherError`` when the watcher cannot start.
    public func subscribe(root: String, matcher: any IgnoreMatcher) async throws -> FileWatchSubscription {
        let key = Self.key(for: root)
        let subscriber = SharedRoot.Subscriber(matcher: matcher)
        let shared = roots.withLock { roots -> SharedRoot in
            if let existing = roots[key], existing.add(subscriber) {
                return existing
            }
            // None yet, or its watcher has ended (its root was removed): start one.
            let created = SharedRoot(root: key, sharedMatcher: makeSharedMatcher(key), simulatedWatchLimit: simulatedWatchLimit)
            _ = created.add(subscriber)
            roots[key] = created
            return created
        }
        do {
            let statistics = try await shared.started.value
            return FileWatchSubscription(root: key, subscriber: subscriber, statistics: statistics) { [weak self] in
                self?.cancel(subscriber.id, of: shared)
            }
        } catch {
            cancel(subscriber.id, of: shared)
            throw error
        }
    }

    /// The roots watched now, with how many subscribers each has.
    public var subscriberCounts: [String: Int] {
        roots.withLock { roots in roots.mapValues(\.subscriberCount) }
    }

    /// Removes a subscriber; its root's watcher stops when none is left (and a new subscriber
    /// starts another).
    private func cancel(_ id: UUID, of shared: SharedRoot) {
        let emptied = roots.withLock { roots -> Bool in
            guard shared.remove(id) else { return false }
            if roots[shared.root] === shared { roots[shared.root] = nil }
            return true
        }
        if emptied { shared.stop() }
    }

    /// Roots are shared by their canonical path, so a root given through a symbolic link and
    /// the same root given directly share one watcher.
    private static func key(for root: String) -> String {
        if let canonical = DirectoryListing.canonicalPath(root) { return canonical }
        var normalized = root
        while normalized.count > 1, normalized.hasSuffix("/") { normalized.removeLast() }
        return normalized
    }
}

/// One subscriber's view of a shared watcher (see ``SharedFileWatchers``): the changes its
/// matcher admits and every warning. ``cancel()`` ends both streams; the watcher stops with
/// its last subscriber.
public final class FileWatchSubscription: Sendable {
    /// The watched root (canonical).
    public let root: String
    /// Change batches this subscriber's matcher admits, and rescan requests.
    public let events: AsyncStream<FileWatchEvent>
    /// Problems that make watching incomplete, including those reported before this
    /// subscriber joined.
    public let warnings: AsyncStream<FileWatchWarning>
    /// The shared watcher's statistics when this subscription began.
    public let statistics: FileWatcherStatistics
    private let onCancel: Mutex<(@Sendable () -> Void)?>

    fileprivate init(root: String, subscriber: SharedRoot.Subscriber, statistics: FileWatcherStatistics,
                     onCancel: @escaping @Sendable () -> Void) {
        self.root = root
        events = subscriber.events
        warnings = subscriber.warnings
        self.statistics = statistics
        self.onCancel = Mutex(onCancel)
    }

    deinit {
        cancel()
    }

    /// Ends this subscription; calling it again does nothing.
    public func cancel() {
        let action = onCancel.withLock { action in
            defer { action = nil }
            return action
        }
        action?()
    }
}

/// A watched root: its watcher, its subscribers, and the tasks handing each event to them.
private final class SharedRoot: Sendable {
    /// One subscriber: its rules and its streams.
    final class Subscriber: Sendable {
        let id = UUID()
        let matcher: any IgnoreMatcher
        let events: AsyncStream<FileWatchEvent>
        let eventSink: AsyncStream<FileWatchEvent>.Continuation
        let warnings: AsyncStream<FileWatchWarning>
        let warningSink: AsyncStream<FileWatchWarning>.Continuation

        init(matcher: any IgnoreMatcher) {
            self.matcher = matcher
            (events, eventSink) = AsyncStream.makeStream(of: FileWatchEvent.self)
            (warnings, warningSink) = AsyncStream.makeStream(of: FileWatchWarning.self)
        }

        func finish() {
            eventSink.finish()
            warningSink.finish()
        }
    }

    private struct State: Sendable {
        var subscribers: [UUID: Subscriber] = [:]
        /// Warnings so far, replayed to subscribers that join later (bounded).
        var warnings: [FileWatchWarning] = []
        /// Set when the watcher's events have ended without a cancel (its root was removed).
        var ended = false
    }

    let root: String
    let watcher: FileWatcher
    /// Resolves when the watcher has registered its initial watches.
    let started: Task<FileWatcherStatistics, any Error>
    private let state: Locked<State>

    /// Creates the root's watcher, starts it, and starts the tasks that hand its events and
    /// warnings to the subscribers.
    init(root: String, sharedMatcher: any IgnoreMatcher, simulatedWatchLimit: Int?) {
        self.root = root
        let state = Locked(State())
        self.state = state
        let matcher = ForwardingMatcher(shared: sharedMatcher) {
            state.withLock { $0.subscribers.values.map(\.matcher) }
        }
        let watcher = FileWatcher(root: root, ignoreMatcher: matcher, simulatedWatchLimit: simulatedWatchLimit)
        self.watcher = watcher
        started = Task { try await watcher.start() }
        Task {
            for await event in watcher.events {
                let subscribers = state.withLock { Array($0.subscribers.values) }
                for subscriber in subscribers {
                    switch event {
                    case .changes(let changes):
                        let admitted = changes.compactMap { $0.seen(through: subscriber.matcher) }
                        if !admitted.isEmpty { subscriber.eventSink.yield(.changes(admitted)) }
                    case .rescanNeeded:
                        subscriber.eventSink.yield(event)
                    }
                }
            }
            // The watcher has ended: the subscribers' streams end as a watcher's own would.
            let subscribers = state.withLock { state -> [Subscriber] in
                state.ended = true
                return Array(state.subscribers.values)
            }
            for subscriber in subscribers { subscriber.eventSink.finish() }
        }
        Task {
            for await warning in watcher.warnings {
                let subscribers = state.withLock { state -> [Subscriber] in
                    if state.warnings.count < 64 { state.warnings.append(warning) }
                    return Array(state.subscribers.values)
                }
                for subscriber in subscribers { subscriber.warningSink.yield(warning) }
            }
            let subscribers = state.withLock { Array($0.subscribers.values) }
            for subscriber in subscribers { subscriber.warningSink.finish() }
        }
    }

    var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// Adds a subscriber and replays the warnings so far to it; false (and nothing added) when
    /// the watcher has ended.
    func add(_ subscriber: Subscriber) -> Bool {
        let earlier = state.withLock { state -> [FileWatchWarning]? in
            guard !state.ended else { return nil }
            state.subscribers[subscriber.id] = subscriber
            return state.warnings
        }
        guard let earlier else { return false }
        for warning in earlier { subscriber.warningSink.yield(warning) }
        return true
    }

    /// Removes a subscriber and ends its streams; true when none is left.
    func remove(_ id: UUID) -> Bool {
        let (removed, empty) = state.withLock { state in
            (state.subscribers.removeValue(forKey: id), state.subscribers.isEmpty)
        }
        removed?.finish()
        return removed != nil && empty
    }

    func stop() {
        watcher.stop()
    }
}

/// The shared watcher's matcher: it skips what the shared rules skip, and passes every
/// ignore-file change on to the subscribers' matchers as well, so their cached rules are
/// dropped before the change that caused it reaches them.
private struct ForwardingMatcher: IgnoreMatcher {
    let shared: any IgnoreMatcher
    let subscribers: @Sendable () -> [any IgnoreMatcher]

    func isIgnored(relativePath: String, isDirectory: Bool) -> Bool {
        shared.isIgnored(relativePath: relativePath, isDirectory: isDirectory)
    }

    func ignoreFileChanged(inDirectory relativeDirectory: String) {
        shared.ignoreFileChanged(inDirectory: relativeDirectory)
        for matcher in subscribers() { matcher.ignoreFileChanged(inDirectory: relativeDirectory) }
    }
}

extension FileChange {
    /// This change as a subscriber whose rules are `matcher` sees it: nil when it concerns
    /// only paths the matcher ignores; a rename across the matcher's boundary becomes the
    /// creation or deletion of the side it admits.
    func seen(through matcher: any IgnoreMatcher) -> FileChange? {
        let ignored = matcher.isIgnored(relativePath: relativePath, isDirectory: isDirectory)
        guard kind == .renamed, let previousPath else { return ignored ? nil : self }
        let previousIgnored = matcher.isIgnored(relativePath: previousPath, isDirectory: isDirectory)
        switch (previousIgnored, ignored) {
        case (true, true): return nil
        case (true, false): return FileChange(relativePath: relativePath, kind: .created, isDirectory: isDirectory)
        case (false, true): return FileChange(relativePath: previousPath, kind: .deleted, isDirectory: isDirectory)
        case (false, false): return self
        }
    }
}
