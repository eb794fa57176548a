/// Byte offsets of line starts in a UTF-8 buffer, for 1-based line lookups.
struct LineTable: Sendable {
    /// `starts[i]` is the offset of line `i + 1`; a final entry holds the length.
    let starts: [Int32]

    /// Indexes `bytes`. A trailing newline does not start an extra line.
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        var starts: [Int32] = [0]
        starts.reserveCapacity(bytes.count / 30 + 2)
        for index in 0..<bytes.count where bytes[index] == 0x0A {
            starts.append(Int32(index + 1))
        }
        if let last = starts.last, Int(last) == bytes.count, starts.count > 1 { starts.removeLast() }
        starts.append(Int32(bytes.count))
        self.starts = starts
    }

    /// Number of lines (0 for an empty buffer).
    var count: Int { starts.count == 2 && starts[1] == 0 ? 0 : starts.count - 1 }

    /// Byte range of `line` (1-based), newline excluded.
    func range(of line: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        let start = Int(starts[line - 1])
        var end = Int(starts[line])
        if end > start, end <= bytes.count, bytes[end - 1] == 0x0A { end -= 1 }
        if end > start, bytes[end - 1] == 0x0D { end -= 1 }
        return start..<end
    }

    /// Byte range covering `lines` (1-based, inclusive), final newline included.
    func byteRange(lines: ClosedRange<Int>) -> Range<Int> {
        Int(starts[lines.lowerBound - 1])..<Int(starts[lines.upperBound])
    }

    /// The text of `line`, without its newline.
    func text(of line: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Substring {
        Substring(decoding: UnsafeBufferPointer(rebasing: bytes[range(of: line, in: bytes)]), as: UTF8.self)
    }

    /// The 1-based line containing `offset`.
    func line(containing offset: Int) -> Int {
        var low = 0, high = starts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if Int(starts[middle]) <= offset { low = middle } else { high = middle - 1 }
        }
        return min(low + 1, max(count, 1))
    }
}
