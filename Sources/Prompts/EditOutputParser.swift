/// Turns a model's answer into edits. Implementations cope with real model output
/// (prose, fences, CRLF, stray whitespace) and with answers cut short.
public protocol EditOutputParser: Sendable {
    /// A short description of the format the parser reads, used in errors
    /// ("a unified diff in a ```diff block").
    var formatDescription: String { get }

    /// Parses `output` against the current contents of the editable `files`.
    ///
    /// In `.partial` mode this must not throw: problems become warnings, an
    /// unfinished last edit is left out and `complete` is false.
    func parse(_ output: String, files: [EditableFile], mode: ParseMode) throws(EditParseError) -> ParsedEdits
}

extension EditOutputParser {
    /// Parses a finished answer.
    ///
    /// - Throws: `EditParseError` saying what is wrong and how to fix it, e.g.
    ///   when no edits are found or a block matches no or several places.
    public func parse(_ output: String, files: [EditableFile] = []) throws(EditParseError) -> ParsedEdits {
        try parse(output, files: files, mode: .final)
    }

    /// Parses an answer that is still streaming or was cut short: at any point the
    /// result holds the edits finished so far. Never throws.
    public func parse(partial output: String, files: [EditableFile] = []) -> ParsedEdits {
        do {
            return try parse(output, files: files, mode: .partial)
        } catch {
            return ParsedEdits(prose: error.prose, warnings: [error.description], complete: false)
        }
    }
}

extension EditOutputParser {
    /// Parses in `mode`, turning an error into a warning.
    func parse(partialOrFinal output: String, files: [EditableFile], mode: ParseMode) -> ParsedEdits {
        do {
            return try parse(output, files: files, mode: mode)
        } catch {
            return ParsedEdits(prose: error.prose, warnings: [error.description], complete: mode == .final)
        }
    }
}
