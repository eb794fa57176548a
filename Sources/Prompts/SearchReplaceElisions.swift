/// SEARCH parts that skip lines with an elision (`...`, `// ...`): the pieces
/// between elisions are found in order, and each elision in the REPLACE part
/// stands for the same skipped lines, so they are kept.
enum SearchReplaceElisions {
    /// What resolving such a block gives.
    enum Outcome {
        /// Replace `range` of the file with `lines`; `note` says what was assumed.
        case replaced(Range<Int>, lines: [String], note: String?)
        case failed(EditBlockFailure.Problem)
    }

    /// The indices of `lines` that are elisions, not lines of the file.
    static func elisions(in lines: [String], file: [String]) -> [Int] {
        let candidates = lines.indices.filter { ElisionMarker.isElision(lines[$0]) }
        guard !candidates.isEmpty else { return [] }
        let literal = Set(file.map { LineSplitter.trimmed($0) })
        return candidates.filter { !literal.contains(LineSplitter.trimmed(lines[$0])) }
    }

    /// True when the SEARCH lines contain an elision.
    static func hasElisions(_ search: [String], file: [String]) -> Bool {
        !elisions(in: search, file: file).isEmpty
    }

    /// `lines` without the elisions before the first or after the last line that
    /// is neither blank nor an elision (and, with `trimmingBlanks`, without blank
    /// lines there either), with the indices of the elisions left between them.
    private static func interior(_ lines: [String], file: [String], trimmingBlanks: Bool)
        -> (lines: [String], elisions: [Int])
    {
        let all = Set(elisions(in: lines, file: file))
        let content = lines.indices.filter { !all.contains($0) && !LineSplitter.isBlank(lines[$0]) }
        guard let first = content.first, let last = content.last else { return ([], []) }
        var kept: [String] = []
        var inner: [Int] = []
        for index in lines.indices {
            let outside = index < first || index > last
            if outside, all.contains(index) || trimmingBlanks { continue }
            if all.contains(index) { inner.append(kept.count) }
            kept.append(lines[index])
        }
        return (kept, inner)
    }

    static func resolve(search fullSearch: [String], replace fullReplace: [String], in file: [String]) -> Outcome {
        let (search, searchElisions) = interior(fullSearch, file: file, trimmingBlanks: true)
        let pieces = split(search, at: searchElisions).filter { $0.contains { !LineSplitter.isBlank($0) } }
        guard let first = pieces.first else { return .failed(.searchNotFound(closest: nil)) }
        let matcher = LineMatcher(lines: file)
        var starts: [Int] = []
        for level in LineMatcher.Level.allCases where starts.isEmpty {
            starts = matcher.starts(of: first, level: level)
        }
        if starts.count > 1 { return .failed(.ambiguousSearch(lines: starts.map { $0 + 1 })) }
        guard let start = starts.first else { return .failed(.searchNotFound(closest: nil)) }
        var position = start + first.count
        var gaps: [Range<Int>] = []
        for (index, piece) in pieces.enumerated().dropFirst() {
            guard let found = matcher.firstStart(of: piece, from: position) else {
                let line = searchElisions[min(index - 1, searchElisions.count - 1)]
                return .failed(.unresolvedElision(line: line + 1, text: search[line]))
            }
            gaps.append(position..<found.start)
            position = found.start + piece.count
        }
        let range = start..<position
        let (replace, replaceElisions) = interior(fullReplace, file: file, trimmingBlanks: false)
        if replaceElisions.isEmpty {
            let note = "its SEARCH part skips lines with `...`; all \(range.count) lines from line \(start + 1) "
                + "were replaced."
            return .replaced(range, lines: replace, note: note)
        }
        guard replaceElisions.count == gaps.count else {
            let line = replaceElisions[0]
            return .failed(.unresolvedElision(line: line + 1, text: replace[line]))
        }
        let replacePieces = split(replace, at: replaceElisions)
        var lines: [String] = []
        for (index, piece) in replacePieces.enumerated() {
            lines += piece
            if index < gaps.count { lines += file[gaps[index]] }
        }
        return .replaced(range, lines: lines, note: nil)
    }

    private static func split(_ lines: [String], at indices: [Int]) -> [[String]] {
        var pieces: [[String]] = []
        var start = 0
        for index in indices {
            pieces.append(Array(lines[start..<index]))
            start = index + 1
        }
        pieces.append(Array(lines[start...]))
        return pieces
    }
}
