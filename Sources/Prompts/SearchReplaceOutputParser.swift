import Diffs

/// Reads aider-style SEARCH/REPLACE blocks out of a model's answer:
///
/// ````text
/// Sources/App/main.swift
/// ```swift
/// <<<<<<< SEARCH
/// print(greeter.greet())
/// =======
/// print(greeter.welcome())
/// >>>>>>> REPLACE
/// ```
/// ````
///
/// Several blocks per file and several files, fenced or not, with the path on the
/// line before the block or fence, in the fence label, or omitted when there is
/// only one editable file. An empty SEARCH part creates a file (or appends to a
/// non-empty one). Each block is resolved against the current file text, exactly,
/// then ignoring trailing whitespace, then ignoring indentation; a block that
/// matches nowhere or in several places is an error naming it. The patches come
/// from `UnifiedDiffWriter.filePatch`.
public struct SearchReplaceOutputParser: EditOutputParser {
    /// When true, blocks that fail to resolve become warnings instead of errors
    /// and an answer without blocks is fine (chat proposals).
    public var proposalsOnly: Bool

    /// Creates a parser.
    public init(proposalsOnly: Bool = false) {
        self.proposalsOnly = proposalsOnly
    }

    public var formatDescription: String {
        "SEARCH/REPLACE blocks: the file's path alone on a line, then `<<<<<<< SEARCH`, the exact current lines, "
            + "`=======`, the new lines, `>>>>>>> REPLACE`"
    }

    public func parse(_ output: String, files: [EditableFile], mode: ParseMode) throws(EditParseError) -> ParsedEdits {
        let lookup = FileLookup(files)
        let scan = SearchReplaceScan(output: OutputLines(output, mode: mode), files: lookup)
        let prose = DiffExtraction.collapsedProse(scan.proseLines)
        var warnings: [String] = []
        if scan.endsInsideBlock {
            warnings.append("The answer ends inside a SEARCH/REPLACE block; that block was left out.")
        }
        var resolver = SearchReplaceResolver(files: lookup)
        resolver.resolve(scan.blocks)
        warnings += resolver.warnings
        let failures = (scan.malformed + resolver.failures).sorted { $0.blockNumber < $1.blockNumber }
        if mode == .final, !proposalsOnly {
            if !failures.isEmpty { throw EditParseError(.blocksFailed(failures), prose: prose) }
            if scan.blocks.isEmpty, !scan.endsInsideBlock {
                throw EditParseError(.noEdits(expectedFormat: formatDescription), prose: prose)
            }
        } else {
            warnings += failures.map(\.description)
        }
        return ParsedEdits(filePatches: resolver.patches, prose: prose, warnings: warnings, complete: !scan.endsInsideBlock)
    }
}
