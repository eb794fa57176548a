/// Renders the parts of a `PromptInput` that templates insert through
/// placeholders, each as Markdown with its own heading.
enum PromptSections {
    /// The value of every placeholder for `input` under `strategy`.
    static func values(for input: PromptInput, strategy: StrategyID, fileSizeLimit: FileSizeLimit?)
        -> [TemplatePlaceholder: String]
    {
        var values: [TemplatePlaceholder: String] = [:]
        for placeholder in TemplatePlaceholder.allCases {
            values[placeholder] = value(placeholder, input: input, strategy: strategy, fileSizeLimit: fileSizeLimit)
        }
        return values
    }

    static func value(
        _ placeholder: TemplatePlaceholder, input: PromptInput, strategy: StrategyID, fileSizeLimit: FileSizeLimit?
    ) -> String {
        switch placeholder {
        case .instructions:
            guard let text = input.instructions.map(LineSplitter.trimmed), !text.isEmpty else { return "" }
            return "## Instructions from the user\n\n\(text)"
        case .context:
            return contextItems(input.contextItems.filter(\.stable), heading: "Project context")
        case .volatileContext:
            return contextItems(input.contextItems.filter { !$0.stable }, heading: "Related context")
        case .strategy:
            return strategy.description
        case .maxFileLines:
            return fileSizeLimit.map { String($0.lines) } ?? "unlimited"
        case .openBraces:
            return "{{"
        case .files:
            return files(input.files)
        case .fileList:
            return input.files.map { "- `\($0.path)`" }.joined(separator: "\n")
        case .cursor:
            return cursor(input.cursor, files: input.files)
        case .prompt:
            return LineSplitter.trimmed(input.prompt)
        case .repairNote:
            guard let note = input.repairNote.map(LineSplitter.trimmed), !note.isEmpty else { return "" }
            return "## Your previous answer could not be applied\n\n\(note)\n\n"
                + "Answer again with the complete corrected edit, made against the file contents shown above; "
                + "none of the previous answer was applied."
        }
    }

    private static func contextItems(_ items: [PromptContextItem], heading: String) -> String {
        guard !items.isEmpty else { return "" }
        var parts = ["## \(heading)"]
        for item in items {
            let path = item.path.map { " (`\($0)`)" } ?? ""
            parts.append("### \(item.title)\(path)\n\n" + FenceWriter.fenced(item.text, path: item.path))
        }
        return parts.joined(separator: "\n\n")
    }

    private static func files(_ files: [EditableFile]) -> String {
        guard !files.isEmpty else { return "" }
        var parts = ["## Files to edit (current content, possibly unsaved)"]
        for file in files {
            if file.text.isEmpty {
                parts.append("### `\(file.path)`\n\n(empty or new file)")
            } else {
                parts.append("### `\(file.path)`\n\n" + FenceWriter.fenced(file.text, path: file.path))
            }
        }
        return parts.joined(separator: "\n\n")
    }

    private static func cursor(_ cursor: CursorRegion?, files: [EditableFile]) -> String {
        guard let cursor else { return "" }
        let first = max(1, cursor.lines.lowerBound)
        let last = max(first, cursor.lines.upperBound)
        let span = first == last ? "line \(first)" : "lines \(first)-\(last)"
        var text = "## Cursor\n\nThe cursor is in `\(cursor.path)` at \(span)"
        guard let file = FileLookup(files).file(cursor.path) else { return text + "." }
        let lines = LineSplitter.lines(file.text)
        guard first <= lines.count else { return text + "." }
        let excerpt = lines[(first - 1)..<min(last, lines.count)].joined(separator: "\n")
        text += ", which reads:\n\n" + FenceWriter.fenced(excerpt, path: cursor.path)
        return text
    }
}
