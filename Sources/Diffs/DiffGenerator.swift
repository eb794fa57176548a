/// Computes the hunks that turn one text into another, using the standard
/// library's `difference(from:)` over lines.
enum DiffGenerator {
    /// A line compared byte for byte; a last line without terminator differs from
    /// the same text with one, as in git.
    private struct LineKey: Equatable {
        let bytes: ArraySlice<UInt8>
        let terminated: Bool

        static func == (lhs: LineKey, rhs: LineKey) -> Bool {
            lhs.terminated == rhs.terminated && Bytes.equal(lhs.bytes, rhs.bytes)
        }
    }

    /// One step of the edit script.
    private enum Operation {
        case equal(old: Int, new: Int)
        case delete(old: Int)
        case insert(new: Int)

        var isChange: Bool {
            if case .equal = self { return false }
            return true
        }

        var isOldLine: Bool {
            if case .insert = self { return false }
            return true
        }

        var isNewLine: Bool {
            if case .delete = self { return false }
            return true
        }
    }

    /// Hunks with `contextLines` lines of context, merged when their contexts touch.
    /// Carriage returns stay part of line content, so CRLF texts diff like git does.
    static func hunks(oldText: String, newText: String, contextLines: Int) -> [Hunk] {
        let old = TextLines(oldText, separatingCarriageReturns: false)
        let new = TextLines(newText, separatingCarriageReturns: false)
        let operations = editScript(old: old, new: new)
        let changes = operations.indices.filter { operations[$0].isChange }
        guard !changes.isEmpty else { return [] }
        let context = max(0, contextLines)

        var groups: [ClosedRange<Int>] = []
        for change in changes {
            if let last = groups.last, change - last.upperBound - 1 <= 2 * context {
                groups[groups.count - 1] = last.lowerBound...change
            } else {
                groups.append(change...change)
            }
        }

        // Old and new line counts before each operation, for the hunk headers.
        var oldBefore = [Int](repeating: 0, count: operations.count + 1)
        var newBefore = [Int](repeating: 0, count: operations.count + 1)
        for (position, operation) in operations.enumerated() {
            oldBefore[position + 1] = oldBefore[position] + (operation.isOldLine ? 1 : 0)
            newBefore[position + 1] = newBefore[position] + (operation.isNewLine ? 1 : 0)
        }

        return groups.map { group in
            let from = max(0, group.lowerBound - context)
            let to = min(operations.count, group.upperBound + context + 1)
            var lines: [DiffLine] = []
            var oldMissingNewline = false
            var newMissingNewline = false
            for operation in operations[from..<to] {
                switch operation {
                case .equal(let oldIndex, let newIndex):
                    lines.append(.context(old.text(oldIndex)))
                    if oldIndex == old.count - 1, !old.endsWithNewline { oldMissingNewline = true }
                    if newIndex == new.count - 1, !new.endsWithNewline { newMissingNewline = true }
                case .delete(let oldIndex):
                    lines.append(.removal(old.text(oldIndex)))
                    if oldIndex == old.count - 1, !old.endsWithNewline { oldMissingNewline = true }
                case .insert(let newIndex):
                    lines.append(.addition(new.text(newIndex)))
                    if newIndex == new.count - 1, !new.endsWithNewline { newMissingNewline = true }
                }
            }
            let oldCount = oldBefore[to] - oldBefore[from]
            let newCount = newBefore[to] - newBefore[from]
            return Hunk(
                oldStart: oldCount == 0 ? oldBefore[from] : oldBefore[from] + 1,
                oldCount: oldCount,
                newStart: newCount == 0 ? newBefore[from] : newBefore[from] + 1,
                newCount: newCount,
                lines: lines,
                oldMissingNewlineAtEnd: oldMissingNewline,
                newMissingNewlineAtEnd: newMissingNewline)
        }
    }

    /// Fraction of lines the two texts share, as git's `similarity index` percentage.
    static func similarity(oldText: String, newText: String) -> Int {
        let old = keys(TextLines(oldText, separatingCarriageReturns: false))
        let new = keys(TextLines(newText, separatingCarriageReturns: false))
        guard !old.isEmpty || !new.isEmpty else { return 100 }
        let difference = new.difference(from: old)
        let common = old.count - difference.removals.count
        return (200 * common) / (old.count + new.count)
    }

    private static func keys(_ lines: TextLines) -> [LineKey] {
        (0..<lines.count).map { LineKey(bytes: lines.content($0), terminated: lines.terminators[$0] != .none) }
    }

    /// Removals before insertions inside each changed region, as git orders them.
    private static func editScript(old: TextLines, new: TextLines) -> [Operation] {
        let oldKeys = keys(old)
        let newKeys = keys(new)
        let difference = newKeys.difference(from: oldKeys)
        var removed = [Bool](repeating: false, count: oldKeys.count)
        var inserted = [Bool](repeating: false, count: newKeys.count)
        for change in difference {
            switch change {
            case .remove(let offset, _, _): removed[offset] = true
            case .insert(let offset, _, _): inserted[offset] = true
            }
        }
        var operations: [Operation] = []
        operations.reserveCapacity(oldKeys.count + newKeys.count)
        var oldIndex = 0
        var newIndex = 0
        while oldIndex < oldKeys.count || newIndex < newKeys.count {
            if oldIndex < oldKeys.count, removed[oldIndex] {
                operations.append(.delete(old: oldIndex))
                oldIndex += 1
            } else if newIndex < newKeys.count, inserted[newIndex] {
                operations.append(.insert(new: newIndex))
                newIndex += 1
            } else {
                operations.append(.equal(old: oldIndex, new: newIndex))
                oldIndex += 1
                newIndex += 1
            }
        }
        return operations
    }
}
