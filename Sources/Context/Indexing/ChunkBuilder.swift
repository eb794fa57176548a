/// Cuts a file into retrieval chunks along its declarations.
///
/// Top-level declarations become one chunk each (with the doc comments and
/// attributes just above them); a declaration longer than
/// ``maximumLines`` is cut along its own members, recursively, and what
/// lies between members becomes "part" chunks; regions without structure
/// become line windows. Adjacent small chunks are then merged up to
/// ``mergeLines`` so that a type with many one-line members does not
/// become dozens of fragments.
struct ChunkBuilder: Sendable {
    /// Longest chunk before a declaration is split along its members.
    var maximumLines = 120
    /// Adjacent chunks are merged while the result stays this short.
    var mergeLines = 40
    /// Size of line windows for unstructured regions.
    var windowLines = 50

    /// Chunks covering every non-blank line of a file with `lineCount` lines.
    /// `isBlank` and `isLeadingTrivia` describe lines (1-based): trivia are
    /// comment and attribute lines that belong to the declaration below them.
    func chunks(lineCount: Int, symbols: [Symbol], isBlank: (Int) -> Bool,
                isLeadingTrivia: (Int) -> Bool) -> [Chunk] {
        guard lineCount > 0 else { return [] }
        let blocks = symbols.filter { $0.endLine > $0.line || $0.category != .value }
            .sorted { ($0.line, -$0.endLine) < ($1.line, -$1.endLine) }
        var output: [Chunk] = []
        cut(range: 1...lineCount, blocks: blocks[...], parent: nil, into: &output, isBlank: isBlank,
            isLeadingTrivia: isLeadingTrivia)
        return merge(output)
    }

    private func cut(range: ClosedRange<Int>, blocks: ArraySlice<Symbol>, parent: Symbol?, into output: inout [Chunk],
                     isBlank: (Int) -> Bool, isLeadingTrivia: (Int) -> Bool) {
        var cursor = range.lowerBound
        var index = blocks.startIndex
        while index < blocks.endIndex {
            let block = blocks[index]
            // Skip declarations nested in the previous one, and any starting before the cursor.
            guard block.line >= cursor, block.line <= range.upperBound else {
                index += 1
                continue
            }
            let end = min(block.endLine, range.upperBound)
            var start = block.line
            while start - 1 >= cursor, isLeadingTrivia(start - 1), !isBlank(start - 1) { start -= 1 }
            if start > cursor {
                windows(cursor...(start - 1), kind: parent == nil ? .window : .declarationPart,
                        symbol: parent?.qualifiedName, into: &output, isBlank: isBlank)
            }
            var next = index + 1
            while next < blocks.endIndex, blocks[next].line <= end { next += 1 }
            let children = blocks[(index + 1)..<next]
            if end - start + 1 <= maximumLines {
                output.append(Chunk(startLine: start, endLine: end, kind: .declaration, symbol: block.qualifiedName))
            } else if children.contains(where: { $0.line > block.line }) {
                // Header lines up to the first member belong to the block itself.
                cut(range: start...end, blocks: children.filter { $0.line > block.line }[...], parent: block,
                    into: &output, isBlank: isBlank, isLeadingTrivia: isLeadingTrivia)
            } else {
                windows(start...end, kind: .declarationPart, symbol: block.qualifiedName, into: &output, isBlank: isBlank)
            }
            cursor = end + 1
            index = next
        }
        if cursor <= range.upperBound {
            windows(cursor...range.upperBound, kind: parent == nil ? .window : .declarationPart,
                    symbol: parent?.qualifiedName, into: &output, isBlank: isBlank)
        }
    }

    /// Line windows over `range`, trimmed of blank edges; nothing for blank ranges.
    private func windows(_ range: ClosedRange<Int>, kind: ChunkKind, symbol: String?, into output: inout [Chunk],
                         isBlank: (Int) -> Bool) {
        var start = range.lowerBound, end = range.upperBound
        while start <= end, isBlank(start) { start += 1 }
        while end >= start, isBlank(end) { end -= 1 }
        guard start <= end else { return }
        var windowStart = start
        while windowStart <= end {
            let windowEnd = min(end, windowStart + windowLines - 1)
            output.append(Chunk(startLine: windowStart, endLine: windowEnd, kind: kind, symbol: symbol))
            windowStart = windowEnd + 1
        }
    }

    /// Merges neighbours while the combined span stays within ``mergeLines``.
    private func merge(_ chunks: [Chunk]) -> [Chunk] {
        var merged: [Chunk] = []
        merged.reserveCapacity(chunks.count)
        for chunk in chunks {
            if var last = merged.last, chunk.endLine - last.startLine + 1 <= mergeLines {
                if last.kind != chunk.kind { last.kind = last.kind == .window ? chunk.kind : last.kind }
                last.symbol = last.symbol ?? chunk.symbol
                last.endLine = chunk.endLine
                merged[merged.count - 1] = last
            } else {
                merged.append(chunk)
            }
        }
        return merged
    }
}
