/// Reading one `@@` hunk: its header and its body, recounting the body when the
/// header's counts are wrong.
extension DiffScanner {
    /// The numbers and heading of a `@@ -a,b +c,d @@ heading` line.
    struct HunkHeader {
        var oldStart: Int
        var oldCount: Int
        var newStart: Int
        var newCount: Int
        var heading: String
    }

    /// What a body line is, judged by its first byte.
    private enum BodyLineKind {
        case context, removal, addition, noNewlineMarker, blank, other
    }

    /// Reads the hunk whose header is at `index` and moves `index` past its body.
    mutating func scanHunk(path: String) throws(DiffParseError) -> Hunk {
        let headerIndex = index
        let header = try hunkHeader(at: headerIndex, path: path)
        let bodyStart = headerIndex + 1
        let bodyEnd: Int
        if let end = countedBodyEnd(from: bodyStart, header: header) {
            bodyEnd = end
        } else {
            bodyEnd = try recountedBodyEnd(from: bodyStart, header: header, headerIndex: headerIndex, path: path)
        }
        index = bodyEnd
        return try makeHunk(header: header, body: bodyStart..<bodyEnd, headerIndex: headerIndex, path: path)
    }

    /// Parses `@@ -a[,b] +c[,d] @@[ heading]`. A missing closing `@@` is tolerated.
    func hunkHeader(at lineIndex: Int, path: String) throws(DiffParseError) -> HunkHeader {
        let range = lines.contents[lineIndex]
        let bytes = lines.bytes
        var position = range.lowerBound + 2
        let end = range.upperBound
        func fail() -> DiffParseError {
            DiffParseError(.malformedHunkHeader(lines.text(lineIndex)), line: lineIndex + 1, path: path)
        }
        func skipSpaces() {
            while position < end, bytes[position] == UInt8(ascii: " ") { position += 1 }
        }
        func number() -> Int? {
            var value = 0
            var digits = 0
            while position < end, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]), digits < 12 {
                value = value * 10 + Int(bytes[position] - UInt8(ascii: "0"))
                position += 1
                digits += 1
            }
            return digits > 0 ? value : nil
        }
        func rangeAfter(_ sign: UInt8) -> (start: Int, count: Int)? {
            skipSpaces()
            guard position < end, bytes[position] == sign else { return nil }
            position += 1
            guard let start = number() else { return nil }
            guard position < end, bytes[position] == UInt8(ascii: ",") else { return (start, 1) }
            position += 1
            guard let count = number() else { return nil }
            return (start, count)
        }
        guard let old = rangeAfter(UInt8(ascii: "-")), let new = rangeAfter(UInt8(ascii: "+")) else { throw fail() }
        skipSpaces()
        var heading = ""
        if position < end {
            guard position + 1 < end, bytes[position] == UInt8(ascii: "@"), bytes[position + 1] == UInt8(ascii: "@")
            else { throw fail() }
            position += 2
            if position < end, bytes[position] == UInt8(ascii: " ") { position += 1 }
            heading = String(decoding: bytes[position..<end], as: UTF8.self)
        }
        return HunkHeader(oldStart: old.start, oldCount: old.count, newStart: new.start, newCount: new.count, heading: heading)
    }

    private func bodyLineKind(_ lineIndex: Int) -> BodyLineKind {
        switch lines.firstByte(lineIndex) {
        case nil: return .blank
        case UInt8(ascii: " "): return .context
        case UInt8(ascii: "-"): return .removal
        case UInt8(ascii: "+"): return .addition
        case UInt8(ascii: "\\"): return .noNewlineMarker
        default: return .other
        }
    }

    /// True for lines that end a hunk body when its extent is being recounted:
    /// the next hunk or file, git's extended headers, or an e-mail signature.
    private func isStructural(_ lineIndex: Int) -> Bool {
        if lines.hasPrefix(lineIndex, Prefix.hunk) || lines.hasPrefix(lineIndex, Prefix.diff)
            || lines.hasPrefix(lineIndex, Prefix.index) || lines.hasPrefix(lineIndex, Prefix.binaryFiles)
            || lines.hasPrefix(lineIndex, Prefix.gitBinaryPatch) || isFileHeaderPair(at: lineIndex)
        {
            return true
        }
        return lines.content(lineIndex).elementsEqual(Prefix.signatureSeparator)
    }

    /// The end of the body when the header's counts describe it: every counted line
    /// is a body line and what follows is clearly not part of the hunk. Nil when
    /// the counts disagree with the body.
    private func countedBodyEnd(from start: Int, header: HunkHeader) -> Int? {
        var remainingOld = header.oldCount
        var remainingNew = header.newCount
        var position = start
        while remainingOld > 0 || remainingNew > 0 {
            guard position < lines.count else { return nil }
            switch bodyLineKind(position) {
            case .context, .blank:
                guard remainingOld > 0, remainingNew > 0 else { return nil }
                remainingOld -= 1
                remainingNew -= 1
            case .removal:
                guard remainingOld > 0 else { return nil }
                remainingOld -= 1
            case .addition:
                guard remainingNew > 0 else { return nil }
                remainingNew -= 1
            case .noNewlineMarker:
                break
            case .other:
                return nil
            }
            position += 1
        }
        while position < lines.count, bodyLineKind(position) == .noNewlineMarker { position += 1 }
        guard position < lines.count else { return position }
        switch bodyLineKind(position) {
        case .context, .removal, .addition:
            // More body lines follow: the header undercounts, unless the next line
            // starts the next file or is a signature.
            return isStructural(position) ? position : nil
        case .noNewlineMarker, .blank, .other:
            return position
        }
    }

    /// The end of the body found by reading body lines up to the next structural
    /// line or non-body line; trailing blank lines are left out.
    private func recountedBodyEnd(
        from start: Int, header: HunkHeader, headerIndex: Int, path: String
    ) throws(DiffParseError) -> Int {
        var position = start
        var end = start
        scan: while position < lines.count, !isStructural(position) {
            switch bodyLineKind(position) {
            case .blank:
                position += 1
            case .context, .removal, .addition, .noNewlineMarker:
                position += 1
                end = position
            case .other:
                break scan
            }
        }
        guard end > start else { throw DiffParseError(.emptyHunk, line: headerIndex + 1, path: path) }
        var foundOld = 0
        var foundNew = 0
        var changes = 0
        for lineIndex in start..<end {
            switch bodyLineKind(lineIndex) {
            case .context, .blank: foundOld += 1; foundNew += 1
            case .removal: foundOld += 1; changes += 1
            case .addition: foundNew += 1; changes += 1
            case .noNewlineMarker, .other: break
            }
        }
        if changes == 0 {
            let mismatch = DiffParseError.Reason.hunkBodyMismatch(
                expectedOld: header.oldCount, expectedNew: header.newCount, foundOld: foundOld, foundNew: foundNew)
            throw DiffParseError(mismatch, line: headerIndex + 1, path: path)
        }
        return end
    }

    /// Builds the hunk from its body lines, attaching `\ No newline` markers to the
    /// side(s) of the line they follow. Counts are those of the body.
    private func makeHunk(header: HunkHeader, body: Range<Int>, headerIndex: Int, path: String) throws(DiffParseError) -> Hunk {
        var hunkLines: [DiffLine] = []
        hunkLines.reserveCapacity(body.count)
        var oldMissingNewline = false
        var newMissingNewline = false
        for lineIndex in body {
            let content = lines.content(lineIndex)
            let text = { String(decoding: content.dropFirst(), as: UTF8.self) }
            switch bodyLineKind(lineIndex) {
            case .context: hunkLines.append(.context(text()))
            case .blank: hunkLines.append(.context(""))
            case .removal: hunkLines.append(.removal(text()))
            case .addition: hunkLines.append(.addition(text()))
            case .noNewlineMarker:
                switch hunkLines.last {
                case .context?: oldMissingNewline = true; newMissingNewline = true
                case .removal?: oldMissingNewline = true
                case .addition?: newMissingNewline = true
                case nil: throw DiffParseError(.misplacedNoNewlineMarker, line: lineIndex + 1, path: path)
                }
            case .other:
                break
            }
        }
        return Hunk(
            oldStart: header.oldStart,
            newStart: header.newStart,
            sectionHeading: header.heading,
            lines: hunkLines,
            oldMissingNewlineAtEnd: oldMissingNewline,
            newMissingNewlineAtEnd: newMissingNewline
        )
    }
}
