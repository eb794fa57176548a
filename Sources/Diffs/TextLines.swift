import Foundation

/// A text split into lines over its UTF-8 bytes, keeping each line's terminator so
/// the text can be rebuilt byte for byte.
///
/// Splitting works on bytes rather than `Character`s because Swift treats `"\r\n"`
/// as a single character.
struct TextLines {
    /// How a line ends.
    enum Terminator: Sendable, Hashable {
        case none
        case lineFeed
        case carriageReturnLineFeed

        var bytes: [UInt8] {
            switch self {
            case .none: return []
            case .lineFeed: return [0x0A]
            case .carriageReturnLineFeed: return [0x0D, 0x0A]
            }
        }
    }

    let bytes: [UInt8]
    /// Byte range of each line's content, without its terminator.
    private(set) var contents: [Range<Int>] = []
    /// Each line's terminator; only the last line can have `.none`.
    private(set) var terminators: [Terminator] = []

    /// Splits `bytes` at line feeds. With `separatingCarriageReturns`, a `"\r\n"`
    /// terminator is recognized and the `"\r"` is not part of the content;
    /// otherwise only `"\n"` terminates lines and a `"\r"` stays in the content.
    init(bytes: [UInt8], separatingCarriageReturns: Bool = true) {
        self.bytes = bytes
        var lineStart = 0
        bytes.withUnsafeBufferPointer { buffer in
            for index in 0..<buffer.count where buffer[index] == 0x0A {
                if separatingCarriageReturns, index > lineStart, buffer[index - 1] == 0x0D {
                    contents.append(lineStart..<(index - 1))
                    terminators.append(.carriageReturnLineFeed)
                } else {
                    contents.append(lineStart..<index)
                    terminators.append(.lineFeed)
                }
                lineStart = index + 1
            }
        }
        if lineStart < bytes.count {
            contents.append(lineStart..<bytes.count)
            terminators.append(.none)
        }
    }

    init(_ text: String, separatingCarriageReturns: Bool = true) {
        self.init(bytes: Array(text.utf8), separatingCarriageReturns: separatingCarriageReturns)
    }

    var count: Int { contents.count }

    /// The content bytes of line `index`.
    func content(_ index: Int) -> ArraySlice<UInt8> { bytes[contents[index]] }

    /// The content of line `index` as a string.
    func text(_ index: Int) -> String { String(decoding: bytes[contents[index]], as: UTF8.self) }

    /// True when the text is empty or its last line ends with a terminator.
    var endsWithNewline: Bool { terminators.last.map { $0 != .none } ?? true }

    /// The terminator most lines use: CRLF when more lines end in CRLF than in LF,
    /// otherwise LF (also for texts with no terminators at all).
    var dominantTerminator: Terminator {
        var crlf = 0
        var lf = 0
        for terminator in terminators {
            switch terminator {
            case .carriageReturnLineFeed: crlf += 1
            case .lineFeed: lf += 1
            case .none: break
            }
        }
        return crlf > lf ? .carriageReturnLineFeed : .lineFeed
    }

    /// True when line `index` starts with `prefix`.
    func hasPrefix(_ index: Int, _ prefix: [UInt8]) -> Bool {
        let range = contents[index]
        guard range.count >= prefix.count else { return false }
        return bytes[range.lowerBound..<(range.lowerBound + prefix.count)].elementsEqual(prefix)
    }

    /// The first byte of line `index`, nil for an empty line.
    func firstByte(_ index: Int) -> UInt8? {
        let range = contents[index]
        return range.isEmpty ? nil : bytes[range.lowerBound]
    }
}

/// Byte-level helpers shared by the parser, the applier and the writer.
enum Bytes {
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }

    /// `slice` without leading and trailing whitespace.
    static func trimmed(_ slice: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var lower = slice.startIndex
        var upper = slice.endIndex
        while lower < upper, isWhitespace(slice[lower]) { lower += 1 }
        while upper > lower, isWhitespace(slice[upper - 1]) { upper -= 1 }
        return slice[lower..<upper]
    }

    /// The text when `bytes` are valid UTF-8, nil otherwise.
    static func decodeUTF8(_ bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        // Invalid sequences decode to U+FFFD, which changes the bytes.
        return equal(Array(text.utf8)[...], bytes[...]) ? text : nil
    }

    /// `slice` without one trailing carriage return.
    static func withoutTrailingCarriageReturn(_ slice: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        slice.last == 0x0D ? slice.dropLast() : slice
    }

    /// Byte-wise equality, fast for the common case of long equal lines.
    static func equal(_ lhs: ArraySlice<UInt8>, _ rhs: ArraySlice<UInt8>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.isEmpty { return true }
        return lhs.withUnsafeBufferPointer { left in
            rhs.withUnsafeBufferPointer { right in
                memcmp(left.baseAddress!, right.baseAddress!, left.count) == 0
            }
        }
    }
}
