/// Remembers token counts of texts seen recently, so that the unchanged
/// items of consecutive requests are not re-tokenized.
final class TokenCountCache: Sendable {
    private struct Key: Hashable {
        var hash: Int
        var length: Int
    }

    private let counts = Protected<[Key: Int]>([:])
    private let capacity: Int

    init(capacity: Int = 8192) {
        self.capacity = capacity
    }

    /// The token count of `text`, computed with `counter` on a miss.
    func count(_ text: String, with counter: any TokenCounter) -> Int {
        var hasher = Hasher()
        hasher.combine(text)
        let key = Key(hash: hasher.finalize(), length: text.utf8.count)
        if let known = counts.withLock({ $0[key] }) { return known }
        let count = counter.count(text)
        counts.withLock { counts in
            if counts.count >= capacity { counts.removeAll(keepingCapacity: true) }
            counts[key] = count
        }
        return count
    }
}
