import Diffs

/// Applies SEARCH/REPLACE blocks to the current file texts and turns the results
/// into patches. Blocks for one file apply in answer order, each to the result of
/// the ones before. A SEARCH text is looked for exactly, then ignoring trailing
/// whitespace, then ignoring indentation (the replacement is then re-indented
/// the same way); it must match exactly one place.
struct SearchReplaceResolver {
    let files: FileLookup
    private(set) var patches: [FilePatch] = []
    private(set) var failures: [EditBlockFailure] = []
    private(set) var warnings: [String] = []

    init(files: FileLookup) {
        self.files = files
    }

    mutating func resolve(_ blocks: [SearchReplaceBlock]) {
        var order: [String] = []
        var byPath: [String: [SearchReplaceBlock]] = [:]
        for block in blocks {
            guard let written = block.path else {
                failures.append(failure(block, path: nil, .missingPath))
                continue
            }
            let path = files.canonicalPath(written)
            if byPath[path] == nil { order.append(path) }
            byPath[path, default: []].append(block)
        }
        for path in order {
            resolve(byPath[path] ?? [], path: path)
        }
    }

    private func failure(_ block: SearchReplaceBlock, path: String?, _ problem: EditBlockFailure.Problem)
        -> EditBlockFailure
    {
        EditBlockFailure(blockNumber: block.number, blockKind: "SEARCH/REPLACE block", path: path,
                         answerLine: block.answerLine, firstSearchLine: block.firstSearchLine, problem: problem)
    }

    private mutating func resolve(_ blocks: [SearchReplaceBlock], path: String) {
        let original = files.file(path)?.text
        var working = FileLines(original ?? "")
        var changed = false
        for block in blocks {
            let replacement = block.replace.map(LineSplitter.trimmingTrailingWhitespace)
            guard block.search.contains(where: { !LineSplitter.isBlank($0) }) else {
                if working.count > 0 {
                    warnings.append("SEARCH/REPLACE block \(block.number) for \(path) has an empty SEARCH part "
                        + "but the file is not empty; its lines were appended at the end.")
                }
                working.replace(working.count..<working.count, with: replacement)
                changed = true
                continue
            }
            guard original != nil else {
                failures.append(failure(block, path: path, .fileNotProvided))
                continue
            }
            if SearchReplaceElisions.hasElisions(block.search, file: working.contents) {
                switch SearchReplaceElisions.resolve(search: block.search, replace: replacement, in: working.contents) {
                case .replaced(let range, let lines, let note):
                    working.replace(range, with: lines)
                    changed = true
                    if let note { warnings.append("SEARCH/REPLACE block \(block.number) for \(path): \(note)") }
                case .failed(let problem):
                    failures.append(failure(block, path: path, problem))
                }
                continue
            }
            switch locate(block.search, in: working.contents) {
            case .found(let range, let indentShift):
                working.replace(range, with: indentShift.map { Self.reindented(replacement, $0) } ?? replacement)
                changed = true
            case .ambiguous(let starts):
                failures.append(failure(block, path: path, .ambiguousSearch(lines: starts.map { $0 + 1 })))
            case .notFound:
                let nearest = closest(block.search, in: working.contents)
                failures.append(failure(block, path: path, .searchNotFound(closest: nearest)))
            }
        }
        guard changed else { return }
        let patch = UnifiedDiffWriter.filePatch(oldText: original, newText: working.text, oldPath: path, newPath: path)
        if patch.hunks.isEmpty, original != nil {
            warnings.append("The SEARCH/REPLACE blocks for \(path) leave it unchanged.")
        } else {
            patches.append(patch)
        }
    }

    /// Where a SEARCH text sits in the file.
    enum Location {
        /// The lines to replace, and for an indentation-insensitive match the
        /// indentation change (removed prefix, added prefix) to apply to the replacement.
        case found(Range<Int>, indentShift: (remove: String, add: String)?)
        case ambiguous([Int])
        case notFound
    }

    func locate(_ search: [String], in lines: [String]) -> Location {
        let matcher = LineMatcher(lines: lines)
        var candidates = [search]
        var trimmed = search
        while let first = trimmed.first, LineSplitter.isBlank(first) { trimmed.removeFirst() }
        while let last = trimmed.last, LineSplitter.isBlank(last) { trimmed.removeLast() }
        if trimmed != search { candidates.append(trimmed) }
        for level in LineMatcher.Level.allCases {
            for pattern in candidates {
                let starts = matcher.starts(of: pattern, level: level)
                if starts.count > 1 { return .ambiguous(starts) }
                guard let start = starts.first else { continue }
                let range = start..<(start + pattern.count)
                guard level == .indentation else { return .found(range, indentShift: nil) }
                return .found(range, indentShift: Self.indentShift(pattern, Array(lines[range])))
            }
        }
        return .notFound
    }

    /// How the file's lines are indented relative to the SEARCH lines, judged by
    /// the first non-blank line; nil when they agree.
    private static func indentShift(_ search: [String], _ found: [String]) -> (remove: String, add: String)? {
        guard let index = search.indices.first(where: { !LineSplitter.isBlank(search[$0]) }) else { return nil }
        let written = Array(LineSplitter.indentation(search[index]))
        let actual = Array(LineSplitter.indentation(found[index]))
        guard written != actual else { return nil }
        let common = zip(written, actual).prefix { $0 == $1 }.count
        return (String(written.dropFirst(common)), String(actual.dropFirst(common)))
    }

    /// `lines` with `shift.remove` taken off the front of each non-blank line
    /// that starts with it and `shift.add` put in front.
    private static func reindented(_ lines: [String], _ shift: (remove: String, add: String)) -> [String] {
        lines.map { line in
            guard !LineSplitter.isBlank(line) else { return line }
            let body = line.hasPrefix(shift.remove) ? String(line.dropFirst(shift.remove.count)) : line
            return shift.add + body
        }
    }

    private func closest(_ search: [String], in lines: [String]) -> EditBlockFailure.ClosestMatch? {
        let matcher = LineMatcher(lines: lines)
        guard let best = matcher.closest(to: search) else { return nil }
        let fileIndex = best.start + best.firstDifference
        return EditBlockFailure.ClosestMatch(
            line: best.start + 1, equalLineCount: best.equal, lineCount: search.count, differenceLine: fileIndex + 1,
            expected: search[best.firstDifference], found: fileIndex < lines.count ? lines[fileIndex] : "(end of file)")
    }
}
