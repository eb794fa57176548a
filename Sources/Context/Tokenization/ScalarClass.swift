/// The character classes cl100k's pre-tokenizer distinguishes, decoded
/// straight from UTF-8 so that counting never builds `Character`s.
enum ScalarClass: UInt8, Sendable {
    /// `\p{L}`: general categories Lu, Ll, Lt, Lm, Lo.
    case letter
    /// `\p{N}`: general categories Nd, Nl, No.
    case number
    /// `\r` or `\n`.
    case newline
    /// Any other scalar with the Unicode White_Space property.
    case space
    /// Everything else (punctuation, symbols, marks, controls).
    case other

    /// True for `\s`.
    var isWhitespace: Bool { self == .newline || self == .space }

    private static let ascii: [ScalarClass] = (0..<128).map { value in
        switch UInt8(value) {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): return .letter
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        case 0x0A, 0x0D: return .newline
        case 0x09, 0x0B, 0x0C, 0x20: return .space
        default: return .other
        }
    }

    /// Classifies the scalar starting at `index` and returns its UTF-8 length.
    /// The buffer must hold valid UTF-8 (as every Swift `String` does).
    @inline(__always)
    static func at(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> (ScalarClass, Int) {
        let lead = bytes[index]
        if lead < 0x80 { return (ascii[Int(lead)], 1) }
        let (value, length) = decode(bytes, index)
        return (classify(value), length)
    }

    /// Decodes the scalar starting at `index` (valid UTF-8 assumed; a stray
    /// continuation byte decodes as itself with length 1).
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> (UInt32, Int) {
        let lead = UInt32(bytes[index])
        let count = bytes.count
        func continuation(_ offset: Int) -> UInt32 {
            index + offset < count ? UInt32(bytes[index + offset] & 0x3F) : 0
        }
        if lead < 0x80 { return (lead, 1) }
        if lead >= 0xF0 { return ((lead & 0x07) << 18 | continuation(1) << 12 | continuation(2) << 6 | continuation(3), 4) }
        if lead >= 0xE0 { return ((lead & 0x0F) << 12 | continuation(1) << 6 | continuation(2), 3) }
        if lead >= 0xC0 { return ((lead & 0x1F) << 6 | continuation(1), 2) }
        return (lead, 1)
    }

    /// Classifies any scalar value.
    static func classify(_ value: UInt32) -> ScalarClass {
        if value < 128 { return ascii[Int(value)] }
        guard let scalar = Unicode.Scalar(value) else { return .other }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            return .number
        default:
            return properties.isWhitespace ? .space : .other
        }
    }
}
