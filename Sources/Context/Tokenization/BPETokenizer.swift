/// Byte-level BPE in the manner of tiktoken: the text is split by the
/// cl100k pre-tokenizer, each piece's UTF-8 bytes are merged pairwise —
/// always the adjacent pair with the lowest rank, leftmost first — until no
/// pair is in the vocabulary, and each remaining part is one token.
///
/// Special tokens (`<|endoftext|>`, …) are not recognised: text is encoded
/// as ordinary text, like tiktoken's `encode_ordinary`.
public struct BPETokenizer: TokenCounter {
    /// The vocabulary.
    public let ranks: BPERanks

    /// Pieces longer than this many bytes merge with a heap instead of the
    /// quadratic scan (same result, bounded time on minified files).
    private let heapThreshold: Int

    /// Creates a tokenizer over a loaded vocabulary.
    public init(ranks: BPERanks) {
        self.init(ranks: ranks, heapThreshold: 96)
    }

    /// `heapThreshold` is exposed for tests that check both merge paths agree.
    init(ranks: BPERanks, heapThreshold: Int) {
        self.ranks = ranks
        self.heapThreshold = heapThreshold
    }

    /// Loads the vocabulary from a `.tiktoken` file (see ``BPERanks``).
    public init(ranksFile path: String) throws {
        self.init(ranks: try BPERanks(contentsOfFile: path))
    }

    public var name: String { "cl100k_base BPE" }

    public var isExact: Bool { true }

    /// The token ids of `text`.
    public func encode(_ text: String) -> [Int] {
        var tokens: [Int] = []
        tokens.reserveCapacity(text.utf8.count / 3)
        process(text) { base, starts, count in
            for part in 0..<count {
                let start = starts[part]
                tokens.append(Int(ranks.rank(base + start, length: starts[part + 1] - start)))
            }
        }
        return tokens
    }

    /// The number of tokens `text` encodes to.
    public func count(_ text: String) -> Int {
        var total = 0
        process(text) { _, _, count in total += count }
        return total
    }

    /// Pre-tokenizes and merges; calls `emit(base, partStarts, partCount)`
    /// for each piece, where part `i` spans `partStarts[i]..<partStarts[i+1]`.
    private func process(_ text: String, _ emit: (UnsafePointer<UInt8>, [Int], Int) -> Void) {
        var text = text
        var starts: [Int] = []
        var pairRanks: [Int32] = []
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            Cl100kPreTokenizer.forEachPiece(bytes) { start, end in
                let piece = base + start
                let length = end - start
                starts.removeAll(keepingCapacity: true)
                if length == 1 || ranks.rank(piece, length: length) != Int32.max {
                    starts.append(0)
                    starts.append(length)
                } else if length <= heapThreshold {
                    mergeByScan(piece, length: length, starts: &starts, pairRanks: &pairRanks)
                } else {
                    mergeWithHeap(piece, length: length, starts: &starts)
                }
                emit(piece, starts, starts.count - 1)
            }
        }
    }

    /// tiktoken's quadratic merge: fine for the short pieces of normal text.
    private func mergeByScan(_ piece: UnsafePointer<UInt8>, length: Int, starts: inout [Int], pairRanks: inout [Int32]) {
        // starts[i] is where part i begins; pairRanks[i] is the rank of part i
        // joined with part i+1 (Int32.max when not mergeable).
        for index in 0...length { starts.append(index) }
        pairRanks.removeAll(keepingCapacity: true)
        for index in 0..<(length - 1) { pairRanks.append(ranks.rank(piece + index, length: 2)) }
        while pairRanks.count > 0 {
            var best = Int32.max
            var bestIndex = -1
            for index in 0..<pairRanks.count where pairRanks[index] < best {
                best = pairRanks[index]
                bestIndex = index
            }
            if bestIndex < 0 { break }
            // Merge part bestIndex with part bestIndex+1.
            starts.remove(at: bestIndex + 1)
            pairRanks.remove(at: bestIndex)
            if bestIndex < pairRanks.count {
                pairRanks[bestIndex] = joinedRank(piece, starts, bestIndex)
            }
            if bestIndex > 0 {
                pairRanks[bestIndex - 1] = joinedRank(piece, starts, bestIndex - 1)
            }
        }
    }

    /// The rank of parts `index` and `index+1` joined.
    @inline(__always)
    private func joinedRank(_ piece: UnsafePointer<UInt8>, _ starts: [Int], _ index: Int) -> Int32 {
        let start = starts[index]
        return ranks.rank(piece + start, length: starts[index + 2] - start)
    }

    /// The same merge order as ``mergeByScan`` in O(n log n): candidate pairs
    /// sit in a min-heap keyed by (rank, position); stale entries are skipped.
    private func mergeWithHeap(_ piece: UnsafePointer<UInt8>, length: Int, starts: inout [Int]) {
        // next[i]: start of the part after the part starting at i (length = end).
        var next = Array(1...length)
        var alive = [Bool](repeating: true, count: length)
        var heap = PairHeap()
        for index in 0..<(length - 1) {
            let rank = ranks.rank(piece + index, length: 2)
            if rank != Int32.max { heap.push(.init(rank: rank, left: Int32(index), right: Int32(index + 1), end: Int32(index + 2))) }
        }
        var previous = Array(-1..<(length - 1))
        while let pair = heap.pop() {
            let left = Int(pair.left), right = Int(pair.right), end = Int(pair.end)
            guard alive[left], alive[right], next[left] == right, next[right] == end else { continue }
            // Merge right into left.
            alive[right] = false
            next[left] = end
            if end < length { previous[end] = left }
            if end < length {
                let after = next[end]
                let rank = ranks.rank(piece + left, length: after - left)
                if rank != Int32.max { heap.push(.init(rank: rank, left: Int32(left), right: Int32(end), end: Int32(after))) }
            }
            let before = previous[left]
            if before >= 0 {
                let rank = ranks.rank(piece + before, length: end - before)
                if rank != Int32.max { heap.push(.init(rank: rank, left: Int32(before), right: Int32(left), end: Int32(end))) }
            }
        }
        var index = 0
        while index < length {
            starts.append(index)
            index = next[index]
        }
        starts.append(length)
    }
}

/// A binary min-heap of merge candidates ordered by (rank, left position).
private struct PairHeap {
    struct Pair {
        var rank: Int32
        var left: Int32
        var right: Int32
        var end: Int32

        func precedes(_ other: Pair) -> Bool {
            rank != other.rank ? rank < other.rank : left < other.left
        }
    }

    private var items: [Pair] = []

    mutating func push(_ pair: Pair) {
        items.append(pair)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].precedes(items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Pair? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var parent = 0
            while true {
                let left = parent * 2 + 1, right = left + 1
                var smallest = parent
                if left < items.count, items[left].precedes(items[smallest]) { smallest = left }
                if right < items.count, items[right].precedes(items[smallest]) { smallest = right }
                if smallest == parent { break }
                items.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return first
    }
}
