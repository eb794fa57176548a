/// A fenced code block in a Markdown answer.
struct FencedBlock {
    /// Index of the opening fence line.
    var openLine: Int
    /// Index of the closing fence line; nil when the answer ended inside the block.
    var closeLine: Int?
    /// The info string after the opening fence, trimmed (`swift path=App.swift`).
    var info: String
    /// The indices of the lines between the fences.
    var content: Range<Int>

    /// True when the answer ended before the closing fence.
    var isOpen: Bool { closeLine == nil }

    /// The first word of the info string, lowercased (`diff`, `swift`), if any.
    var language: String? {
        guard let word = info.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "{" }).first else { return nil }
        return word.lowercased()
    }

    /// Every line the block occupies, fences included.
    var lineRange: Range<Int> { openLine..<((closeLine ?? (content.upperBound - 1)) + 1) }
}

/// Finding fenced code blocks the way Markdown renderers do, with one rule that
/// suits model output better: a closing fence may not be indented more than its
/// opening fence, so a diff's context line `" ```"` does not end a diff block.
enum MarkdownFences {
    /// An opening fence: its indentation, fence character, length and info string.
    struct Fence {
        var indent: Int
        var character: Character
        var length: Int
        var info: String
    }

    /// The fence a line opens, if it is a fence line at all.
    static func fence(_ line: String) -> Fence? {
        var indent = 0
        var index = line.startIndex
        while index < line.endIndex, line[index] == " " {
            indent += 1
            index = line.index(after: index)
        }
        guard indent <= 8, index < line.endIndex, line[index] == "`" || line[index] == "~" else { return nil }
        let character = line[index]
        var length = 0
        while index < line.endIndex, line[index] == character {
            length += 1
            index = line.index(after: index)
        }
        guard length >= 3 else { return nil }
        let info = LineSplitter.trimmed(line[index...])
        if character == "`", info.contains("`") { return nil }
        return Fence(indent: indent, character: character, length: length, info: info)
    }

    /// True when `line` closes a block opened by `opening`.
    static func closes(_ line: String, _ opening: Fence) -> Bool {
        guard let fence = fence(line) else { return false }
        return fence.character == opening.character && fence.length >= opening.length && fence.info.isEmpty
            && fence.indent <= opening.indent
    }

    /// The fenced blocks of `lines`, in order. Blocks do not nest; the last one is
    /// open when the text ends inside it.
    static func blocks(in lines: [String]) -> [FencedBlock] {
        var blocks: [FencedBlock] = []
        var index = 0
        while index < lines.count {
            guard let opening = fence(lines[index]) else {
                index += 1
                continue
            }
            var close: Int?
            var cursor = index + 1
            while cursor < lines.count {
                if closes(lines[cursor], opening) {
                    close = cursor
                    break
                }
                cursor += 1
            }
            let contentEnd = close ?? lines.count
            blocks.append(FencedBlock(
                openLine: index, closeLine: close, info: opening.info, content: (index + 1)..<contentEnd))
            index = contentEnd + 1
        }
        return blocks
    }
}
