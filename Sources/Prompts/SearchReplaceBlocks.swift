/// One SEARCH/REPLACE block of an answer.
struct SearchReplaceBlock {
    /// 1-based number of the block in the answer.
    var number: Int
    /// The file the block is for, as written (nil when none was named).
    var path: String?
    /// 1-based line of the answer holding the `<<<<<<< SEARCH` marker.
    var answerLine: Int
    var search: [String] = []
    var replace: [String] = []

    /// The first SEARCH line that is not blank, trimmed, to identify the block.
    var firstSearchLine: String? {
        search.first { !LineSplitter.isBlank($0) }.map { LineSplitter.trimmed($0) }
    }
}

/// Finds aider-style SEARCH/REPLACE blocks in an answer, with the file path each
/// one belongs to: the last path line or fence label before it, kept for the
/// blocks that follow until another path is named.
struct SearchReplaceScan {
    private(set) var blocks: [SearchReplaceBlock] = []
    /// Blocks with a marker missing in the middle of the answer.
    private(set) var malformed: [EditBlockFailure] = []
    private(set) var proseLines: [String] = []
    /// True when the answer ended inside a block, which was left out.
    private(set) var endsInsideBlock = false

    static func isSearchMarker(_ line: String) -> Bool { isMarker(line, "<", "SEARCH") }
    static func isReplaceMarker(_ line: String) -> Bool { isMarker(line, ">", "REPLACE") }
    static func isDivider(_ line: String) -> Bool {
        let text = LineSplitter.trimmed(line)
        return text.count >= 5 && text.count <= 9 && text.allSatisfy { $0 == "=" }
    }

    private static func isMarker(_ line: String, _ character: Character, _ word: String) -> Bool {
        let text = LineSplitter.trimmed(line)
        let run = text.prefix { $0 == character }
        guard run.count >= 5, run.count <= 9 else { return false }
        return LineSplitter.trimmed(text.dropFirst(run.count)).uppercased().hasPrefix(word)
    }

    init(output: OutputLines, files: FileLookup) {
        enum State { case outside, search, replace }
        var state = State.outside
        var currentPath: String?
        var block: SearchReplaceBlock?
        var afterBlock = false
        /// Prose lines that would go if a block followed: a path line, a fence, blanks.
        var pendingPrefix: [String] = []

        func flushPrefix() {
            proseLines += pendingPrefix
            pendingPrefix = []
        }
        func start(_ index: Int) {
            pendingPrefix = []
            block = SearchReplaceBlock(number: blocks.count + malformed.count + 1, path: currentPath ?? files.soleFile?.path,
                                       answerLine: index + 1)
            state = .search
        }
        func fail(_ missing: String) {
            guard let open = block else { return }
            malformed.append(EditBlockFailure(
                blockNumber: open.number, blockKind: "SEARCH/REPLACE block", path: open.path, answerLine: open.answerLine,
                firstSearchLine: open.firstSearchLine, problem: .unterminated(missing: missing)))
            block = nil
        }

        for (index, line) in output.lines.enumerated() {
            switch state {
            case .outside:
                if Self.isSearchMarker(line) {
                    start(index)
                } else if let fence = MarkdownFences.fence(line) {
                    if afterBlock, fence.info.isEmpty {
                        afterBlock = false
                        continue
                    }
                    if let path = PathHints.path(inFenceInfo: fence.info, files: files) { currentPath = path }
                    pendingPrefix.append(line)
                } else if LineSplitter.isBlank(line) {
                    pendingPrefix.append(line)
                } else if let path = PathHints.pathLine(line, files: files) {
                    currentPath = path
                    flushPrefix()
                    pendingPrefix = [line]
                    afterBlock = false
                } else {
                    if let path = PathHints.mentionedPath(in: line, files: files) { currentPath = path }
                    flushPrefix()
                    proseLines.append(line)
                    afterBlock = false
                }
            case .search:
                if Self.isDivider(line) {
                    state = .replace
                } else if Self.isSearchMarker(line) {
                    fail("=======")
                    start(index)
                } else if Self.isReplaceMarker(line) {
                    fail("=======")
                    state = .outside
                } else {
                    block?.search.append(line)
                }
            case .replace:
                if Self.isReplaceMarker(line) {
                    if let finished = block { blocks.append(finished) }
                    block = nil
                    state = .outside
                    afterBlock = true
                } else if Self.isSearchMarker(line) {
                    fail(">>>>>>> REPLACE")
                    start(index)
                } else {
                    block?.replace.append(line)
                }
            }
        }
        flushPrefix()
        endsInsideBlock = state != .outside
    }
}
