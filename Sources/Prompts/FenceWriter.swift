/// Choosing a fence for text that goes into a prompt.
enum FenceWriter {
    /// A backtick fence longer than any backtick run at the start of a line of `text`.
    static func fence(for text: String) -> String {
        var longest = 0
        for line in LineSplitter.lines(text) {
            let run = line.drop { $0 == " " }.prefix { $0 == "`" }.count
            longest = max(longest, run)
        }
        return String(repeating: "`", count: max(3, longest + 1))
    }

    /// `text` in a fenced block labelled with the language of `path`.
    static func fenced(_ text: String, path: String?) -> String {
        let fence = fence(for: text)
        let language = path.map(languageTag(for:)) ?? ""
        var body = text
        if !body.isEmpty, !body.hasSuffix("\n") { body += "\n" }
        return "\(fence)\(language)\n\(body)\(fence)"
    }

    /// A Markdown language tag for a file name's extension, or "" when unknown.
    static func languageTag(for path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        let ext = name[name.index(after: dot)...].lowercased()
        let tags: [String: String] = [
            "swift": "swift", "py": "python", "js": "javascript", "mjs": "javascript", "ts": "typescript",
            "tsx": "tsx", "jsx": "jsx", "rs": "rust", "go": "go", "c": "c", "h": "c", "cc": "cpp", "cpp": "cpp",
            "hpp": "cpp", "m": "objectivec", "java": "java", "kt": "kotlin", "rb": "ruby", "md": "markdown",
            "json": "json", "yml": "yaml", "yaml": "yaml", "toml": "toml", "sh": "sh", "el": "elisp",
            "lua": "lua", "html": "html", "css": "css", "sql": "sql", "txt": "text",
        ]
        return tags[ext] ?? ext
    }
}
