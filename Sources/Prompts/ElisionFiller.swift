/// Filling in the lines a model elided from a whole file (`// ...`,
/// `# rest unchanged`) with the current file's lines they stand for.
///
/// The answer's lines between elisions ("pieces") are anchored in the current
/// file by lines found there in order. An elision stands for the old lines after
/// the previous piece and before the next one; where a piece's first or last
/// lines are changed versions of old lines (similar but not equal), those old
/// lines count as replaced, not elided.
enum ElisionFiller {
    /// The 0-based line of the content holding an elision that could not be placed.
    struct Unresolved: Error {
        var line: Int
    }

    /// `content` with its elisions replaced by lines of `original`.
    static func filled(_ content: [String], from original: [String]) throws(Unresolved) -> [String] {
        let literal = Set(original.map { LineSplitter.trimmed($0) })
        let elisions = content.indices.filter {
            ElisionMarker.isElision(content[$0]) && !literal.contains(LineSplitter.trimmed(content[$0]))
        }
        guard !elisions.isEmpty else { return content }
        var pieces: [[String]] = []
        var pieceStart = 0
        for elision in elisions {
            pieces.append(Array(content[pieceStart..<elision]))
            pieceStart = elision + 1
        }
        pieces.append(Array(content[pieceStart...]))

        let matcher = LineMatcher(lines: original)
        var result: [String] = []
        var cursor = 0
        for (index, piece) in pieces.enumerated() {
            if index > 0 {
                guard let start = start(of: piece, from: cursor, in: matcher) else {
                    throw Unresolved(line: elisions[index - 1])
                }
                result += original[cursor..<start]
                cursor = start
            }
            result += piece
            if index < pieces.count - 1 {
                cursor = end(of: piece, from: cursor, in: matcher)
            }
        }
        return result
    }

    /// The old line where `piece` begins: its first line found at or after
    /// `cursor`, moved back over old lines its preceding changed lines replace
    /// (lines not similar to the old line before are taken as inserted).
    /// The end of the file for a blank piece; nil when no line of it is found.
    private static func start(of piece: [String], from cursor: Int, in matcher: LineMatcher) -> Int? {
        for (offset, line) in piece.enumerated() where !LineSplitter.isBlank(line) {
            guard let found = matcher.firstStart(of: [line], from: cursor) else { continue }
            var start = found.start
            for line in piece[..<offset].reversed() where start > cursor && similar(line, matcher.lines[start - 1]) {
                start -= 1
            }
            return start
        }
        return piece.allSatisfy({ LineSplitter.isBlank($0) }) ? matcher.lines.count : nil
    }

    /// The old line after `piece`: past its last line found in order from
    /// `cursor`, and past the old lines its trailing changed lines replace (lines
    /// not similar to the next old line are taken as inserted).
    private static func end(of piece: [String], from cursor: Int, in matcher: LineMatcher) -> Int {
        var position = cursor
        var lastAnchor: Int?
        for (offset, line) in piece.enumerated() where !LineSplitter.isBlank(line) {
            if let found = matcher.firstStart(of: [line], from: position) {
                position = found.start + 1
                lastAnchor = offset
            }
        }
        for line in piece[((lastAnchor ?? -1) + 1)...]
        where position < matcher.lines.count && similar(line, matcher.lines[position]) {
            position += 1
        }
        return position
    }

    /// True when two lines look like versions of each other: equal ignoring
    /// whitespace, the same first two words, or a long common start.
    static func similar(_ lhs: String, _ rhs: String) -> Bool {
        let left = LineSplitter.trimmed(lhs)
        let right = LineSplitter.trimmed(rhs)
        if left == right { return true }
        guard !left.isEmpty, !right.isEmpty else { return false }
        let separators: (Character) -> Bool = { $0 == " " || $0 == "(" || $0 == "=" || $0 == ":" }
        let leftWords = left.split(whereSeparator: separators).prefix(2)
        let rightWords = right.split(whereSeparator: separators).prefix(2)
        if leftWords.count == 2, leftWords.elementsEqual(rightWords) { return true }
        let common = zip(left, right).prefix { $0 == $1 }.count
        return common >= max(8, min(left.count, right.count) * 3 / 5)
    }
}
