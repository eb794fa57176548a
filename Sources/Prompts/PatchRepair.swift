import Diffs

/// Fixes the usual flaws of model-written diffs against the current file texts:
/// paths written differently from the editable files', trailing whitespace on
/// context or added lines, and elided context (`...`), which is filled in from
/// the file or, when that is not possible, split into separate hunks. Patches
/// for the same file are merged.
struct PatchRepair {
    let files: FileLookup
    private(set) var warnings: [String] = []

    init(files: FileLookup) {
        self.files = files
    }

    mutating func repair(_ patches: [FilePatch]) -> [FilePatch] {
        var result: [FilePatch] = []
        for var patch in patches {
            patch.oldPath = patch.oldPath.map(files.canonicalPath)
            patch.newPath = patch.newPath.map(files.canonicalPath)
            let text = patch.oldPath.flatMap { files.file($0)?.text }
            let matcher = text.map { LineMatcher(lines: LineSplitter.lines($0)) }
            var hunks: [Hunk] = []
            for (index, hunk) in patch.hunks.enumerated() {
                hunks += repair(hunk, number: index + 1, of: patch, matcher: matcher)
            }
            patch.hunks = hunks
            if let index = result.firstIndex(where: {
                $0.oldPath == patch.oldPath && $0.newPath == patch.newPath && $0.kind == .modify && patch.kind == .modify
            }) {
                result[index].hunks += patch.hunks
            } else if !patch.hunks.isEmpty || patch.kind != .modify || patch.isBinary {
                result.append(patch)
            }
        }
        return result
    }

    private static func isElision(_ line: DiffLine) -> Bool {
        line.isContext && line.text.hasPrefix(DiffLineRole.elisionSentinel)
    }

    /// The literal line an elision marker replaced (for `...` that is real code).
    private static func literal(_ line: DiffLine) -> String {
        let original = line.text.dropFirst(DiffLineRole.elisionSentinel.count)
        return String(original.first == " " ? original.dropFirst() : original)
    }

    private mutating func repair(_ hunk: Hunk, number: Int, of patch: FilePatch, matcher: LineMatcher?) -> [Hunk] {
        var lines = hunk.lines.map { line -> DiffLine in
            if case .addition(let text) = line { return .addition(LineSplitter.trimmingTrailingWhitespace(text)) }
            return line
        }
        if let matcher { lines = Self.restoringTrailingWhitespace(lines, from: matcher) }
        var hunk = hunk
        hunk.lines = lines
        guard lines.contains(where: Self.isElision) else { return [Self.recounted(hunk)] }
        let label = "\(patch.displayPath) hunk \(number)"
        if let matcher {
            let literal = lines.map { Self.isElision($0) ? .context(Self.literal($0)) : $0 }
            let oldLines = literal.filter(\.isInOldFile).map(\.text)
            if !matcher.starts(of: oldLines, level: .trailingWhitespace).isEmpty {
                hunk.lines = literal
                return [Self.recounted(hunk)]
            }
            if let filled = filled(hunk, matcher: matcher) {
                warnings.append("\(label): filled in the lines elided with `...` from the current file.")
                return [filled]
            }
        }
        return split(hunk, label: label)
    }

    /// Context and removed lines that differ from a file line only in trailing
    /// whitespace take the file's line.
    /// A context line whose diff prefix was taken for its first space (the model
    /// dropped the prefix of an indented line) takes the file's line too.
    private static func restoringTrailingWhitespace(_ lines: [DiffLine], from matcher: LineMatcher) -> [DiffLine] {
        lines.map { line in
            guard line.isInOldFile, !isElision(line), !matcher.lineSet.contains(line.text) else { return line }
            let key = LineSplitter.trimmingTrailingWhitespace(line.text)
            guard let fileLine = matcher.firstLineByTrailingKey[key]
                ?? (line.isContext ? matcher.firstLineByTrailingKey[" " + key] : nil)
            else { return line }
            return line.isContext ? .context(fileLine) : .removal(fileLine)
        }
    }

    /// The pieces of a hunk between its elisions, without leading or trailing ones.
    private static func pieces(_ lines: [DiffLine]) -> [[DiffLine]] {
        var pieces: [[DiffLine]] = [[]]
        for line in lines {
            if isElision(line) {
                if !pieces[pieces.count - 1].isEmpty { pieces.append([]) }
            } else {
                pieces[pieces.count - 1].append(line)
            }
        }
        if pieces.last?.isEmpty == true { pieces.removeLast() }
        return pieces
    }

    /// The hunk with every elision replaced by the file lines between its
    /// neighbours, when the pieces can be found in order in the file.
    private func filled(_ hunk: Hunk, matcher: LineMatcher) -> Hunk? {
        let pieces = Self.pieces(hunk.lines)
        guard let first = pieces.first, pieces.allSatisfy({ $0.contains(where: \.isInOldFile) }) else { return nil }
        let firstOld = first.filter(\.isInOldFile).map(\.text)
        let stated = max(0, hunk.oldStart - 1)
        var candidates: [Int] = []
        for level in LineMatcher.Level.allCases where candidates.isEmpty {
            candidates = matcher.starts(of: firstOld, level: level)
        }
        candidates.sort { (abs($0 - stated), $0) < (abs($1 - stated), $1) }
        chains: for start in candidates {
            var result: [DiffLine] = []
            var position = start
            for (index, piece) in pieces.enumerated() {
                let old = piece.filter(\.isInOldFile).map(\.text)
                let pieceStart: Int
                if index == 0 {
                    pieceStart = start
                } else {
                    guard let found = matcher.firstStart(of: old, from: position) else { continue chains }
                    pieceStart = found.start
                    result += matcher.lines[position..<pieceStart].map { DiffLine.context($0) }
                }
                // Old lines take the file's exact text, whatever level matched.
                var fileIndex = pieceStart
                for line in piece {
                    switch line {
                    case .context: result.append(.context(matcher.lines[fileIndex])); fileIndex += 1
                    case .removal: result.append(.removal(matcher.lines[fileIndex])); fileIndex += 1
                    case .addition: result.append(line)
                    }
                }
                position = fileIndex
            }
            var filled = hunk
            filled.oldStart = start + 1
            filled.lines = result
            return Self.recounted(filled)
        }
        return nil
    }

    /// Separate hunks for the pieces between elisions. Pieces without changes are
    /// dropped; added lines with no old line after them cannot be placed.
    private mutating func split(_ hunk: Hunk, label: String) -> [Hunk] {
        let pieces = Self.pieces(hunk.lines)
        var result: [Hunk] = []
        var oldBefore = 0
        var carried: [DiffLine] = []
        for (index, piece) in pieces.enumerated() {
            let lines = carried + piece
            carried = []
            let start = hunk.oldStart + oldBefore
            oldBefore += piece.count { $0.isInOldFile }
            guard lines.contains(where: { !$0.isContext }) else { continue }
            guard lines.contains(where: \.isInOldFile) else {
                if index + 1 < pieces.count {
                    carried = lines
                } else {
                    warnings.append(
                        "\(label): \(lines.count) added lines after `...` could not be placed and were left out.")
                }
                continue
            }
            result.append(Hunk(oldStart: start, newStart: start, lines: lines,
                               oldMissingNewlineAtEnd: index == pieces.count - 1 && hunk.oldMissingNewlineAtEnd,
                               newMissingNewlineAtEnd: index == pieces.count - 1 && hunk.newMissingNewlineAtEnd))
        }
        warnings.append("\(label): lines elided with `...` split it into \(result.count) hunks.")
        return result
    }

    /// The hunk with counts recomputed from its lines.
    private static func recounted(_ hunk: Hunk) -> Hunk {
        Hunk(oldStart: hunk.oldStart, newStart: hunk.newStart, sectionHeading: hunk.sectionHeading, lines: hunk.lines,
             oldMissingNewlineAtEnd: hunk.oldMissingNewlineAtEnd, newMissingNewlineAtEnd: hunk.newMissingNewlineAtEnd)
    }
}
