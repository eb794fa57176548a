/// Why one block of an answer (a SEARCH/REPLACE block or a whole-file block) could
/// not be turned into a patch.
///
/// `description` names the block, its file and where it is in the answer, says
/// what is wrong and how to fix it, so it can be sent back to the model as is.
public struct EditBlockFailure: Sendable, Hashable, CustomStringConvertible {
    /// The best near-miss for a SEARCH text found nowhere.
    public struct ClosestMatch: Sendable, Hashable {
        /// 1-based line in the file where the closest candidate starts.
        public var line: Int
        /// How many SEARCH lines are equal there (ignoring indentation).
        public var equalLineCount: Int
        /// How many lines the SEARCH text has.
        public var lineCount: Int
        /// 1-based line of the first line that differs.
        public var differenceLine: Int
        /// The SEARCH line expected there.
        public var expected: String
        /// The line the file has there.
        public var found: String
    }

    /// The kind of problem.
    public enum Problem: Sendable, Hashable {
        /// The SEARCH text occurs nowhere in the file, not even ignoring whitespace.
        case searchNotFound(closest: ClosestMatch?)
        /// The SEARCH text occurs at several places (1-based lines).
        case ambiguousSearch(lines: [Int])
        /// No file path precedes the block and several files could be meant.
        case missingPath
        /// The block changes a file whose content was not provided, so its SEARCH
        /// text cannot be checked.
        case fileNotProvided
        /// The block lacks its `=======` divider or `>>>>>>> REPLACE` end marker.
        case unterminated(missing: String)
        /// The block leaves out code with an elision (`...`, `// rest unchanged`)
        /// at the given 1-based line of the block that could not be filled in from
        /// the current file.
        case unresolvedElision(line: Int, text: String)
    }

    /// 1-based number of the block in the answer, counting blocks of its kind.
    public var blockNumber: Int
    /// The block's kind, for messages ("SEARCH/REPLACE block", "file block").
    public var blockKind: String
    /// The file the block is for, when it names one.
    public var path: String?
    /// 1-based line of the answer where the block starts.
    public var answerLine: Int
    /// The first SEARCH line that is not blank, to identify the block.
    public var firstSearchLine: String?
    /// The problem.
    public var problem: Problem

    /// Creates a failure.
    public init(
        blockNumber: Int, blockKind: String, path: String?, answerLine: Int, firstSearchLine: String? = nil,
        problem: Problem
    ) {
        self.blockNumber = blockNumber
        self.blockKind = blockKind
        self.path = path
        self.answerLine = answerLine
        self.firstSearchLine = firstSearchLine
        self.problem = problem
    }

    public var description: String {
        let file = path.map { " for \($0)" } ?? ""
        let subject = "\(blockKind) \(blockNumber)\(file) (line \(answerLine) of the answer)"
        let start = firstSearchLine.map { " starting `\($0)`" } ?? ""
        switch problem {
        case .searchNotFound(let closest):
            var text = "\(subject): the SEARCH text\(start) was not found in the file, not even ignoring whitespace."
            if let closest {
                text += " The closest match starts at line \(closest.line) (\(closest.equalLineCount) of "
                    + "\(closest.lineCount) lines equal); there line \(closest.differenceLine) should be `\(closest.expected)` but is"
                    + " `\(closest.found)`."
            }
            return text + " Copy the SEARCH lines exactly from the file's current content."
        case .ambiguousSearch(let lines):
            let list = lines.map(String.init).joined(separator: ", ")
            return "\(subject): the SEARCH text\(start) matches at lines \(list) of the file. "
                + "Add surrounding lines to the SEARCH text so it matches exactly one place."
        case .missingPath:
            return "\(subject): no file path precedes the block. Write the file's path alone on the line before it."
        case .fileNotProvided:
            return "\(subject): the file's content was not provided, so the SEARCH text cannot be matched. "
                + "Edit only the files shown, or create a new file with an empty SEARCH section."
        case .unterminated(let missing):
            return "\(subject): the block has no `\(missing)` line. End every block with the three marker lines "
                + "`<<<<<<< SEARCH`, `=======`, `>>>>>>> REPLACE`."
        case .unresolvedElision(let line, let text):
            return "\(subject): line \(line) of the block, `\(text)`, leaves out code that could not be matched "
                + "with the current file. Write the file's complete content without elisions."
        }
    }
}
