/// Parses a streamed answer as it arrives, for live previews: append chunks and
/// get the edits finished so far, re-parsing only when a line was completed.
///
/// ```swift
/// var stream = StreamingEditParser(strategy: strategy, files: input.files)
/// for try await chunk in answer {
///     if let preview = stream.append(chunk) { show(preview) }
/// }
/// let edits = try stream.finish()
/// ```
public struct StreamingEditParser: Sendable {
    /// The parser used.
    public let parser: any EditOutputParser
    /// The files the edits apply to.
    public let files: [EditableFile]
    /// The answer received so far.
    public private(set) var text = ""
    /// The latest preview.
    public private(set) var latest = ParsedEdits(complete: false)

    /// A stream parser for `strategy`'s format.
    public init(strategy: PromptStrategy, files: [EditableFile]) {
        self.init(parser: strategy.parser, files: files)
    }

    /// A stream parser using `parser`.
    public init(parser: any EditOutputParser, files: [EditableFile]) {
        self.parser = parser
        self.files = files
    }

    /// Adds a chunk of the answer; returns a new preview when the chunk completed
    /// at least one line, nil otherwise (the last preview still holds).
    public mutating func append(_ chunk: String) -> ParsedEdits? {
        text += chunk
        guard chunk.utf8.contains(0x0A) else { return nil }
        latest = parser.parse(partial: text, files: files)
        return latest
    }

    /// Parses the whole answer once it has ended.
    ///
    /// - Throws: `EditParseError` as the parser's final parse does.
    public func finish() throws(EditParseError) -> ParsedEdits {
        try parser.parse(text, files: files, mode: .final)
    }

    /// Parses the answer received so far as one cut short (the stream failed or
    /// hit its length limit): unfinished edits are left out, `complete` is false
    /// when one was.
    public func finishTruncated() -> ParsedEdits {
        parser.parse(partial: text, files: files)
    }
}
