/// Building the patched text and the line edits from placed hunks.
extension PatchApplier {
    func assemble(file: TextLines, placements: [Placement], path: String) -> PatchApplication {
        let lineEnding: TextLines.Terminator = file.dominantTerminator
        var output: [UInt8] = []
        output.reserveCapacity(file.bytes.count + 256)
        var edits: [LineEdit] = []
        var applications: [HunkApplication] = []
        var cursor = 0
        var finalNewline: Bool? = nil

        /// Bytes of the terminator that ends `output` (0 when the last line has none).
        var lastTerminatorLength = 0

        func appendLine(_ content: ArraySlice<UInt8>, terminator: [UInt8]) {
            if !output.isEmpty, lastTerminatorLength == 0 {
                // The previous line was the original's unterminated last line.
                output.append(contentsOf: lineEnding.bytes)
            }
            output.append(contentsOf: content)
            output.append(contentsOf: terminator)
            lastTerminatorLength = terminator.count
        }
        func copyOriginal(_ lineIndex: Int) {
            appendLine(file.bytes[file.contents[lineIndex]], terminator: file.terminators[lineIndex].bytes)
        }

        for placement in placements {
            while cursor < placement.start {
                copyOriginal(cursor)
                cursor += 1
            }
            var pendingEdit: LineEdit?
            func flushEdit() {
                if let edit = pendingEdit { edits.append(edit) }
                pendingEdit = nil
            }
            for line in placement.hunk.lines {
                switch line {
                case .context:
                    flushEdit()
                    copyOriginal(cursor)
                    cursor += 1
                case .removal:
                    if pendingEdit == nil { pendingEdit = LineEdit(startLine: cursor, replacedLineCount: 0, replacementLines: []) }
                    pendingEdit?.replacedLineCount += 1
                    cursor += 1
                case .addition(let text):
                    if pendingEdit == nil { pendingEdit = LineEdit(startLine: cursor, replacedLineCount: 0, replacementLines: []) }
                    let bytes = Array(text.utf8)
                    if bytes.last == 0x0D {
                        // The patch carries the file's own CR (a CRLF file diffed by git).
                        appendLine(bytes[...], terminator: [0x0A])
                        pendingEdit?.replacementLines.append(String(decoding: bytes.dropLast(), as: UTF8.self))
                    } else {
                        appendLine(bytes[...], terminator: lineEnding.bytes)
                        pendingEdit?.replacementLines.append(text)
                    }
                }
            }
            flushEdit()
            if cursor == file.count {
                finalNewline = !placement.hunk.newMissingNewlineAtEnd
            }
            let statedLine = placement.hunk.oldStart
            let appliedLine = placement.hunk.lines.contains(where: \.isInOldFile) ? placement.start + 1 : placement.start
            applications.append(HunkApplication(
                hunkIndex: placement.hunkIndex, header: placement.hunk.headerLine, appliedLine: appliedLine,
                offset: appliedLine - statedLine, fuzz: placement.level.fuzz,
                ignoredWhitespace: placement.level.ignoresWhitespace))
        }
        while cursor < file.count {
            copyOriginal(cursor)
            cursor += 1
        }
        if let finalNewline, !output.isEmpty {
            if finalNewline, lastTerminatorLength == 0 {
                output.append(contentsOf: lineEnding.bytes)
            } else if !finalNewline, lastTerminatorLength > 0 {
                output.removeLast(lastTerminatorLength)
            }
        }
        applications.sort { $0.hunkIndex < $1.hunkIndex }
        edits = Self.mergingTouchingEdits(edits)
        return PatchApplication(
            path: path,
            newText: String(decoding: output, as: UTF8.self),
            hunks: applications,
            edits: edits,
            endsWithNewline: output.isEmpty || output.last == 0x0A,
            lineEnding: lineEnding == .carriageReturnLineFeed ? .carriageReturnLineFeed : .lineFeed)
    }

    /// Joins edits where one ends at the line the next starts (an insertion right
    /// before a replacement from another hunk), so no two edits touch.
    static func mergingTouchingEdits(_ edits: [LineEdit]) -> [LineEdit] {
        var merged: [LineEdit] = []
        for edit in edits {
            if let last = merged.last, last.startLine + last.replacedLineCount == edit.startLine {
                merged[merged.count - 1].replacedLineCount += edit.replacedLineCount
                merged[merged.count - 1].replacementLines += edit.replacementLines
            } else {
                merged.append(edit)
            }
        }
        return merged
    }
}
