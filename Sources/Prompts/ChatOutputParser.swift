/// Reads a chat answer: the Markdown text is the answer itself, and any unified
/// diffs in code blocks or SEARCH/REPLACE blocks in it become proposed edits.
/// Proposals that cannot be read or matched become warnings; a chat answer never
/// fails to parse.
public struct ChatOutputParser: EditOutputParser {
    /// Creates a parser.
    public init() {}

    public var formatDescription: String { "a Markdown answer" }

    public func parse(_ output: String, files: [EditableFile], mode: ParseMode) throws(EditParseError) -> ParsedEdits {
        let lines = OutputLines(output, mode: mode)
        var answer = lines.lines
        while let first = answer.first, LineSplitter.isBlank(first) { answer.removeFirst() }
        while let last = answer.last, LineSplitter.isBlank(last) { answer.removeLast() }
        var result = ParsedEdits(prose: answer.joined(separator: "\n"))
        let diffs = UnifiedDiffOutputParser(proposalsOnly: true).parse(partialOrFinal: output, files: files, mode: mode)
        result.filePatches = diffs.filePatches
        result.warnings = diffs.warnings
        result.complete = diffs.complete
        if lines.lines.contains(where: SearchReplaceScan.isSearchMarker) {
            let blocks = SearchReplaceOutputParser(proposalsOnly: true)
                .parse(partialOrFinal: output, files: files, mode: mode)
            result.filePatches += blocks.filePatches
            result.warnings += blocks.warnings
            result.complete = result.complete && blocks.complete
        }
        return result
    }
}
