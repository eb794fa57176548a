/// cl100k_base's pre-tokenizer, written by hand.
///
/// tiktoken splits text with this pattern before byte-pair merging:
///
///     '(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+|
///      ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s
///
/// Alternatives are tried left to right at each position and the first that
/// matches wins (leftmost-first, as in the regex engine tiktoken uses). Each
/// branch below is one alternative, in the same order.
enum Cl100kPreTokenizer {
    /// Calls `body(start, end)` with the byte range of every piece, in order.
    /// The pieces tile the buffer exactly.
    @inline(__always)
    static func forEachPiece(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (Int, Int) -> Void) {
        var index = 0
        while index < bytes.count {
            let end = pieceEnd(bytes, from: index)
            body(index, end)
            index = end
        }
    }

    /// The pieces of `text`, as strings (for tests and debugging).
    static func pieces(_ text: String) -> [String] {
        var result: [String] = []
        var text = text
        text.withUTF8 { bytes in
            forEachPiece(bytes) { start, end in
                result.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
            }
        }
        return result
    }

    /// The end of the piece that starts at `start` (which is < count).
    static func pieceEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let count = bytes.count
        let (kind, length) = ScalarClass.at(bytes, start)
        let next = start + length

        // '(?i:[sdmt]|ll|ve|re)
        if bytes[start] == UInt8(ascii: "'"), let end = contractionEnd(bytes, after: next) { return end }

        // [^\r\n\p{L}\p{N}]?+\p{L}++
        if kind == .letter { return run(bytes, from: next, while: .letter) }
        if kind == .space || kind == .other, next < count, ScalarClass.at(bytes, next).0 == .letter {
            return run(bytes, from: next, while: .letter)
        }

        // \p{N}{1,3}+
        if kind == .number {
            var end = next
            var digits = 1
            while digits < 3, end < count {
                let (nextKind, nextLength) = ScalarClass.at(bytes, end)
                guard nextKind == .number else { break }
                end += nextLength
                digits += 1
            }
            return end
        }

        // ' ?[^\s\p{L}\p{N}]++[\r\n]*+'
        var punctuationStart = -1
        if kind == .other {
            punctuationStart = start
        } else if bytes[start] == 0x20, next < count, ScalarClass.at(bytes, next).0 == .other {
            punctuationStart = next
        }
        if punctuationStart >= 0 {
            let end = run(bytes, from: punctuationStart, while: .other)
            return run(bytes, from: end, while: .newline)
        }

        // Only whitespace remains possible from here on.
        var runEnd = next
        var lastNewlineEnd = kind == .newline ? next : -1
        var lastScalarStart = start
        while runEnd < count {
            let (nextKind, nextLength) = ScalarClass.at(bytes, runEnd)
            guard nextKind.isWhitespace else { break }
            lastScalarStart = runEnd
            runEnd += nextLength
            if nextKind == .newline { lastNewlineEnd = runEnd }
        }
        // \s++$
        if runEnd == count { return count }
        // \s*[\r\n]
        if lastNewlineEnd >= 0 { return lastNewlineEnd }
        // \s+(?!\S): all but the last whitespace scalar, when there are two or more.
        if lastScalarStart > start { return lastScalarStart }
        // \s
        return next
    }

    /// After an apostrophe: the end of `s`, `d`, `m`, `t`, `ll`, `ve` or `re`
    /// (any case, including the long s that case-folds to `s`), or nil.
    private static func contractionEnd(_ bytes: UnsafeBufferPointer<UInt8>, after index: Int) -> Int? {
        guard index < bytes.count else { return nil }
        let first = bytes[index] | 0x20
        switch first {
        case UInt8(ascii: "s"), UInt8(ascii: "d"), UInt8(ascii: "m"), UInt8(ascii: "t"):
            if bytes[index] < 0x80 { return index + 1 }
        default:
            break
        }
        // U+017F LATIN SMALL LETTER LONG S folds to "s".
        if bytes[index] == 0xC5, index + 1 < bytes.count, bytes[index + 1] == 0xBF { return index + 2 }
        guard index + 1 < bytes.count, bytes[index] < 0x80, bytes[index + 1] < 0x80 else { return nil }
        let second = bytes[index + 1] | 0x20
        switch (bytes[index] | 0x20, second) {
        case (UInt8(ascii: "l"), UInt8(ascii: "l")), (UInt8(ascii: "v"), UInt8(ascii: "e")),
             (UInt8(ascii: "r"), UInt8(ascii: "e")):
            return index + 2
        default:
            return nil
        }
    }

    /// The end of the run of scalars of class `kind` starting at `index`.
    @inline(__always)
    private static func run(_ bytes: UnsafeBufferPointer<UInt8>, from index: Int, while kind: ScalarClass) -> Int {
        var end = index
        while end < bytes.count {
            let (nextKind, nextLength) = ScalarClass.at(bytes, end)
            guard nextKind == kind else { break }
            end += nextLength
        }
        return end
    }
}
