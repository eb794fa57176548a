/// Recognizing the lines and fence labels with which models name the file an
/// edit block belongs to.
enum PathHints {
    /// The path a line names: the line itself when it is essentially a path, or
    /// the one backticked editable path mentioned in it.
    static func path(inLine line: String, files: FileLookup) -> String? {
        pathLine(line, files: files) ?? mentionedPath(in: line, files: files)
    }

    /// The path when the line is essentially just one: `Sources/App.swift`,
    /// `` `Sources/App.swift` ``, `**File: App.swift**`, `### Sources/App.swift:`.
    static func pathLine(_ line: String, files: FileLookup) -> String? {
        var text = LineSplitter.trimmed(line)
        guard !text.isEmpty, text.count <= 300 else { return nil }
        text = FileLookup.cleaned(text.drop { $0 == "#" })
        text = withoutListMarker(text)
        for label in ["file:", "filename:", "path:", "file path:", "new file:"] where text.lowercased().hasPrefix(label) {
            text = FileLookup.cleaned(text.dropFirst(label.count))
        }
        if text.hasSuffix(":") { text = FileLookup.cleaned(text.dropLast()) }
        if let file = files.file(text) { return file.path }
        return looksLikePath(text) ? text : nil
    }

    /// `text` without a leading `- `, `* `, `+ ` or `1. ` list marker.
    private static func withoutListMarker(_ text: String) -> String {
        for marker in ["- ", "* ", "+ "] where text.hasPrefix(marker) {
            return FileLookup.cleaned(text.dropFirst(2))
        }
        let digits = text.prefix { $0.isNumber }
        if !digits.isEmpty, text.dropFirst(digits.count).hasPrefix(". ") {
            return FileLookup.cleaned(text.dropFirst(digits.count + 2))
        }
        return text
    }

    /// The path in a fence's info string: `path=…`, `file=…`, `filename=…`,
    /// `title="…"`, `lang:path`, or a word that looks like a path.
    static func path(inFenceInfo info: String, files: FileLookup) -> String? {
        let words = info.split(whereSeparator: { $0 == " " || $0 == "\t" })
        for word in words {
            for key in ["path=", "file=", "filename=", "title=", "name="] where word.lowercased().hasPrefix(key) {
                let value = FileLookup.cleaned(word.dropFirst(key.count))
                if !value.isEmpty { return files.file(value)?.path ?? value }
            }
        }
        for word in words {
            var candidate = String(word)
            if let colon = candidate.firstIndex(of: ":"), !candidate.contains("://") {
                candidate = String(candidate[candidate.index(after: colon)...])
            }
            candidate = FileLookup.cleaned(candidate)
            if let file = files.file(candidate), !candidate.isEmpty { return file.path }
            if looksLikePath(candidate) { return candidate }
        }
        return nil
    }

    /// True for a single token with a directory separator or a file extension.
    static func looksLikePath(_ text: String) -> Bool {
        guard !text.isEmpty, text.count <= 260, !text.contains("://"), !text.hasSuffix("."), !text.hasSuffix("/"),
            !text.unicodeScalars.contains(where: { $0.properties.isWhitespace }),
            !text.contains(where: { "<>|(){}[]=;,!?\"'`*".contains($0) })
        else { return false }
        let name = text.split(separator: "/").last.map(String.init) ?? text
        if let dot = name.lastIndex(of: "."), dot != name.startIndex {
            let ext = name[name.index(after: dot)...]
            return !ext.isEmpty && ext.count <= 12 && ext.contains(where: \.isLetter)
                && ext.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
        }
        return text.contains("/") && name.contains(where: \.isLetter) && !text.hasPrefix("/")
            && ["Makefile", "Dockerfile", "Gemfile", "Podfile", "Rakefile", "Procfile", "LICENSE"].contains(name)
    }

    /// The one editable file `line` mentions: in backticks, or else as a plain
    /// word (trailing punctuation ignored).
    static func mentionedPath(in line: String, files: FileLookup) -> String? {
        let pieces = line.split(separator: "`", omittingEmptySubsequences: false)
        var found: Set<String> = []
        for index in stride(from: 1, to: pieces.count - 1, by: 2) {
            if let file = files.file(String(pieces[index])) { found.insert(file.path) }
        }
        if found.isEmpty {
            for word in line.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
                let token = FileLookup.cleaned(word.trimmingSuffix(while: { ":,;.!?)".contains($0) }))
                if token.contains("."), let file = files.file(token) { found.insert(file.path) }
            }
        }
        return found.count == 1 ? found.first : nil
    }
}

extension Substring {
    /// The substring without trailing characters matching `predicate`.
    func trimmingSuffix(while predicate: (Character) -> Bool) -> Substring {
        var end = endIndex
        while end > startIndex, predicate(self[index(before: end)]) { end = index(before: end) }
        return self[startIndex..<end]
    }
}
