/// Applies a `FilePatch` to a text in memory, much as GNU patch would: each hunk
/// is tried at its stated line (shifted by the offset the previous hunk needed),
/// then anywhere else, then with fuzz (ignoring up to `maximumFuzz` leading and
/// trailing context lines), and, when enabled, ignoring leading and trailing
/// whitespace. Away from the stated line a match must be unique at its level of
/// strictness: a hunk that matches equally well in several places is reported as
/// ambiguous with the candidate lines (nearest first), not guessed.
///
/// Line endings are preserved: untouched and context lines keep theirs, added
/// lines get the text's dominant ending (CRLF texts stay CRLF), and the final
/// newline is present or absent as the patch says.
public struct PatchApplier: Sendable {
    /// How tolerant matching is.
    public struct Options: Sendable, Hashable {
        /// How many leading and trailing context lines may differ (GNU patch's fuzz
        /// factor). Default 2.
        public var maximumFuzz: Int
        /// Also accept context and removed lines that differ only in leading
        /// (indentation) or trailing whitespace. Default false.
        public var ignoresWhitespace: Bool

        /// Creates options.
        public init(maximumFuzz: Int = 2, ignoresWhitespace: Bool = false) {
            self.maximumFuzz = max(0, maximumFuzz)
            self.ignoresWhitespace = ignoresWhitespace
        }
    }

    /// How tolerant matching is.
    public var options: Options

    /// Creates an applier.
    public init(options: Options = Options()) {
        self.options = options
    }

    /// Applies `patch` to `text`, the current content of its old file (empty for a
    /// file the patch creates).
    ///
    /// - Throws: `PatchApplyError` naming the file, the hunk and the lines when a
    ///   hunk matches nowhere or in several places, or the patch is binary.
    public func apply(_ patch: FilePatch, to text: String) throws(PatchApplyError) -> PatchApplication {
        if patch.isBinary {
            throw PatchApplyError(path: patch.displayPath, hunkCount: 0, reason: .binaryPatch)
        }
        let application = try apply(hunks: patch.hunks, to: text, path: patch.displayPath)
        if patch.kind == .delete, !application.newText.isEmpty {
            let remaining = TextLines(application.newText).count
            throw PatchApplyError(
                path: patch.displayPath, hunkCount: patch.hunks.count,
                reason: .deletionLeavesContent(remainingLineCount: remaining))
        }
        return application
    }

    /// Applies `hunks` to `text`; `path` is only used in results and errors.
    public func apply(hunks: [Hunk], to text: String, path: String) throws(PatchApplyError) -> PatchApplication {
        let file = TextLines(text)
        let locator = HunkLocator(file: file)
        let levels = searchLevels()
        // Hunks are placed in file order, whatever order the diff lists them in.
        let order = hunks.indices.sorted { (hunks[$0].oldStart, $0) < (hunks[$1].oldStart, $1) }
        var placements: [Placement] = []
        var cumulativeOffset = 0
        for hunkIndex in order {
            let hunk = hunks[hunkIndex]
            let stated = Self.statedStart(of: hunk)
            let placement = try place(
                hunk, index: hunkIndex, count: hunks.count, stated: stated,
                expected: stated + cumulativeOffset, locator: locator, levels: levels, path: path)
            cumulativeOffset = placement.start - stated
            locator.claim(placement.start..<(placement.start + hunk.lines.count { $0.isInOldFile }))
            placements.append(placement)
        }
        // An insertion without old lines at a hunk's first line goes before that hunk.
        placements.sort { ($0.start, $0.hunk.oldLines.isEmpty ? 0 : 1) < ($1.start, $1.hunk.oldLines.isEmpty ? 0 : 1) }
        return assemble(file: file, placements: placements, path: path)
    }

    /// A hunk with the place it applies at.
    struct Placement {
        var hunk: Hunk
        var hunkIndex: Int
        /// 0-based index of the first old line in the original text.
        var start: Int
        var level: HunkLocator.Level
    }

    /// 0-based index where the hunk's old lines start according to its header.
    static func statedStart(of hunk: Hunk) -> Int {
        hunk.lines.contains(where: \.isInOldFile) ? max(0, hunk.oldStart - 1) : max(0, hunk.oldStart)
    }

    private func searchLevels() -> [HunkLocator.Level] {
        var levels = (0...options.maximumFuzz).map { HunkLocator.Level(fuzz: $0, ignoresWhitespace: false) }
        if options.ignoresWhitespace {
            levels += (0...options.maximumFuzz).map { HunkLocator.Level(fuzz: $0, ignoresWhitespace: true) }
        }
        return levels
    }

    private func place(
        _ hunk: Hunk, index: Int, count: Int, stated: Int, expected: Int, locator: HunkLocator,
        levels: [HunkLocator.Level], path: String
    ) throws(PatchApplyError) -> Placement {
        func failure(_ reason: PatchApplyError.Reason) -> PatchApplyError {
            PatchApplyError(
                path: path, hunkIndex: index, hunkCount: count, hunkHeader: hunk.headerLine,
                statedLine: hunk.oldStart, reason: reason)
        }
        let pattern = HunkLocator.Pattern(hunk)
        if pattern.oldLines.isEmpty {
            // Nothing to match: insert where the header says.
            let fileCount = locator.file.count
            let start = pattern.anchoredAtEnd ? fileCount : stated
            guard start <= fileCount else { throw failure(.beyondEndOfFile(fileLineCount: fileCount)) }
            if let other = locator.claimed.first(where: { $0.lowerBound < start && start < $0.upperBound }) {
                throw failure(.insideAnotherHunk(otherHunkLines: (other.lowerBound + 1)...other.upperBound))
            }
            return Placement(hunk: hunk, hunkIndex: index, start: start, level: levels[0])
        }
        let clampedExpected = min(max(0, expected), locator.file.count)
        switch locator.locate(pattern, expectedStart: clampedExpected, levels: levels) {
        case .found(let start, let level):
            return Placement(hunk: hunk, hunkIndex: index, start: start, level: level)
        case .ambiguous(let starts):
            throw failure(.ambiguousContext(candidateLines: starts.map { $0 + 1 }))
        case .notFound:
            throw failure(.contextNotFound(closest: closestMatch(pattern, locator: locator, expected: clampedExpected)))
        }
    }

    private func closestMatch(_ pattern: HunkLocator.Pattern, locator: HunkLocator, expected: Int)
        -> PatchApplyError.ClosestMatch?
    {
        let ignoresWhitespace = options.ignoresWhitespace
        guard let (start, equal) = locator.closestPartialMatch(
            pattern, expectedStart: expected, ignoresWhitespace: ignoresWhitespace),
            equal > 0
        else { return nil }
        for (offset, line) in pattern.oldLines.enumerated()
        where !locator.linesEqual(fileIndex: start + offset, line, ignoresWhitespace: ignoresWhitespace) {
            return PatchApplyError.ClosestMatch(
                line: start + 1, equalLineCount: equal, lineCount: pattern.oldLines.count,
                firstDifferenceLine: start + offset + 1, expected: String(decoding: line, as: UTF8.self),
                found: String(decoding: Bytes.withoutTrailingCarriageReturn(locator.file.content(start + offset)), as: UTF8.self))
        }
        return nil
    }
}
