/// Remembers the last packed request of each session and measures how many
/// leading tokens the next one shares with it (a cache-friendliness metric:
/// model servers reuse the work for a repeated prefix).
public final class PrefixTracker: Sendable {
    private struct Entry: Sendable {
        var signatures: [Int]
        var tokens: [Int]
        var stamp: Int
    }

    private let sessions = Protected<(entries: [String: Entry], clock: Int)>(([:], 0))
    /// Sessions remembered; the least recently used is forgotten first.
    public let capacity: Int

    public init(capacity: Int = 256) {
        self.capacity = capacity
    }

    /// Records `items` as the session's latest request and returns the
    /// tokens of its leading items identical to the previous request's
    /// (nil for a session's first request).
    public func record(session: String, items: [ContextItem]) -> Int? {
        let signatures = items.map { Self.signature($0) }
        let tokens = items.map { $0.tokenCount + 1 }
        return sessions.withLock { state in
            state.clock += 1
            let previous = state.entries[session]
            state.entries[session] = Entry(signatures: signatures, tokens: tokens, stamp: state.clock)
            if state.entries.count > capacity,
               let oldest = state.entries.min(by: { $0.value.stamp < $1.value.stamp })?.key {
                state.entries[oldest] = nil
            }
            guard let previous else { return nil }
            var shared = 0
            for (index, signature) in signatures.enumerated() {
                guard index < previous.signatures.count, previous.signatures[index] == signature else { break }
                shared += tokens[index]
            }
            return shared
        }
    }

    /// The tokens two ordered item lists share at their start.
    public static func sharedPrefix(_ lhs: [ContextItem], _ rhs: [ContextItem]) -> Int {
        var shared = 0
        for (left, right) in zip(lhs, rhs) {
            guard signature(left) == signature(right) else { break }
            shared += left.tokenCount + 1
        }
        return shared
    }

    private static func signature(_ item: ContextItem) -> Int {
        var hasher = Hasher()
        hasher.combine(item.identity)
        hasher.combine(item.rendered)
        return hasher.finalize()
    }
}
