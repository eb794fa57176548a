/// Writes unified diffs: generates them from two texts, and serializes parsed
/// `FilePatch` values back to the text `git diff` would print.
///
/// ```swift
/// let diff = UnifiedDiffWriter.unifiedDiff(oldText: before, newText: after,
///                                          oldPath: "Sources/App.swift", newPath: "Sources/App.swift")
/// ```
public enum UnifiedDiffWriter {
    /// A git-style diff (`diff --git`, `---`/`+++`, hunks, `\ No newline at end of
    /// file` where needed) that turns `oldText` into `newText`. Empty when the texts
    /// and paths are the same. The output applies with `PatchApplier` and `git apply`.
    public static func unifiedDiff(
        oldText: String, newText: String, oldPath: String, newPath: String, contextLines: Int = 3
    ) -> String {
        if oldPath == newPath, oldText.utf8.elementsEqual(newText.utf8) { return "" }
        return text(of: filePatch(oldText: oldText, newText: newText, oldPath: oldPath, newPath: newPath,
                                  contextLines: contextLines))
    }

    /// The `FilePatch` that turns `oldText` into `newText`. A nil `oldText` makes a
    /// creation, a nil `newText` a deletion, and different paths a rename.
    public static func filePatch(
        oldText: String?, newText: String?, oldPath: String, newPath: String, contextLines: Int = 3
    ) -> FilePatch {
        let hunks = DiffGenerator.hunks(oldText: oldText ?? "", newText: newText ?? "", contextLines: contextLines)
        switch (oldText, newText) {
        case (nil, _):
            return FilePatch(oldPath: nil, newPath: newPath, kind: .create, newMode: .regular, hunks: hunks)
        case (_, nil):
            return FilePatch(oldPath: oldPath, newPath: nil, kind: .delete, oldMode: .regular, hunks: hunks)
        case (let old?, let new?) where oldPath != newPath:
            return FilePatch(
                oldPath: oldPath, newPath: newPath, kind: .rename,
                similarity: DiffGenerator.similarity(oldText: old, newText: new), hunks: hunks)
        default:
            return FilePatch(oldPath: oldPath, newPath: newPath, kind: .modify, hunks: hunks)
        }
    }

    /// The diff text of several file patches, one after another.
    public static func text(of patches: [FilePatch]) -> String {
        patches.map { text(of: $0) }.joined()
    }

    /// The diff text of one file patch, in git's layout: `diff --git`, mode lines,
    /// similarity and rename/copy lines, `index`, `---`/`+++` and the hunks. A patch
    /// parsed from `git diff` output serializes back to the same bytes.
    public static func text(of patch: FilePatch) -> String {
        let oldName = patch.oldPath ?? patch.newPath ?? ""
        let newName = patch.newPath ?? patch.oldPath ?? ""
        var out = "diff --git \(GitPathQuoting.quotedIfNeeded("a/" + oldName)) \(GitPathQuoting.quotedIfNeeded("b/" + newName))\n"
        switch patch.kind {
        case .create:
            out += "new file mode \(patch.newMode ?? .regular)\n"
        case .delete:
            out += "deleted file mode \(patch.oldMode ?? .regular)\n"
        case .modify, .rename, .copy:
            if let oldMode = patch.oldMode, let newMode = patch.newMode, oldMode != newMode {
                out += "old mode \(oldMode)\nnew mode \(newMode)\n"
            }
        }
        if patch.kind == .rename || patch.kind == .copy, let similarity = patch.similarity {
            out += "similarity index \(similarity)%\n"
        }
        if patch.kind == .rename {
            out += "rename from \(GitPathQuoting.quotedIfNeeded(oldName))\nrename to \(GitPathQuoting.quotedIfNeeded(newName))\n"
        } else if patch.kind == .copy {
            out += "copy from \(GitPathQuoting.quotedIfNeeded(oldName))\ncopy to \(GitPathQuoting.quotedIfNeeded(newName))\n"
        }
        if let dissimilarity = patch.dissimilarity {
            out += "dissimilarity index \(dissimilarity)%\n"
        }
        if let oldID = patch.oldObjectID, let newID = patch.newObjectID {
            out += "index \(oldID)..\(newID)"
            if patch.kind != .create, patch.kind != .delete, let mode = patch.oldMode, mode == patch.newMode {
                out += " \(mode)"
            }
            out += "\n"
        }
        let minus = patch.oldPath.map { headerName("a/" + $0) } ?? "/dev/null"
        let plus = patch.newPath.map { headerName("b/" + $0) } ?? "/dev/null"
        if patch.isBinary {
            out += "Binary files \(minus) and \(plus) differ\n"
            return out
        }
        guard !patch.hunks.isEmpty else { return out }
        out += "--- \(minus)\n+++ \(plus)\n"
        for hunk in patch.hunks {
            out += text(of: hunk)
        }
        return out
    }

    /// One hunk: its `@@` header line and body, with `\ No newline at end of file`
    /// after the last line of each side that lacks one.
    public static func text(of hunk: Hunk) -> String {
        var out = hunk.headerLine + "\n"
        let lastOld = hunk.oldMissingNewlineAtEnd ? hunk.lines.lastIndex(where: \.isInOldFile) : nil
        let lastNew = hunk.newMissingNewlineAtEnd ? hunk.lines.lastIndex(where: \.isInNewFile) : nil
        for (index, line) in hunk.lines.enumerated() {
            out.append(line.prefix)
            out += line.text
            out += "\n"
            if index == lastOld || index == lastNew {
                out += "\\ No newline at end of file\n"
            }
        }
        return out
    }

    /// A `---`/`+++` name: quoted when needed, with git's trailing tab after an
    /// unquoted name containing a space.
    private static func headerName(_ name: String) -> String {
        let quoted = GitPathQuoting.quotedIfNeeded(name)
        return quoted == name && name.contains(" ") ? name + "\t" : quoted
    }
}
