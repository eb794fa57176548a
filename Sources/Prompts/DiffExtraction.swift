/// The unified-diff parts of a model's answer, cleaned up for `UnifiedDiffParser`:
/// fenced or bare diffs are cut out of the prose, elided context lines are marked,
/// hunk headers without numbers get placeholder numbers, hunks without a file
/// header get one from the fence label or the path line before them, and an
/// unfinished last hunk or file header is left out.
struct DiffExtraction {
    /// One contiguous piece of diff text.
    struct Segment {
        var lines: [String]
        var roles: [DiffLineRole]
        /// The file named by the fence label or a path line just before the piece.
        var pathHint: String?
        /// True when the answer ends inside this piece.
        var isOpen: Bool

        var text: String { lines.joined(separator: "\n") + "\n" }
    }

    private(set) var segments: [Segment] = []
    private(set) var proseLines: [String] = []
    /// True when the answer ends inside a code block or diff: the edit there may
    /// be unfinished.
    private(set) var endsInsideEdit = false
    /// True when an unfinished hunk or file header was left out.
    private(set) var droppedUnfinished = false

    /// Reads `output`. With `fencedOnly`, only diffs in code blocks count (chat).
    init(output: OutputLines, files: FileLookup, mode: ParseMode, fencedOnly: Bool = false) {
        let lines = output.lines
        let fileLines = Set(files.all.flatMap { LineSplitter.lines($0.text) }.filter { !LineSplitter.isBlank($0) })
        var cursor = 0
        var pendingHint: String?
        func takeGap(_ range: Range<Int>, atEnd: Bool) {
            let gap = Array(lines[range])
            guard !fencedOnly else {
                for line in gap {
                    if let hint = PathHints.path(inLine: line, files: files) { pendingHint = hint }
                }
                proseLines += gap
                return
            }
            addUnfenced(gap, reachesEnd: atEnd && (mode == .partial), files: files, hint: &pendingHint)
        }
        for block in MarkdownFences.blocks(in: lines) {
            takeGap(cursor..<block.openLine, atEnd: false)
            let content = Array(lines[block.content])
            if block.isOpen { endsInsideEdit = true }
            if Self.isDiffBlock(language: block.language, content: content) {
                let hint = PathHints.path(inFenceInfo: block.info, files: files) ?? pendingHint
                var segment = Segment(
                    lines: content, roles: DiffLineRole.roles(of: content, isFileLine: { fileLines.contains($0) }),
                    pathHint: hint, isOpen: block.isOpen)
                // A final answer cut inside its diff probably ends mid-line.
                if block.isOpen, output.lastLineUnterminated, !segment.lines.isEmpty {
                    cut(&segment, at: segment.lines.count - 1)
                }
                add(segment)
            } else {
                proseLines += lines[block.lineRange]
            }
            pendingHint = nil
            cursor = block.lineRange.upperBound
        }
        if cursor < lines.count { takeGap(cursor..<lines.count, atEnd: true) }
        insertMissingFileHeaders(files: files)
    }

    /// True for a code block labelled as a diff, or whose content has diff headers.
    static func isDiffBlock(language: String?, content: [String]) -> Bool {
        if let language, ["diff", "patch", "udiff", "gitdiff"].contains(language) { return true }
        for (index, line) in content.enumerated() {
            if line.hasPrefix("diff --git ") || DiffLineRole.hunkCounts(line) != nil { return true }
            if line.hasPrefix("--- "), index + 1 < content.count, content[index + 1].hasPrefix("+++ ") { return true }
        }
        return false
    }

    /// Splits unfenced text into diff runs and prose.
    private mutating func addUnfenced(_ lines: [String], reachesEnd: Bool, files: FileLookup, hint: inout String?) {
        let roles = DiffLineRole.roles(of: lines)
        var index = 0
        while index < lines.count {
            guard roles[index].isDiff else {
                if let found = PathHints.path(inLine: lines[index], files: files) { hint = found }
                proseLines.append(lines[index])
                index += 1
                continue
            }
            var end = index
            while end < lines.count, roles[end].isDiff { end += 1 }
            var last = end
            while last > index, LineSplitter.isBlank(lines[last - 1]) { last -= 1 }
            let open = reachesEnd && end == lines.count
            if open { endsInsideEdit = true }
            add(Segment(lines: Array(lines[index..<last]), roles: Array(roles[index..<last]), pathHint: hint, isOpen: open))
            hint = nil
            proseLines += lines[last..<end]
            index = end
        }
    }

    /// Rewrites a piece's lines for the parser and trims an unfinished end.
    private mutating func add(_ segment: Segment) {
        var segment = segment
        for index in segment.lines.indices {
            let line = segment.lines[index]
            switch segment.roles[index] {
            case .elision:
                segment.lines[index] = " " + DiffLineRole.elisionSentinel + line
            case .hunkHeader where DiffLineRole.hunkCounts(line) == nil && !line.hasPrefix("@@@"):
                segment.lines[index] = "@@ -1,0 +1,0 @@"
            case .body where !line.isEmpty && !" +-\\".contains(line.first!):
                segment.lines[index] = " " + line
            default:
                break
            }
        }
        if segment.isOpen { trimUnfinishedEnd(&segment) }
        if segment.roles.contains(where: { $0 == .hunkHeader || $0 == .fileHeader }) { segments.append(segment) }
    }

    /// Leaves out the last hunk unless its body has all the lines its header
    /// counts, then any file headers no hunk follows.
    private mutating func trimUnfinishedEnd(_ segment: inout Segment) {
        // A last `--- a/path` or `diff --git` line may start a file header still arriving.
        if let last = segment.lines.last, last.hasPrefix("---") || last.hasPrefix("diff ") {
            cut(&segment, at: segment.lines.count - 1)
        }
        if let lastHunk = segment.roles.lastIndex(of: .hunkHeader) {
            var bodyEnd = lastHunk + 1
            var old = 0
            var new = 0
            while bodyEnd < segment.lines.count, segment.roles[bodyEnd] == .body || segment.roles[bodyEnd] == .elision {
                switch segment.lines[bodyEnd].first {
                case "-": old += 1
                case "+": new += 1
                case "\\": break
                default: if segment.roles[bodyEnd] == .body { old += 1; new += 1 }
                }
                bodyEnd += 1
            }
            let counts = DiffLineRole.hunkCounts(segment.lines[lastHunk])
            let finished = counts.map { old >= $0.oldCount && new >= $0.newCount && old + new > 0 } ?? false
            if !finished { cut(&segment, at: lastHunk) }
        }
        let afterLastHunk = segment.roles.lastIndex(of: .hunkHeader).map { $0 + 1 } ?? 0
        if let header = segment.roles[afterLastHunk...].firstIndex(of: .fileHeader) {
            cut(&segment, at: header)
        }
    }

    private mutating func cut(_ segment: inout Segment, at index: Int) {
        guard index < segment.lines.count else { return }
        segment.lines.removeSubrange(index...)
        segment.roles.removeSubrange(index...)
        droppedUnfinished = true
    }

    /// Gives hunks that no file header precedes the header of the file the fence
    /// label or a path line names (or of the only editable file).
    private mutating func insertMissingFileHeaders(files: FileLookup) {
        var sawFile = false
        for index in segments.indices {
            let segment = segments[index]
            guard let firstHunk = segment.roles.firstIndex(of: .hunkHeader) else {
                sawFile = sawFile || segment.roles.contains(.fileHeader)
                continue
            }
            let headerFirst = segment.roles[..<firstHunk].contains(.fileHeader)
            if !headerFirst, let path = segment.pathHint ?? (sawFile ? nil : files.soleFile?.path) {
                let counts = DiffLineRole.hunkCounts(segment.lines[firstHunk])
                let creates = counts.map { $0.oldStart == 0 && $0.oldCount == 0 } ?? false
                let header = [creates ? "--- /dev/null" : "--- a/\(path)", "+++ b/\(path)"]
                segments[index].lines.insert(contentsOf: header, at: firstHunk)
                segments[index].roles.insert(contentsOf: [.fileHeader, .fileHeader], at: firstHunk)
            }
            sawFile = true
        }
    }

    /// All pieces as one text, separated by a line that ends any hunk but lets a
    /// later headerless hunk continue the previous file.
    var joinedText: String {
        segments.map(\.text).joined(separator: "\u{E001}\n")
    }

    /// The prose, with runs of blank lines collapsed and the ends trimmed.
    var prose: String { Self.collapsedProse(proseLines) }

    static func collapsedProse(_ lines: [String]) -> String {
        var result: [String] = []
        for line in lines {
            if LineSplitter.isBlank(line) {
                if let last = result.last, !last.isEmpty { result.append("") }
            } else {
                result.append(line)
            }
        }
        while result.last == "" { result.removeLast() }
        return result.joined(separator: "\n")
    }
}
