import Diffs

/// Reads unified diffs out of a model's answer: in ```diff, ```patch or bare
/// fences or unfenced, with prose around them, for several files, CRLF line
/// endings, wrong line numbers or counts (left to `PatchApplier`), trailing
/// whitespace, context lines that lost their leading space, context elided with
/// `...` (filled in from the file or split into separate hunks), hunks without
/// `---`/`+++` headers (named by the fence label,
/// a path line before them, or the only editable file), and answers cut short
/// (the unfinished last hunk is left out).
public struct UnifiedDiffOutputParser: EditOutputParser {
    /// When true, only diffs inside code blocks count and problems are warnings,
    /// never errors (for chat answers, where diffs are optional proposals).
    public var proposalsOnly: Bool

    /// Creates a parser.
    public init(proposalsOnly: Bool = false) {
        self.proposalsOnly = proposalsOnly
    }

    public var formatDescription: String {
        "a unified diff in a ```diff block: for each file a `--- a/PATH` and a `+++ b/PATH` line, "
            + "then `@@ -start,count +start,count @@` hunks whose lines start with ' ', '-' or '+'"
    }

    public func parse(_ output: String, files: [EditableFile], mode: ParseMode) throws(EditParseError) -> ParsedEdits {
        let lookup = FileLookup(files)
        let extraction = DiffExtraction(output: OutputLines(output, mode: mode), files: lookup, mode: mode,
                                        fencedOnly: proposalsOnly)
        let prose = extraction.prose
        let complete = !extraction.endsInsideEdit && !extraction.droppedUnfinished
        var warnings: [String] = []
        if extraction.droppedUnfinished {
            warnings.append("The answer ends inside a diff; its unfinished last hunk was left out.")
        }
        guard !extraction.segments.isEmpty else {
            if mode == .final, !proposalsOnly, complete {
                throw EditParseError(.noEdits(expectedFormat: formatDescription), prose: prose)
            }
            return ParsedEdits(prose: prose, warnings: warnings, complete: complete)
        }
        var patches: [FilePatch]
        do {
            patches = try UnifiedDiffParser().parse(extraction.joinedText)
        } catch {
            if mode == .final, !proposalsOnly { throw EditParseError(.unreadableDiff(error), prose: prose) }
            patches = []
            for segment in extraction.segments {
                do {
                    patches += try UnifiedDiffParser().parse(segment.text)
                } catch {
                    warnings.append("A diff was skipped: \(error.description)")
                }
            }
        }
        var repair = PatchRepair(files: lookup)
        patches = repair.repair(patches)
        warnings += repair.warnings
        return ParsedEdits(filePatches: patches, prose: prose, warnings: warnings, complete: complete)
    }
}
