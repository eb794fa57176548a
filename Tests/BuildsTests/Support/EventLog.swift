import Foundation
import Synchronization

/// Events in the order they happened, and a way to wait, with a timeout, for the next one that
/// matters. Appending is synchronous, so the order is the order of the `append` calls.
final class EventLog<Event: Sendable>: Sendable {
    struct TimedOut: Error, CustomStringConvertible {
        var description: String
    }

    private struct Waiter {
        let predicate: @Sendable (Event) -> Bool
        let continuation: CheckedContinuation<Event, any Error>
    }

    private struct State {
        var events: [Event] = []
        /// Events before this index have been consumed by `next`.
        var cursor = 0
        var waiter: (id: UUID, waiter: Waiter)?
    }

    private let state = Mutex(State())

    init() {}

    /// Records an event; wakes the waiter if the event is what it waits for.
    func append(_ event: Event) {
        let woken = state.withLock { state -> (Waiter, Event)? in
            state.events.append(event)
            guard let (_, waiter) = state.waiter, waiter.predicate(event) else { return nil }
            state.waiter = nil
            state.cursor = state.events.count
            return (waiter, event)
        }
        if let (waiter, event) = woken { waiter.continuation.resume(returning: event) }
    }

    /// Every event so far.
    var all: [Event] { state.withLock { $0.events } }

    /// The events `next` has not consumed yet.
    var unconsumed: [Event] { state.withLock { Array($0.events[$0.cursor...]) } }

    /// Consumes events up to and including the first one after the previous `next` that
    /// satisfies `predicate`, and returns it; waits for it at most `timeout`.
    func next(_ what: String, timeout: Duration = .seconds(120), where predicate: @escaping @Sendable (Event) -> Bool) async throws -> Event {
        let id = UUID()
        return try await withCheckedThrowingContinuation { continuation in
            let found = state.withLock { state -> Event? in
                if let index = state.events[state.cursor...].firstIndex(where: predicate) {
                    state.cursor = index + 1
                    return state.events[index]
                }
                state.waiter = (id, Waiter(predicate: predicate, continuation: continuation))
                return nil
            }
            if let found {
                continuation.resume(returning: found)
                return
            }
            let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) * 1e-18
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in
                let expired = state.withLock { state -> (Waiter, [Event])? in
                    guard let (waiting, waiter) = state.waiter, waiting == id else { return nil }
                    state.waiter = nil
                    return (waiter, Array(state.events[state.cursor...]))
                }
                if let (waiter, seen) = expired {
                    waiter.continuation.resume(throwing: TimedOut(description: "timed out after \(timeout) waiting for \(what); since the last match: \(seen)"))
                }
            }
        }
    }
}
