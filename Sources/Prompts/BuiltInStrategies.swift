extension PromptStrategy {
    /// `unified-diff@1`: edits as a unified diff; the default for edits.
    public static let unifiedDiff = builtIn(
        id: StrategyID(name: "unified-diff", version: 1), task: .edit,
        summary: "Asks for a unified diff of every file to change.",
        template: DefaultTemplates.unifiedDiff, required: [.prompt, .files], parser: UnifiedDiffOutputParser())

    /// `search-replace@1`: edits as aider-style SEARCH/REPLACE blocks.
    public static let searchReplace = builtIn(
        id: StrategyID(name: "search-replace", version: 1), task: .edit,
        summary: "Asks for SEARCH/REPLACE blocks quoting the lines to change.",
        template: DefaultTemplates.searchReplace, required: [.prompt, .files], parser: SearchReplaceOutputParser())

    /// `whole-file@1`: the complete new content of each changed file; only for
    /// files up to 400 lines and 24 KB.
    public static let wholeFile = builtIn(
        id: StrategyID(name: "whole-file", version: 1), task: .edit,
        summary: "Asks for the complete new content of each changed file (small files only).",
        template: DefaultTemplates.wholeFile, required: [.prompt, .files], parser: WholeFileOutputParser(),
        limit: FileSizeLimit(lines: 400, bytes: 24_000))

    /// `chat@1`: a Markdown answer whose diffs are proposals; the default for chat.
    public static let chat = builtIn(
        id: StrategyID(name: "chat", version: 1), task: .chat,
        summary: "Asks for a Markdown answer; diffs in it are proposed edits.",
        template: DefaultTemplates.chat, required: [.prompt], parser: ChatOutputParser())

    /// The built-in strategies.
    public static let builtIns: [PromptStrategy] = [unifiedDiff, searchReplace, wholeFile, chat]

    private static func builtIn(
        id: StrategyID, task: PromptTask, summary: String, template: String, required: Set<TemplatePlaceholder>,
        parser: any EditOutputParser, limit: FileSizeLimit? = nil
    ) -> PromptStrategy {
        do {
            return try PromptStrategy(id: id, task: task, summary: summary, defaultTemplate: template,
                                      fileSizeLimit: limit, requiredPlaceholders: required, parser: parser)
        } catch {
            preconditionFailure("The built-in template of \(id) is invalid: \(error)")
        }
    }
}
