import Foundation

/// An in-memory BM25 index over chunks.
///
/// Chunks get dense ids in insertion order. Removing a chunk only marks it
/// dead (so re-indexing a file costs its own size, not the index's); dead
/// postings are skipped by searches and dropped by ``compactIfNeeded()``
/// once they make up a quarter of the index. Document frequencies are the
/// live postings of a term, counted at query time.
struct RetrievalIndex: Sendable {
    struct Posting: Sendable {
        var chunk: Int32
        var count: UInt16
    }

    /// A scored chunk.
    struct Hit: Sendable, Equatable {
        var chunk: Int32
        var score: Float
    }

    /// BM25 term-frequency saturation.
    var k1: Float = 1.2
    /// BM25 length normalisation.
    var b: Float = 0.75

    private(set) var vocabulary = ByteStringTable(capacity: 1 << 15)
    private var postings: [[Posting]] = []
    private var lengths: [Int32] = []
    private var alive: [Bool] = []
    private(set) var liveChunks = 0
    private var liveLength = 0
    private var deadPostings = 0
    private var totalPostings = 0

    /// Number of chunk ids handed out (live or dead).
    var chunkCapacity: Int { alive.count }

    /// Number of postings held (live and dead), for memory estimates.
    var postingCount: Int { totalPostings }

    /// The workspace-wide id of a term's bytes, interning it when new.
    mutating func intern(_ base: UnsafePointer<UInt8>, length: Int) -> Int32 {
        let id = vocabulary.insert(base, length: length)
        if Int(id) == postings.count { postings.append([]) }
        return id
    }

    /// Interns a term given as a string.
    mutating func intern(_ term: String) -> Int32 {
        let id = vocabulary.insert(term)
        if Int(id) == postings.count { postings.append([]) }
        return id
    }

    /// The id of an existing term, or nil.
    func termID(_ term: String) -> Int32? {
        let id = vocabulary.find(term)
        return id < 0 ? nil : id
    }

    /// Adds a chunk with its (term id, count) pairs; returns its id.
    mutating func addChunk(termIDs: some Collection<Int32>, counts: some Collection<UInt16>, length: Int32) -> Int32 {
        let chunk = Int32(alive.count)
        alive.append(true)
        lengths.append(length)
        liveChunks += 1
        liveLength += Int(length)
        for (term, count) in zip(termIDs, counts) {
            postings[Int(term)].append(Posting(chunk: chunk, count: count))
        }
        totalPostings += termIDs.count
        return chunk
    }

    /// Marks a chunk dead; its postings are dropped at the next compaction.
    mutating func removeChunk(_ chunk: Int32, termCount: Int) {
        guard Int(chunk) < alive.count, alive[Int(chunk)] else { return }
        alive[Int(chunk)] = false
        liveChunks -= 1
        liveLength -= Int(lengths[Int(chunk)])
        deadPostings += termCount
    }

    func isAlive(_ chunk: Int32) -> Bool { Int(chunk) < alive.count && alive[Int(chunk)] }

    /// Drops dead postings once they are a quarter of all postings.
    mutating func compactIfNeeded() {
        guard deadPostings > 4096, deadPostings * 4 > totalPostings else { return }
        let alive = self.alive
        for term in postings.indices where !postings[term].isEmpty {
            postings[term].removeAll { !alive[Int($0.chunk)] }
        }
        totalPostings -= deadPostings
        deadPostings = 0
    }

    /// The `limit` best chunks for weighted query terms, best first; ties
    /// go to the lower chunk id. `accept` can veto chunks.
    func search(_ query: [(term: Int32, weight: Float)], limit: Int, accept: ((Int32) -> Bool)? = nil) -> [Hit] {
        guard liveChunks > 0, limit > 0 else { return [] }
        let documents = Float(liveChunks)
        let averageLength = max(1, Float(liveLength) / documents)
        var scores: [Int32: Float] = [:]
        var dense: [Float] = []
        var touched: [Int32] = []
        let useDense = query.reduce(0) { $0 + postings[Int($1.term)].count } > alive.count / 8
        if useDense { dense = [Float](repeating: 0, count: alive.count) }
        for (term, weight) in query where Int(term) < postings.count {
            let list = postings[Int(term)]
            var frequency = 0
            for posting in list where alive[Int(posting.chunk)] { frequency += 1 }
            guard frequency > 0 else { continue }
            let idf = log(1 + (documents - Float(frequency) + 0.5) / (Float(frequency) + 0.5)) * weight
            for posting in list where alive[Int(posting.chunk)] {
                let count = Float(posting.count)
                let norm = k1 * (1 - b + b * Float(lengths[Int(posting.chunk)]) / averageLength)
                let score = idf * count * (k1 + 1) / (count + norm)
                if useDense {
                    if dense[Int(posting.chunk)] == 0 { touched.append(posting.chunk) }
                    dense[Int(posting.chunk)] += score
                } else {
                    scores[posting.chunk, default: 0] += score
                }
            }
        }
        var heap = TopHits(limit: limit)
        if useDense {
            for chunk in touched where accept?(chunk) ?? true { heap.offer(Hit(chunk: chunk, score: dense[Int(chunk)])) }
        } else {
            for (chunk, score) in scores where accept?(chunk) ?? true { heap.offer(Hit(chunk: chunk, score: score)) }
        }
        return heap.sorted()
    }
}

/// Keeps the best `limit` hits seen (a bounded min-heap).
struct TopHits {
    let limit: Int
    private var heap: [RetrievalIndex.Hit] = []

    init(limit: Int) {
        self.limit = limit
        heap.reserveCapacity(limit)
    }

    /// True when `lhs` ranks below `rhs`.
    private static func worse(_ lhs: RetrievalIndex.Hit, _ rhs: RetrievalIndex.Hit) -> Bool {
        lhs.score != rhs.score ? lhs.score < rhs.score : lhs.chunk > rhs.chunk
    }

    mutating func offer(_ hit: RetrievalIndex.Hit) {
        if heap.count < limit {
            heap.append(hit)
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard Self.worse(heap[child], heap[parent]) else { break }
                heap.swapAt(child, parent)
                child = parent
            }
        } else if let root = heap.first, Self.worse(root, hit) {
            heap[0] = hit
            var parent = 0
            while true {
                let left = parent * 2 + 1, right = left + 1
                var smallest = parent
                if left < heap.count, Self.worse(heap[left], heap[smallest]) { smallest = left }
                if right < heap.count, Self.worse(heap[right], heap[smallest]) { smallest = right }
                if smallest == parent { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
    }

    /// Best first.
    func sorted() -> [RetrievalIndex.Hit] {
        heap.sorted { Self.worse($1, $0) }
    }
}
