/// A named, versioned way of asking a model for edits: a template that renders
/// the messages and a parser that reads the answer.
///
/// ```swift
/// let strategy = registry.defaultStrategy(for: .edit)
/// let messages = try strategy.messages(for: input)
/// // … stream the answer, previewing with strategy.parse(partial: soFar, files: input.files) …
/// let edits = try strategy.parse(answer, files: input.files)
/// ```
public struct PromptStrategy: Sendable {
    /// The strategy's `name@version`.
    public let id: StrategyID
    /// The task the strategy serves.
    public let task: PromptTask
    /// One sentence on what the strategy asks the model for.
    public let summary: String
    /// The largest file the strategy takes, when it has a limit (whole-file
    /// rewriting gets slow and lossy for big files).
    public let fileSizeLimit: FileSizeLimit?
    /// Placeholders every template of the strategy must use.
    public let requiredPlaceholders: Set<TemplatePlaceholder>
    /// The template shipped with the strategy.
    public let defaultTemplate: PromptTemplate
    /// The template in use: the default or a user's override.
    public private(set) var template: PromptTemplate
    /// Reads the model's answer.
    public let parser: any EditOutputParser

    /// Creates a strategy.
    ///
    /// - Throws: `PromptTemplateError` when `defaultTemplate` is malformed or lacks
    ///   a required placeholder.
    public init(
        id: StrategyID, task: PromptTask, summary: String, defaultTemplate: String,
        fileSizeLimit: FileSizeLimit? = nil, requiredPlaceholders: Set<TemplatePlaceholder> = [.prompt],
        parser: any EditOutputParser
    ) throws(PromptTemplateError) {
        let template = try PromptTemplate(text: defaultTemplate, source: "built-in \(id)")
        try Self.check(template, requires: requiredPlaceholders)
        self.id = id
        self.task = task
        self.summary = summary
        self.fileSizeLimit = fileSizeLimit
        self.requiredPlaceholders = requiredPlaceholders
        self.defaultTemplate = template
        self.template = template
        self.parser = parser
    }

    /// Uses `template` instead of the current one.
    ///
    /// - Throws: `PromptTemplateError` when the template lacks a placeholder the
    ///   strategy needs.
    public mutating func useTemplate(_ template: PromptTemplate) throws(PromptTemplateError) {
        try Self.check(template, requires: requiredPlaceholders)
        self.template = template
    }

    private static func check(_ template: PromptTemplate, requires required: Set<TemplatePlaceholder>)
        throws(PromptTemplateError)
    {
        let used = template.placeholders
        if let missing = required.sorted(by: { $0.rawValue < $1.rawValue }).first(where: { !used.contains($0) }) {
            throw PromptTemplateError(source: template.source, reason: .missingPlaceholder(missing.rawValue))
        }
    }

    /// The messages for `input`, stable ones first.
    ///
    /// - Throws: `PromptError` when the request is empty or a file exceeds the
    ///   strategy's size limit.
    public func messages(for input: PromptInput) throws(PromptError) -> [PromptMessage] {
        if LineSplitter.isBlank(input.prompt), input.repairNote == nil {
            throw PromptError(strategy: id, reason: .emptyPrompt)
        }
        if let limit = fileSizeLimit {
            for file in input.files where !limit.admits(file.text) {
                let reason = PromptError.Reason.fileTooLarge(
                    path: file.path, lines: LineSplitter.lineCount(file.text), bytes: file.text.utf8.count, limit: limit)
                throw PromptError(strategy: id, reason: reason)
            }
        }
        return template.render(PromptSections.values(for: input, strategy: id, fileSizeLimit: fileSizeLimit))
    }

    /// True when every file is within the strategy's size limit.
    public func admits(_ files: [EditableFile]) -> Bool {
        guard let limit = fileSizeLimit else { return true }
        return files.allSatisfy { limit.admits($0.text) }
    }

    /// Parses a finished answer against the current `files`.
    ///
    /// - Throws: `EditParseError` saying what is wrong and how to fix it.
    public func parse(_ output: String, files: [EditableFile]) throws(EditParseError) -> ParsedEdits {
        try parser.parse(output, files: files, mode: .final)
    }

    /// Parses an answer still streaming or cut short; never throws.
    public func parse(partial output: String, files: [EditableFile]) -> ParsedEdits {
        parser.parse(partial: output, files: files)
    }
}
