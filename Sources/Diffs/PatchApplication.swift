/// The outcome of applying one file's patch to a text in memory.
public struct PatchApplication: Sendable, Hashable {
    /// The file the patch was for (its new path, or old path for a deletion).
    public var path: String
    /// The whole patched text.
    public var newText: String
    /// How each hunk applied, in the order the patch lists its hunks.
    public var hunks: [HunkApplication]
    /// The same change as line replacements on the original text, sorted by
    /// `startLine`, neither overlapping nor touching. Apply them bottom-up (last
    /// first) so earlier line numbers stay valid; together they form one undoable change.
    public var edits: [LineEdit]
    /// Whether `newText` ends with a line terminator (or is empty). Line edits
    /// cannot express a change of the final newline, so editors read it here.
    public var endsWithNewline: Bool
    /// The line terminator the original text mostly uses, which new lines got.
    public var lineEnding: LineEnding

    /// True when every hunk applied exactly at its stated line.
    public var appliedExactly: Bool { hunks.allSatisfy { $0.method == .exact } }
}

/// The line terminator of a text.
public enum LineEnding: String, Sendable, Hashable {
    /// `"\n"`.
    case lineFeed = "\n"
    /// `"\r\n"`.
    case carriageReturnLineFeed = "\r\n"
}

/// Where and how one hunk applied.
public struct HunkApplication: Sendable, Hashable {
    /// How a hunk was matched against the text.
    public enum Method: Sendable, Hashable, CustomStringConvertible {
        /// At the stated line, every context and removed line equal.
        case exact
        /// Every line equal, but N lines away from the stated line.
        case offset(Int)
        /// Up to N leading and trailing context lines ignored (GNU patch's fuzz);
        /// the match may also be offset.
        case fuzz(Int, offset: Int)
        /// Only equal after ignoring leading and trailing whitespace; may also use
        /// fuzz and be offset.
        case whitespace(fuzz: Int, offset: Int)

        public var description: String {
            switch self {
            case .exact: return "exact"
            case .offset(let lines): return "offset \(Self.signed(lines)) lines"
            case .fuzz(let fuzz, let offset):
                return offset == 0 ? "fuzz \(fuzz)" : "fuzz \(fuzz), offset \(Self.signed(offset)) lines"
            case .whitespace(let fuzz, let offset):
                var parts = ["ignoring whitespace"]
                if fuzz > 0 { parts.append("fuzz \(fuzz)") }
                if offset != 0 { parts.append("offset \(Self.signed(offset)) lines") }
                return parts.joined(separator: ", ")
            }
        }

        private static func signed(_ value: Int) -> String { value > 0 ? "+\(value)" : "\(value)" }
    }

    /// Index of the hunk in the patch's `hunks`.
    public var hunkIndex: Int
    /// The hunk's `@@` header line.
    public var header: String
    /// 1-based line in the original text where the hunk's old lines start (for a
    /// hunk without old lines: the line after which its new lines were inserted).
    public var appliedLine: Int
    /// `appliedLine` minus the line the header stated.
    public var offset: Int
    /// Number of leading/trailing context lines that were allowed to differ.
    public var fuzz: Int
    /// True when lines only matched after ignoring leading/trailing whitespace.
    public var ignoredWhitespace: Bool

    /// How the hunk matched.
    public var method: Method {
        if ignoredWhitespace { return .whitespace(fuzz: fuzz, offset: offset) }
        if fuzz > 0 { return .fuzz(fuzz, offset: offset) }
        return offset == 0 ? .exact : .offset(offset)
    }
}

/// A replacement of whole lines in the original text, for editors that apply a
/// patch to an open buffer.
public struct LineEdit: Sendable, Hashable {
    /// 0-based index, in the ORIGINAL text, of the first line replaced (or of the
    /// line before which `replacementLines` are inserted when nothing is replaced).
    public var startLine: Int
    /// Number of original lines replaced.
    public var replacedLineCount: Int
    /// The lines that take their place, without line terminators.
    public var replacementLines: [String]

    /// Creates an edit.
    public init(startLine: Int, replacedLineCount: Int, replacementLines: [String]) {
        self.startLine = startLine
        self.replacedLineCount = replacedLineCount
        self.replacementLines = replacementLines
    }

    /// Applies non-overlapping `edits` (as `PatchApplication.edits` gives them) to
    /// `lines`, last edit first.
    public static func apply(_ edits: [LineEdit], to lines: [String]) -> [String] {
        var result = lines
        let bottomUp = edits.enumerated().sorted { ($0.element.startLine, $0.offset) > ($1.element.startLine, $1.offset) }
        for (_, edit) in bottomUp {
            let end = min(edit.startLine + edit.replacedLineCount, result.count)
            result.replaceSubrange(edit.startLine..<end, with: edit.replacementLines)
        }
        return result
    }
}
