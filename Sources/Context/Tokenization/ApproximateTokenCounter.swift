/// Estimates cl100k_base token counts without the vocabulary.
///
/// The text is split by the real cl100k pre-tokenizer (so word boundaries,
/// whitespace runs and punctuation runs are exactly where the BPE sees
/// them) and each piece is costed by its class and length. The weights
/// were fitted to minimise the per-file error against tiktoken on 256
/// Swift, C/C++ and Markdown files of Swift packages (and checked on 257
/// others: mean error 2.3%, median 1.8%, 90th percentile 4.7%, worst 15%):
///
/// | piece                                  | tokens                         |
/// | -------------------------------------- | ------------------------------ |
/// | ASCII letters, bare (`count`)          | 1.127 + 0.178 per letter past 5 |
/// | ASCII letters after a space (` count`) | 0.933 + 0.182 per letter past 6.85 |
/// | ASCII letters after a mark (`.count`)  | 1.377 + 0.181 per letter past 5.93 |
/// | letters with non-ASCII                 | 0.288 per UTF-8 byte            |
/// | 1–3 digits, whitespace, contraction    | 1                              |
/// | 1–3 punctuation marks                  | 1 + 0.027 per mark past 1       |
/// | 4+ punctuation marks                   | 3.18 + 0.035 per mark past 3    |
///
/// (Long runs of one mark, such as `----` rules, are single tokens in
/// cl100k, hence the small slope.) Use ``BPETokenizer`` where exact counts
/// matter.
public struct ApproximateTokenCounter: TokenCounter {
    /// Creates the estimator.
    public init() {}

    public var name: String { "cl100k_base estimate (pre-tokenizer + fitted class weights)" }

    public var isExact: Bool { false }

    public func count(_ text: String) -> Int {
        var text = text
        var total = 0.0
        text.withUTF8 { bytes in
            Cl100kPreTokenizer.forEachPiece(bytes) { start, end in
                total += Self.cost(bytes, start, end)
            }
        }
        return Int(total.rounded())
    }

    private enum LetterContext { case bare, afterSpace, afterMark }

    /// The estimated cost of one pre-tokenizer piece.
    static func cost(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double {
        let (firstClass, firstLength) = ScalarClass.at(bytes, start)
        switch firstClass {
        case .number, .newline:
            return 1
        case .letter:
            return letterCost(bytes, start, end, .bare)
        case .space, .other:
            if end - start == firstLength { return 1 }
            let (secondClass, _) = ScalarClass.at(bytes, start + firstLength)
            if secondClass == .letter {
                if bytes[start] == UInt8(ascii: "'"), end - start <= 3 { return 1 }
                return letterCost(bytes, start + firstLength, end, bytes[start] == 0x20 ? .afterSpace : .afterMark)
            }
            if firstClass == .space { return 1 }
            // A punctuation run, maybe with a leading space and trailing newlines.
            var marks = 0
            var index = start
            while index < end {
                let (kind, length) = ScalarClass.at(bytes, index)
                if kind == .other { marks += 1 }
                index += length
            }
            return marks <= 3 ? 1 + Double(max(0, marks - 1)) * 0.027 : 3.18 + Double(marks - 3) * 0.035
        }
    }

    private static func letterCost(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int,
                                   _ context: LetterContext) -> Double {
        for index in start..<end where bytes[index] >= 0x80 {
            return Double(end - start) * 0.288
        }
        let length = Double(end - start)
        switch context {
        case .bare: return 1.127 + 0.178 * max(0, length - 5.007)
        case .afterSpace: return 0.933 + 0.182 * max(0, length - 6.851)
        case .afterMark: return 1.377 + 0.181 * max(0, length - 5.929)
        }
    }
}
