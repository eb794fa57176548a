/// Recognizing the lines with which models leave code out: `...`, `…`,
/// `// ...`, `# ... existing code ...`, `/* ... */`, `<!-- ... -->`,
/// `// rest of the file unchanged`.
enum ElisionMarker {
    private static let commentOpeners = ["<!--", "/*", "//", "--", "#", ";", "*", "%"]
    private static let commentClosers = ["-->", "*/"]
    private static let elisionPhrases = [
        "existing code", "unchanged", "rest of", "remaining", "omitted", "as before", "same as before",
        "previous code", "original code", "other code", "other methods", "other cases", "more code",
    ]

    /// True when `line` (without any diff prefix) stands for left-out lines.
    static func isElision(_ line: String) -> Bool {
        var text = LineSplitter.trimmed(line)
        guard !text.isEmpty, text.count <= 120 else { return false }
        var commented = false
        for opener in commentOpeners where text.hasPrefix(opener) {
            text = LineSplitter.trimmed(text.dropFirst(opener.count))
            commented = true
            break
        }
        for closer in commentClosers where text.hasSuffix(closer) {
            text = LineSplitter.trimmed(text.dropLast(closer.count))
        }
        if (text.hasPrefix("[") && text.hasSuffix("]")) || (text.hasPrefix("(") && text.hasSuffix(")")) {
            text = LineSplitter.trimmed(text.dropFirst().dropLast())
        }
        guard !text.isEmpty else { return false }
        let dots = leadingDots(text)
        if dots.count >= 3 || dots.hasPrefix("…") {
            let rest = text.dropFirst(dots.count)
            if rest.isEmpty { return true }
            // `...args` (a spread) is code; `... rest of file` is not.
            guard rest.first == " " else { return false }
            let words = LineSplitter.trimmed(rest)
            if trailingDots(words) { return true }
            return words.allSatisfy { $0.isLetter || $0.isNumber || $0 == " " || $0 == "-" || $0 == "'" || $0 == "," }
        }
        guard commented else { return false }
        let lowered = text.lowercased()
        return elisionPhrases.contains { lowered.contains($0) }
            && (trailingDots(text) || lowered.contains("unchanged") || lowered.contains("existing code"))
    }

    /// The run of `.` and `…` that starts `text`.
    private static func leadingDots(_ text: String) -> Substring {
        text.prefix { $0 == "." || $0 == "…" }
    }

    private static func trailingDots(_ text: String) -> Bool {
        text.hasSuffix("...") || text.hasSuffix("…")
    }
}
