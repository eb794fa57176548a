/// Why a file patch could not be applied to a text.
///
/// `description` names the file, the hunk (number and `@@` header), the line
/// numbers involved, what was expected and what was found, and how to fix it.
public struct PatchApplyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The nearest near-miss for a hunk that matched nowhere.
    public struct ClosestMatch: Sendable, Hashable {
        /// 1-based line where the closest candidate position starts.
        public var line: Int
        /// How many of the hunk's context and removed lines are equal there.
        public var equalLineCount: Int
        /// How many context and removed lines the hunk has.
        public var lineCount: Int
        /// 1-based line of the first line that differs.
        public var firstDifferenceLine: Int
        /// The line the hunk expects there.
        public var expected: String
        /// The line the file has there.
        public var found: String
    }

    /// The kind of problem.
    public enum Reason: Sendable, Hashable {
        /// The patch is for a binary file.
        case binaryPatch
        /// The hunk's context and removed lines occur nowhere in the text, even with
        /// offset, fuzz (and whitespace tolerance, if enabled).
        case contextNotFound(closest: ClosestMatch?)
        /// The hunk matches equally well at several places (1-based lines).
        case ambiguousContext(candidateLines: [Int])
        /// A hunk without context lines points past the end of the text.
        case beyondEndOfFile(fileLineCount: Int)
        /// A deletion patch leaves lines in the file: the file has more than the
        /// patch removes.
        case deletionLeavesContent(remainingLineCount: Int)
        /// A hunk without context lines would insert inside the lines (1-based)
        /// another hunk of the same patch changes.
        case insideAnotherHunk(otherHunkLines: ClosedRange<Int>)
    }

    /// The file the patch was for.
    public var path: String
    /// 0-based index of the failing hunk in the patch, nil for whole-file problems.
    public var hunkIndex: Int?
    /// Number of hunks in the patch.
    public var hunkCount: Int
    /// The failing hunk's header line.
    public var hunkHeader: String?
    /// The line the failing hunk's header stated.
    public var statedLine: Int?
    /// The kind of problem.
    public var reason: Reason

    /// Creates an error.
    public init(
        path: String, hunkIndex: Int? = nil, hunkCount: Int, hunkHeader: String? = nil, statedLine: Int? = nil,
        reason: Reason
    ) {
        self.path = path
        self.hunkIndex = hunkIndex
        self.hunkCount = hunkCount
        self.hunkHeader = hunkHeader
        self.statedLine = statedLine
        self.reason = reason
    }

    public var description: String {
        let hunk = hunkIndex.map { "hunk \($0 + 1) of \(hunkCount)" + (hunkHeader.map { " (\($0))" } ?? "") } ?? ""
        let subject = hunk.isEmpty ? "\(path): the patch" : "\(path): \(hunk)"
        let stated = statedLine.map { " (stated at line \($0))" } ?? ""
        switch reason {
        case .binaryPatch:
            return "\(path): the patch changes a binary file, which cannot be applied as text. Leave binary files out of the diff."
        case .contextNotFound(let closest):
            var text = "\(subject) does not apply: its context and removed lines\(stated) were not found in the file, "
                + "even at other line numbers or with differing first and last context lines (fuzz)."
            if let closest {
                text += " The closest match starts at line \(closest.line) (\(closest.equalLineCount) of "
                    + "\(closest.lineCount) lines equal); there line \(closest.firstDifferenceLine) should be "
                    + "\"\(closest.expected)\" but is \"\(closest.found)\"."
            }
            return text + " Regenerate this hunk from the file's current content."
        case .ambiguousContext(let candidates):
            let list = candidates.map(String.init).joined(separator: ", ")
            return "\(subject) is ambiguous: its context and removed lines\(stated) match equally well at lines \(list). "
                + "Add context lines that make the place unique, or correct the hunk's line numbers."
        case .beyondEndOfFile(let count):
            return "\(subject) inserts after line \(statedLine ?? 0), but the file has only \(count) lines. "
                + "Correct the hunk's line numbers or add context lines."
        case .insideAnotherHunk(let lines):
            return "\(subject) inserts after line \(statedLine ?? 0), inside lines \(lines.lowerBound)-\(lines.upperBound) "
                + "that another hunk of the patch changes. Merge the two hunks or correct the line numbers."
        case .deletionLeavesContent(let remaining):
            return "\(subject) deletes the file, but \(remaining) lines would remain: the file has content the patch "
                + "does not remove. Regenerate the deletion from the file's current content."
        }
    }
}
