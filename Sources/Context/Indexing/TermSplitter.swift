/// Turns code and prose into retrieval terms.
///
/// Identifiers are found byte-wise (`[A-Za-z_$0-9]` and any non-ASCII
/// byte, not starting with a digit). Each yields its whole lowercased form
/// and, when it has several parts, each part: `ByteBuffer` → `bytebuffer`,
/// `byte`, `buffer`; `HTTPServer` → `httpserver`, `http`, `server`;
/// `read_u32_le` → `read_u32_le`, `read`, `u32`, `le`; digits stay with
/// the letters before them (`sha256Hash` → `sha256`, `hash`). Parts shorter than
/// two bytes, purely numeric parts and a short list of stop words
/// (English function words and keywords common to most languages) are
/// dropped, as are identifiers longer than ``maximumLength`` bytes.
enum TermSplitter {
    /// Identifiers longer than this (generated names, base64 blobs) are skipped.
    static let maximumLength = 64

    private static let stopWords: ByteStringTable = {
        var table = ByteStringTable(capacity: 128)
        let words = """
        a an and are as at be by for from if in into is it its of on or that the then this to was were will with \
        not no do does can we you i me my our your he she they them their there here which what when where who how \
        self let var func return else int void const public private static import true false nil null none new \
        end fn def val struct class use pub mut
        """
        for word in words.split(whereSeparator: { $0 == " " || $0 == "\n" }) { table.insert(String(word)) }
        return table
    }()

    @inline(__always)
    static func isIdentifierByte(_ byte: UInt8) -> Bool {
        let lower = byte | 0x20
        return (lower >= 0x61 && lower <= 0x7A) || byte == 0x5F || (byte >= 0x30 && byte <= 0x39) || byte == 0x24
            || byte >= 0x80
    }

    /// Calls `body(start, end)` for each identifier in `bytes[range]`.
    @inline(__always)
    static func forEachIdentifier(_ bytes: UnsafeBufferPointer<UInt8>, in range: Range<Int>, _ body: (Int, Int) -> Void) {
        var index = range.lowerBound
        let end = range.upperBound
        while index < end {
            let byte = bytes[index]
            guard isIdentifierByte(byte) else {
                index += 1
                continue
            }
            let start = index
            while index < end, isIdentifierByte(bytes[index]) { index += 1 }
            if bytes[start] >= 0x30 && bytes[start] <= 0x39 { continue }
            body(start, index)
        }
    }

    /// Calls `body(pointer, length, isWhole)` with the lowercased bytes of
    /// every term of the identifier `bytes[start..<end]`, using `scratch`.
    @inline(__always)
    static func forEachTerm(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int,
                            scratch: UnsafeMutablePointer<UInt8>, _ body: (UnsafePointer<UInt8>, Int, Bool) -> Void) {
        let length = end - start
        guard length >= 2, length <= maximumLength else { return }
        var hasBoundary = false
        for offset in 0..<length {
            let byte = bytes[start + offset]
            scratch[offset] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            if offset > 0, isBoundary(bytes, start + offset, start) { hasBoundary = true }
        }
        if !isStopWord(scratch, length) { body(scratch, length, true) }
        guard hasBoundary || bytes[start] == 0x5F else { return }
        // Parts: split at `_`, lower→upper, upper→upper+lower, digit→letter.
        var partStart = start
        var index = start + 1
        while index <= end {
            if index == end || isBoundary(bytes, index, start) {
                emitPart(bytes, partStart, index, scratch: scratch + length, body)
                partStart = index
            }
            index += 1
        }
    }

    @inline(__always)
    private static func emitPart(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int,
                                 scratch: UnsafeMutablePointer<UInt8>, _ body: (UnsafePointer<UInt8>, Int, Bool) -> Void) {
        var from = start
        var to = end
        while from < to, bytes[from] == 0x5F || bytes[from] == 0x24 { from += 1 }
        while to > from, bytes[to - 1] == 0x5F || bytes[to - 1] == 0x24 { to -= 1 }
        let length = to - from
        guard length >= 2 else { return }
        var numeric = true
        for offset in 0..<length {
            let byte = bytes[from + offset]
            if byte < 0x30 || byte > 0x39 { numeric = false }
            scratch[offset] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
        }
        if numeric || isStopWord(scratch, length) { return }
        body(scratch, length, false)
    }

    /// Whether a new part starts at `index` (never at `first`).
    @inline(__always)
    private static func isBoundary(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int, _ first: Int) -> Bool {
        guard index > first else { return false }
        let previous = bytes[index - 1], current = bytes[index]
        if current == 0x5F || previous == 0x5F { return current != previous }
        let previousUpper = previous >= 0x41 && previous <= 0x5A
        let previousLower = previous >= 0x61 && previous <= 0x7A
        let previousDigit = previous >= 0x30 && previous <= 0x39
        let currentUpper = current >= 0x41 && current <= 0x5A
        let currentLower = current >= 0x61 && current <= 0x7A
        if previousLower && currentUpper { return true }
        if previousDigit && (currentUpper || currentLower) { return true }
        // HTTPServer: the boundary is before the last capital of a run followed by lowercase.
        if previousUpper && currentUpper, index + 1 < bytes.count {
            let next = bytes[index + 1]
            return next >= 0x61 && next <= 0x7A
        }
        return false
    }

    @inline(__always)
    private static func isStopWord(_ pointer: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        length <= 6 && stopWords.find(pointer, length: length) >= 0
    }

    /// The distinct terms of `text` with their counts (for queries and tests).
    static func terms(of text: String) -> [String: Int] {
        var result: [String: Int] = [:]
        var text = text
        text.withUTF8 { bytes in
            let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: maximumLength * 2 + 2)
            defer { scratch.deallocate() }
            forEachIdentifier(bytes, in: 0..<bytes.count) { start, end in
                forEachTerm(bytes, start, end, scratch: scratch) { pointer, length, _ in
                    result[String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self), default: 0] += 1
                }
            }
        }
        return result
    }
}
