import AidProtocol

/// The whole-line edits that turn one text into another: each replaces a run of lines of the
/// old text (from character 0 of its first line to character 0 of the line after it) with new
/// lines, so editors can apply them without caring about encodings. Ascending and
/// non-overlapping; applied last to first, they give the new text.
enum WholeLineEdits {
    static func edits(from old: String, to new: String) -> [TextEdit] {
        let oldLines = lines(of: old)
        let newLines = lines(of: new)
        let difference = newLines.difference(from: oldLines)
        var removed = Set<Int>()
        var inserted = Set<Int>()
        for change in difference {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): inserted.insert(offset)
            }
        }
        var edits: [TextEdit] = []
        var oldIndex = 0
        var newIndex = 0
        while oldIndex < oldLines.count || newIndex < newLines.count {
            let oldKept = oldIndex < oldLines.count && !removed.contains(oldIndex)
            let newKept = newIndex < newLines.count && !inserted.contains(newIndex)
            if oldKept && newKept {
                oldIndex += 1
                newIndex += 1
                continue
            }
            let start = oldIndex
            var text = ""
            var advanced = true
            while advanced {
                advanced = false
                while oldIndex < oldLines.count && removed.contains(oldIndex) {
                    oldIndex += 1
                    advanced = true
                }
                while newIndex < newLines.count && inserted.contains(newIndex) {
                    text += newLines[newIndex]
                    newIndex += 1
                    advanced = true
                }
            }
            if start == oldIndex && text.isEmpty { break }  // inconsistent script: nothing more to do
            edits.append(TextEdit(range: EditorRange(start: EditorPosition(line: start, character: 0),
                                                     end: EditorPosition(line: oldIndex, character: 0)),
                                  newText: text))
        }
        return edits
    }

    /// The lines of `text`, each with its terminator (the last one may have none).
    static func lines(of text: String) -> [Substring] {
        var lines: [Substring] = []
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(after: index)
            if text[index] == "\n" || text[index] == "\r\n" {
                lines.append(text[start..<next])
                start = next
            }
            index = next
        }
        if start < text.endIndex { lines.append(text[start...]) }
        return lines
    }
}
