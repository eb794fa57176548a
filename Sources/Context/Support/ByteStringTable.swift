/// An open-addressing hash table that maps byte strings to dense ids
/// (0, 1, 2, … in insertion order) without allocating per lookup.
///
/// Used for the BPE ranks (100k entries, looked up millions of times per
/// megabyte of text) and the retrieval vocabulary. All bytes live in one
/// arena, so the table costs a few bytes per entry beyond the strings.
struct ByteStringTable: Sendable {
    private var arena: [UInt8] = []
    /// Start offset of each id's bytes in `arena`, plus the end sentinel.
    private var offsets: [Int32] = [0]
    /// Hash of each id, kept to make growth and mismatches cheap.
    private var hashes: [UInt32] = []
    /// `id + 1`, or 0 for an empty slot. Capacity is a power of two.
    private var slots: [Int32]
    private var mask: Int

    /// Creates an empty table sized for about `capacity` entries.
    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        mask = size - 1
        hashes.reserveCapacity(capacity)
        offsets.reserveCapacity(capacity + 1)
    }

    /// Number of distinct byte strings stored.
    var count: Int { hashes.count }

    /// Total bytes held by the strings.
    var arenaBytes: Int { arena.count }

    /// The id of `bytes[start..<start+length]`, or -1 when absent.
    @inline(__always)
    func find(_ base: UnsafePointer<UInt8>, length: Int) -> Int32 {
        let hash = Self.hash(base, length)
        return arena.withUnsafeBufferPointer { arena in
            offsets.withUnsafeBufferPointer { offsets in
                hashes.withUnsafeBufferPointer { hashes in
                    slots.withUnsafeBufferPointer { slots in
                        var index = Int(hash) & mask
                        while true {
                            let slot = slots[index]
                            if slot == 0 { return -1 }
                            let id = Int(slot - 1)
                            if hashes[id] == hash {
                                let start = Int(offsets[id])
                                let end = Int(offsets[id + 1])
                                if end - start == length,
                                   length == 0 || memcmpBytes(arena.baseAddress! + start, base, length) {
                                    return Int32(id)
                                }
                            }
                            index = (index + 1) & mask
                        }
                    }
                }
            }
        }
    }

    /// The id of `bytes`, or -1 when absent.
    func find<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Int32 {
        let array = Array(bytes)
        return array.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return emptyID() }
            return find(base, length: buffer.count)
        }
    }

    /// The id of `string`'s UTF-8 bytes, or -1 when absent.
    func find(_ string: String) -> Int32 {
        var string = string
        return string.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return emptyID() }
            return find(base, length: buffer.count)
        }
    }

    private func emptyID() -> Int32 {
        var scratch: UInt8 = 0
        return withUnsafePointer(to: &scratch) { find($0, length: 0) }
    }

    /// The id of the given bytes, inserting them when absent.
    @discardableResult
    mutating func insert(_ base: UnsafePointer<UInt8>, length: Int) -> Int32 {
        let existing = find(base, length: length)
        if existing >= 0 { return existing }
        let hash = Self.hash(base, length)
        let id = Int32(hashes.count)
        arena.append(contentsOf: UnsafeBufferPointer(start: base, count: length))
        offsets.append(Int32(arena.count))
        hashes.append(hash)
        if hashes.count * 2 > slots.count { grow() } else { place(id: id, hash: hash) }
        return id
    }

    /// The id of `string`'s UTF-8 bytes, inserting them when absent.
    @discardableResult
    mutating func insert(_ string: String) -> Int32 {
        var string = string
        return string.withUTF8 { buffer in
            var scratch: UInt8 = 0
            if let base = buffer.baseAddress { return insert(base, length: buffer.count) }
            return withUnsafePointer(to: &scratch) { insert($0, length: 0) }
        }
    }

    /// The bytes stored for `id`.
    func bytes(of id: Int32) -> ArraySlice<UInt8> {
        arena[Int(offsets[Int(id)])..<Int(offsets[Int(id) + 1])]
    }

    /// Calls `body` with a pointer to the bytes stored for `id` and their length.
    func withBytes<Result>(of id: Int32, _ body: (UnsafePointer<UInt8>, Int) -> Result) -> Result {
        let start = Int(offsets[Int(id)]), end = Int(offsets[Int(id) + 1])
        return arena.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { return body(base + start, end - start) }
            var scratch: UInt8 = 0
            return withUnsafePointer(to: &scratch) { body($0, 0) }
        }
    }

    /// The bytes stored for `id`, decoded as UTF-8 (invalid sequences repaired).
    func string(of id: Int32) -> String {
        String(decoding: bytes(of: id), as: UTF8.self)
    }

    private mutating func place(id: Int32, hash: UInt32) {
        var index = Int(hash) & mask
        while slots[index] != 0 { index = (index + 1) & mask }
        slots[index] = id + 1
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = Array(repeating: 0, count: size)
        mask = size - 1
        for id in 0..<hashes.count { place(id: Int32(id), hash: hashes[id]) }
    }

    /// A fast 32-bit hash of a short byte string (word-at-a-time multiply-mix).
    @inline(__always)
    static func hash(_ base: UnsafePointer<UInt8>, _ length: Int) -> UInt32 {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: length)
        var index = 0
        let raw = UnsafeRawPointer(base)
        while index + 8 <= length {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            state = (state ^ word) &* 0xFF51_AFD7_ED55_8CCD
            state ^= state >> 29
            index += 8
        }
        if index < length {
            var word: UInt64 = 0
            var shift: UInt64 = 0
            while index < length {
                word |= UInt64(base[index]) << shift
                shift += 8
                index += 1
            }
            state = (state ^ word) &* 0xC4CE_B9FE_1A85_EC53
        }
        state ^= state >> 32
        state = state &* 0x9E37_79B9_7F4A_7C15
        return UInt32(truncatingIfNeeded: state >> 32)
    }
}

@inline(__always)
private func memcmpBytes(_ lhs: UnsafePointer<UInt8>, _ rhs: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    var index = 0
    while index < count {
        if lhs[index] != rhs[index] { return false }
        index += 1
    }
    return true
}
