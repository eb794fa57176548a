import Foundation
import Testing

@testable import FileWatching

/// Collects what a watcher reports and lets tests wait, with a timeout, for
/// the changes they expect.
actor ChangeRecorder {
    struct TimedOut: Error, CustomStringConvertible {
        var description: String
    }

    private var changes: [FileChange] = []
    private var consumed = 0
    private var rescans: [String] = []
    private var warnings: [FileWatchWarning] = []
    private var waiters: [UUID: Waiter] = [:]

    private struct Waiter {
        var isSatisfied: @Sendable (ChangeRecorder.Snapshot) -> Bool
        var continuation: CheckedContinuation<Snapshot, any Error>
    }

    /// What has arrived since the last completed wait.
    struct Snapshot: Sendable {
        var changes: [FileChange]
        var rescans: [String]
        var warnings: [FileWatchWarning]
    }

    init(_ watcher: FileWatcher) {
        self.init(events: watcher.events, warnings: watcher.warnings)
    }

    init(_ subscription: FileWatchSubscription) {
        self.init(events: subscription.events, warnings: subscription.warnings)
    }

    init(events: AsyncStream<FileWatchEvent>, warnings: AsyncStream<FileWatchWarning>) {
        Task { [weak self] in
            for await event in events { await self?.record(event) }
        }
        Task { [weak self] in
            for await warning in warnings { await self?.record(warning) }
        }
    }

    /// Waits until the changes received since the previous wait satisfy
    /// `predicate`, then returns them (and starts the next wait after them).
    /// Throws after `timeout` seconds.
    @discardableResult
    func changes(within timeout: Double = 5, until predicate: @escaping @Sendable ([FileChange]) -> Bool)
        async throws -> [FileChange] {
        try await wait(timeout, "changes") { predicate($0.changes) }.changes
    }

    /// Waits until a warning satisfying `predicate` has arrived.
    func warning(within timeout: Double = 5, where predicate: @escaping @Sendable (FileWatchWarning) -> Bool)
        async throws -> FileWatchWarning {
        let snapshot = try await wait(timeout, "warning") { $0.warnings.contains(where: predicate) }
        return snapshot.warnings.first(where: predicate)!
    }

    private func wait(_ timeout: Double, _ what: String,
                      _ isSatisfied: @escaping @Sendable (Snapshot) -> Bool) async throws -> Snapshot {
        if isSatisfied(snapshot) { return take() }
        let id = UUID()
        return try await withCheckedThrowingContinuation { continuation in
            waiters[id] = Waiter(isSatisfied: isSatisfied, continuation: continuation)
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                Task { await self.expire(id, what: what) }
            }
        }
    }

    private var snapshot: Snapshot {
        Snapshot(changes: Array(changes[consumed...]), rescans: rescans, warnings: warnings)
    }

    private func take() -> Snapshot {
        let result = snapshot
        consumed = changes.count
        return result
    }

    private func expire(_ id: UUID, what: String) {
        guard let waiter = waiters.removeValue(forKey: id) else { return }
        let seen = snapshot.changes.map { "\($0.kind) \($0.relativePath)" }.joined(separator: ", ")
        waiter.continuation.resume(throwing: TimedOut(
            description: "timed out waiting for \(what); changes seen: [\(seen)], warnings: \(warnings.map(\.message))"))
    }

    private func record(_ event: FileWatchEvent) {
        switch event {
        case .changes(let batch): changes += batch
        case .rescanNeeded(let reason): rescans.append(reason)
        }
        checkWaiters()
    }

    private func record(_ warning: FileWatchWarning) {
        warnings.append(warning)
        checkWaiters()
    }

    private func checkWaiters() {
        for (id, waiter) in waiters where waiter.isSatisfied(snapshot) {
            waiters[id] = nil
            waiter.continuation.resume(returning: take())
            return
        }
    }
}

extension [FileChange] {
    /// Whether a change of `kind` for `path` is present.
    func has(_ kind: FileChange.Kind, _ path: String) -> Bool {
        contains { $0.kind == kind && $0.relativePath == path }
    }

    /// Whether any change mentions `path` or something below it.
    func mentions(_ path: String) -> Bool {
        contains { change in
            [change.relativePath, change.previousPath].contains { candidate in
                guard let candidate else { return false }
                return candidate == path || candidate.hasPrefix(path + "/")
            }
        }
    }
}
