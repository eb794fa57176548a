/// The editable files of a request, looked up by the paths a model writes, which
/// may carry `./`, `a/`, an absolute prefix or decorations.
struct FileLookup {
    private let files: [EditableFile]
    private let byPath: [String: Int]

    init(_ files: [EditableFile]) {
        self.files = files
        var byPath: [String: Int] = [:]
        for (index, file) in files.enumerated() where byPath[file.path] == nil {
            byPath[file.path] = index
        }
        self.byPath = byPath
    }

    /// Every editable file.
    var all: [EditableFile] { files }

    /// The only editable file, when there is exactly one.
    var soleFile: EditableFile? { files.count == 1 ? files[0] : nil }

    /// The editable file `written` refers to, if any: exact path, then without
    /// `./`, then the one file whose path ends the written one or is ended by it.
    func file(_ written: String) -> EditableFile? {
        let path = Self.cleaned(written)
        if let index = byPath[path] { return files[index] }
        var candidate = path
        while candidate.hasPrefix("./") { candidate.removeFirst(2) }
        if let index = byPath[candidate] { return files[index] }
        guard !candidate.isEmpty else { return nil }
        let matches = files.filter {
            $0.path.hasSuffix("/" + candidate) || candidate.hasSuffix("/" + $0.path)
        }
        return matches.count == 1 ? matches[0] : nil
    }

    /// The path to use for `written`: the matching editable file's path, or the
    /// written path cleaned of decorations.
    func canonicalPath(_ written: String) -> String {
        if let file = file(written) { return file.path }
        var path = Self.cleaned(written)
        while path.hasPrefix("./") { path.removeFirst(2) }
        return path
    }

    /// `text` without surrounding whitespace, backticks, quotes and bold markers.
    static func cleaned(_ text: some StringProtocol) -> String {
        var value = LineSplitter.trimmed(text)
        let wrappers: [(String, String)] = [("**", "**"), ("__", "__"), ("`", "`"), ("\"", "\""), ("'", "'"), ("*", "*")]
        var changed = true
        while changed {
            changed = false
            for (open, close) in wrappers
            where value.count >= open.count + close.count + 1 && value.hasPrefix(open) && value.hasSuffix(close) {
                value = LineSplitter.trimmed(value.dropFirst(open.count).dropLast(close.count))
                changed = true
            }
        }
        return value
    }
}
