/// Accumulates term frequencies chunk by chunk into a file-local vocabulary.
struct TermCollector {
    /// Keywords of the file's language, never counted as references.
    private let reserved: ByteStringTable

    init(language: Language) {
        reserved = ReservedWords.table(for: language)
    }

    private(set) var vocabulary = ByteStringTable(capacity: 256)
    private(set) var termStarts: [Int32] = [0]
    private(set) var termIDs: [Int32] = []
    private(set) var termCounts: [UInt16] = []
    private(set) var chunkLengths: [Int32] = []
    /// Frequency in the current chunk, by local id.
    private var frequency: [UInt16] = []
    private var touched: [Int32] = []
    /// Occurrences of exact (case-preserved) identifiers in code, by local id.
    private var wholeCounts: [Int32] = []
    private let scratchBuffer = ScratchBuffer(capacity: TermSplitter.maximumLength * 2 + 2)
    private var scratch: UnsafeMutablePointer<UInt8> { scratchBuffer.pointer }

    /// Counts the terms of every identifier in `bytes[range]` into the current chunk.
    mutating func countIdentifiers(_ bytes: UnsafeBufferPointer<UInt8>, in range: Range<Int>) {
        let scratch = self.scratch
        TermSplitter.forEachIdentifier(bytes, in: range) { start, end in
            TermSplitter.forEachTerm(bytes, start, end, scratch: scratch) { pointer, length, _ in
                add(vocabulary.insert(pointer, length: length), 1)
            }
        }
    }

    /// Counts one occurrence of the identifier `bytes[start..<end]` (exact
    /// case) as a reference, unless it is a keyword of the file's language.
    mutating func countReference(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) {
        let length = end - start
        guard length >= 2, length <= TermSplitter.maximumLength, let base = bytes.baseAddress,
              length > 16 || reserved.find(base + start, length: length) < 0 else { return }
        let id = vocabulary.insert(base + start, length: length)
        grow(to: Int(id))
        wholeCounts[Int(id)] += 1
    }

    private mutating func grow(to index: Int) {
        if index >= frequency.count {
            let grown = max(frequency.count * 2, index + 64)
            frequency.append(contentsOf: repeatElement(0, count: grown - frequency.count))
            wholeCounts.append(contentsOf: repeatElement(0, count: grown - wholeCounts.count))
        }
    }

    /// The local ids of the terms of a declared name.
    mutating func termIDs(ofName name: String) -> [Int32] {
        var ids: [Int32] = []
        var name = name
        let scratch = self.scratch
        name.withUTF8 { bytes in
            TermSplitter.forEachIdentifier(bytes, in: 0..<bytes.count) { start, end in
                TermSplitter.forEachTerm(bytes, start, end, scratch: scratch) { pointer, length, _ in
                    ids.append(vocabulary.insert(pointer, length: length))
                }
            }
        }
        return ids
    }

    /// Adds `count` occurrences of local term `id` to the current chunk.
    @inline(__always)
    mutating func add(_ id: Int32, _ count: UInt16) {
        let index = Int(id)
        grow(to: index)
        if frequency[index] == 0 { touched.append(id) }
        frequency[index] = UInt16(min(Int(frequency[index]) + Int(count), Int(UInt16.max)))
    }

    /// Closes the current chunk.
    mutating func finishChunk() {
        var length: Int32 = 0
        for id in touched {
            let count = frequency[Int(id)]
            termIDs.append(id)
            termCounts.append(count)
            length += Int32(count)
            frequency[Int(id)] = 0
        }
        touched.removeAll(keepingCapacity: true)
        termStarts.append(Int32(termIDs.count))
        chunkLengths.append(length)
    }

    func identifierIDs() -> [Int32] {
        (0..<min(wholeCounts.count, vocabulary.count)).compactMap { wholeCounts[$0] > 0 ? Int32($0) : nil }
    }

    func identifierCounts() -> [Int32] {
        (0..<min(wholeCounts.count, vocabulary.count)).compactMap { wholeCounts[$0] > 0 ? wholeCounts[$0] : nil }
    }
}

/// A byte buffer freed with its owner (term splitting writes lowercased
/// terms into it).
final class ScratchBuffer {
    let pointer: UnsafeMutablePointer<UInt8>

    init(capacity: Int) {
        pointer = .allocate(capacity: capacity)
    }

    deinit {
        pointer.deallocate()
    }
}
