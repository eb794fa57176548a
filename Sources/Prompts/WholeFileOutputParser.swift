import Diffs

/// Reads complete new file contents out of a model's answer: a fenced block per
/// file, named by the fence label (```` ```swift path=Sources/App.swift ````,
/// ```` ```Sources/App.swift ````) or by a path line before the fence, or the only
/// editable file. Each is diffed against the file's current text. Lines a lazy
/// model elided (`// ... rest unchanged`) are filled in from the current file
/// between the lines around them; an answer cut short loses its unfinished file.
public struct WholeFileOutputParser: EditOutputParser {
    /// Creates a parser.
    public init() {}

    public var formatDescription: String {
        "each changed file's path alone on a line, followed by a fenced code block with the file's complete new content"
    }

    public func parse(_ output: String, files: [EditableFile], mode: ParseMode) throws(EditParseError) -> ParsedEdits {
        let lookup = FileLookup(files)
        let lines = OutputLines(output, mode: mode).lines
        let blocks = MarkdownFences.blocks(in: lines)
        var prose: [String] = []
        var warnings: [String] = []
        var failures: [EditBlockFailure] = []
        var contents: [(path: String, lines: [String], block: FencedBlock)] = []
        var complete = true
        var cursor = 0
        var named: [(block: FencedBlock, path: String?)] = []
        for block in blocks {
            var gap = Array(lines[cursor..<block.openLine])
            var fromGap: String?
            // A path line right before the fence labels the block and is not prose.
            if let last = gap.lastIndex(where: { !LineSplitter.isBlank($0) }),
               let path = PathHints.pathLine(gap[last], files: lookup) {
                fromGap = path
                gap.remove(at: last)
            }
            prose += gap
            fromGap = fromGap ?? gap.reversed().lazy.compactMap { PathHints.pathLine($0, files: lookup) }.first
                ?? gap.reversed().lazy.compactMap { PathHints.mentionedPath(in: $0, files: lookup) }.first
            named.append((block, PathHints.path(inFenceInfo: block.info, files: lookup) ?? fromGap))
            cursor = block.lineRange.upperBound
        }
        if cursor < lines.count { prose += lines[cursor...] }
        let anyNamed = named.contains { $0.path != nil }
        for (number, entry) in named.enumerated() {
            let block = entry.block
            if block.isOpen {
                complete = false
                warnings.append("The answer ends inside the code block at line \(block.openLine + 1); it was left out.")
                continue
            }
            guard let path = entry.path ?? (anyNamed ? nil : lookup.soleFile?.path) else {
                warnings.append("The code block at line \(block.openLine + 1) names no file and was ignored.")
                prose += lines[block.lineRange]
                continue
            }
            if block.language == "diff" || block.language == "patch" {
                warnings.append("The code block at line \(block.openLine + 1) is a diff, not a whole file, and was ignored.")
                continue
            }
            let canonical = lookup.canonicalPath(path)
            if let earlier = contents.firstIndex(where: { $0.path == canonical }) {
                warnings.append("\(canonical) is given twice; the later content (line \(block.openLine + 1)) is used.")
                contents.remove(at: earlier)
            }
            var content = Array(lines[block.content])
            if let original = lookup.file(canonical)?.text {
                do {
                    content = try ElisionFiller.filled(content, from: LineSplitter.lines(original))
                } catch {
                    failures.append(EditBlockFailure(
                        blockNumber: number + 1, blockKind: "file block", path: canonical, answerLine: block.openLine + 1,
                        problem: .unresolvedElision(line: error.line + 1, text: content[error.line])))
                    continue
                }
            }
            contents.append((canonical, content, block))
        }
        if mode == .final, !failures.isEmpty {
            throw EditParseError(.blocksFailed(failures), prose: DiffExtraction.collapsedProse(prose))
        }
        warnings += failures.map(\.description)
        var patches: [FilePatch] = []
        for (path, content, _) in contents {
            let original = lookup.file(path)?.text
            let newText = Self.text(content, replacing: original)
            let patch = UnifiedDiffWriter.filePatch(oldText: original, newText: newText, oldPath: path, newPath: path)
            if patch.hunks.isEmpty, original != nil {
                warnings.append("The content given for \(path) equals its current content.")
            } else {
                patches.append(patch)
            }
        }
        let proseText = DiffExtraction.collapsedProse(prose)
        if mode == .final, contents.isEmpty, complete, failures.isEmpty {
            throw EditParseError(.noEdits(expectedFormat: formatDescription), prose: proseText)
        }
        return ParsedEdits(filePatches: patches, prose: proseText, warnings: warnings, complete: complete)
    }

    /// The new file text: `lines` with the original's line ending and final
    /// newline, keeping the original's version of lines that differ only in
    /// trailing whitespace.
    static func text(_ lines: [String], replacing original: String?) -> String {
        var byKey: [String: String] = [:]
        for line in LineSplitter.lines(original ?? "") {
            let key = LineSplitter.trimmingTrailingWhitespace(line)
            if byKey[key] == nil { byKey[key] = line }
        }
        let restored = lines.map { line in
            let key = LineSplitter.trimmingTrailingWhitespace(line)
            return byKey[key] ?? key
        }
        var file = FileLines(original ?? "")
        file.replace(0..<file.count, with: restored)
        return file.text
    }
}
