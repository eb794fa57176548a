/// One `@@ -oldStart,oldCount +newStart,newCount @@` section of a file patch.
///
/// Line numbers are 1-based as in the diff text. A side with a count of zero
/// (an insertion into, or a deletion leaving, no lines) has a start equal to the
/// number of the line *before* the hunk, as `diff` and `git` write it.
public struct Hunk: Sendable, Hashable {
    /// First line of the hunk in the old file (1-based), as the header states it.
    public var oldStart: Int
    /// Number of old-file lines the hunk covers (context + removals).
    public var oldCount: Int
    /// First line of the hunk in the new file (1-based), as the header states it.
    public var newStart: Int
    /// Number of new-file lines the hunk covers (context + additions).
    public var newCount: Int
    /// The text after the closing `@@` (git's function-context heading), without
    /// the separating space; empty when there is none.
    public var sectionHeading: String
    /// The body lines in order.
    public var lines: [DiffLine]
    /// True when the old side's last line has no newline (a `\ No newline at end
    /// of file` marker followed a context or removal line).
    public var oldMissingNewlineAtEnd: Bool
    /// True when the new side's last line has no newline (a `\ No newline at end
    /// of file` marker followed a context or addition line).
    public var newMissingNewlineAtEnd: Bool

    /// Creates a hunk. Counts default to the numbers of old-side and new-side lines in `lines`.
    public init(
        oldStart: Int,
        oldCount: Int? = nil,
        newStart: Int,
        newCount: Int? = nil,
        sectionHeading: String = "",
        lines: [DiffLine],
        oldMissingNewlineAtEnd: Bool = false,
        newMissingNewlineAtEnd: Bool = false
    ) {
        self.oldStart = oldStart
        self.oldCount = oldCount ?? lines.reduce(0) { $0 + ($1.isInOldFile ? 1 : 0) }
        self.newStart = newStart
        self.newCount = newCount ?? lines.reduce(0) { $0 + ($1.isInNewFile ? 1 : 0) }
        self.sectionHeading = sectionHeading
        self.lines = lines
        self.oldMissingNewlineAtEnd = oldMissingNewlineAtEnd
        self.newMissingNewlineAtEnd = newMissingNewlineAtEnd
    }

    /// The lines the old file must contain where the hunk applies (context and removals).
    public var oldLines: [String] { lines.compactMap { $0.isInOldFile ? $0.text : nil } }

    /// The lines the new file contains in place of `oldLines` (context and additions).
    public var newLines: [String] { lines.compactMap { $0.isInNewFile ? $0.text : nil } }

    /// Number of context lines before the first removal or addition.
    public var leadingContextCount: Int { lines.prefix { $0.isContext }.count }

    /// Number of context lines after the last removal or addition.
    public var trailingContextCount: Int {
        if leadingContextCount == lines.count { return 0 }
        return lines.reversed().prefix { $0.isContext }.count
    }

    /// The `@@ -a,b +c,d @@ heading` line, written the way git writes it (a count of
    /// one is omitted).
    public var headerLine: String {
        func range(_ start: Int, _ count: Int) -> String {
            count == 1 ? "\(start)" : "\(start),\(count)"
        }
        let heading = sectionHeading.isEmpty ? "" : " " + sectionHeading
        return "@@ -\(range(oldStart, oldCount)) +\(range(newStart, newCount)) @@\(heading)"
    }
}
