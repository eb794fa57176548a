/// Finds where a hunk's old lines sit in a text: at the expected line, elsewhere
/// (offset), with ignored end context lines (fuzz), or ignoring whitespace.
///
/// A match found only away from the expected line must be unique at its level of
/// strictness; several equally good matches are reported as ambiguous rather than
/// guessed between.
final class HunkLocator {
    /// How strictly lines are compared in one search pass.
    struct Level: Hashable {
        var fuzz: Int
        var ignoresWhitespace: Bool
    }

    /// A hunk prepared for matching: its old lines without trailing carriage returns.
    struct Pattern {
        let oldLines: [[UInt8]]
        let leadingContext: Int
        let trailingContext: Int
        /// True when the hunk must end at the end of the file (`\ No newline` marker).
        let anchoredAtEnd: Bool

        init(_ hunk: Hunk) {
            oldLines = hunk.oldLines.map { Array(Bytes.withoutTrailingCarriageReturn(Array($0.utf8)[...])) }
            leadingContext = hunk.leadingContextCount
            trailingContext = hunk.trailingContextCount
            anchoredAtEnd = hunk.oldMissingNewlineAtEnd || hunk.newMissingNewlineAtEnd
        }

        /// The range of `oldLines` compared at `level`, nil when fuzz leaves nothing.
        func comparedRange(_ level: Level) -> Range<Int>? {
            let lead = min(level.fuzz, leadingContext)
            let trail = min(level.fuzz, trailingContext)
            guard lead + trail < oldLines.count else { return nil }
            return lead..<(oldLines.count - trail)
        }
    }

    /// The outcome of a search.
    enum Outcome {
        case found(start: Int, level: Level)
        case ambiguous(starts: [Int])
        case notFound
    }

    let file: TextLines
    private var exactHashes: [Int]?
    private var trimmedHashes: [Int]?
    /// Line ranges already taken by placed hunks; matches may not overlap them.
    private(set) var claimed: [Range<Int>] = []

    init(file: TextLines) {
        self.file = file
    }

    func claim(_ range: Range<Int>) {
        claimed.append(range)
    }

    /// Searches level by level; at each level the expected start wins, otherwise a
    /// unique match anywhere, otherwise the search is ambiguous.
    func locate(_ pattern: Pattern, expectedStart: Int, levels: [Level]) -> Outcome {
        for level in levels {
            guard let compared = pattern.comparedRange(level) else { continue }
            if isAllowed(start: expectedStart, pattern: pattern), matches(pattern, compared, at: expectedStart, level) {
                return .found(start: expectedStart, level: level)
            }
            let starts = allMatches(pattern, compared, level, nearest: expectedStart)
            if starts.count == 1 { return .found(start: starts[0], level: level) }
            if starts.count > 1 { return .ambiguous(starts: starts) }
        }
        return .notFound
    }

    /// The position (nearest `expectedStart` among the best) where most of the
    /// pattern's lines are equal, with the number of equal lines.
    func closestPartialMatch(_ pattern: Pattern, expectedStart: Int, ignoresWhitespace: Bool) -> (start: Int, equal: Int)? {
        let count = pattern.oldLines.count
        guard count > 0, file.count >= count else { return nil }
        let hashes = lineHashes(ignoresWhitespace)
        let patternHashes = pattern.oldLines.map { hash(ignoresWhitespace ? Bytes.trimmed($0[...]) : $0[...]) }
        var best: (start: Int, equal: Int)?
        for start in 0...(file.count - count) {
            var equal = 0
            for offset in 0..<count where hashes[start + offset] == patternHashes[offset] { equal += 1 }
            if let current = best {
                let closer = abs(start - expectedStart) < abs(current.start - expectedStart)
                if equal > current.equal || (equal == current.equal && closer) { best = (start, equal) }
            } else {
                best = (start, equal)
            }
        }
        return best
    }

    /// True when the file line at `fileIndex` equals `patternLine` at this strictness.
    func linesEqual(fileIndex: Int, _ patternLine: [UInt8], ignoresWhitespace: Bool) -> Bool {
        let content = file.content(fileIndex)
        if ignoresWhitespace { return Bytes.equal(Bytes.trimmed(content), Bytes.trimmed(patternLine[...])) }
        return Bytes.equal(Bytes.withoutTrailingCarriageReturn(content), patternLine[...])
    }

    private func isAllowed(start: Int, pattern: Pattern) -> Bool {
        let count = pattern.oldLines.count
        guard start >= 0, start + count <= file.count else { return false }
        if pattern.anchoredAtEnd, start + count != file.count { return false }
        return !claimed.contains { $0.overlaps(start..<(start + count)) }
    }

    private func matches(_ pattern: Pattern, _ compared: Range<Int>, at start: Int, _ level: Level) -> Bool {
        for offset in compared
        where !linesEqual(fileIndex: start + offset, pattern.oldLines[offset], ignoresWhitespace: level.ignoresWhitespace) {
            return false
        }
        return true
    }

    /// Every allowed start where the compared lines match, nearest `expected` first.
    private func allMatches(_ pattern: Pattern, _ compared: Range<Int>, _ level: Level, nearest expected: Int) -> [Int] {
        let count = pattern.oldLines.count
        guard file.count >= count else { return [] }
        let hashes = lineHashes(level.ignoresWhitespace)
        let patternHashes = pattern.oldLines[compared].map { hash(level.ignoresWhitespace ? Bytes.trimmed($0[...]) : $0[...]) }
        let firstHash = patternHashes[0]
        var found: [Int] = []
        hashes.withUnsafeBufferPointer { fileHashes in
            candidates: for start in 0...(file.count - count) where fileHashes[start + compared.lowerBound] == firstHash {
                for (offset, patternHash) in patternHashes.enumerated().dropFirst()
                where fileHashes[start + compared.lowerBound + offset] != patternHash {
                    continue candidates
                }
                if isAllowed(start: start, pattern: pattern), matches(pattern, compared, at: start, level) {
                    found.append(start)
                }
            }
        }
        return found.sorted { (abs($0 - expected), $0) < (abs($1 - expected), $1) }
    }

    private func lineHashes(_ ignoresWhitespace: Bool) -> [Int] {
        if ignoresWhitespace {
            if let trimmedHashes { return trimmedHashes }
            let computed = (0..<file.count).map { hash(Bytes.trimmed(file.content($0))) }
            trimmedHashes = computed
            return computed
        }
        if let exactHashes { return exactHashes }
        let computed = (0..<file.count).map { hash(Bytes.withoutTrailingCarriageReturn(file.content($0))) }
        exactHashes = computed
        return computed
    }

    private func hash(_ bytes: ArraySlice<UInt8>) -> Int {
        var hasher = Hasher()
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        return hasher.finalize()
    }
}
