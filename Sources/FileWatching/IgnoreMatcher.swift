/// Decides which paths below a watched root are of no interest.
///
/// Ignored directories are not watched at all, so nothing inside them is
/// reported. Implementations must be cheap: the watcher asks for every event.
public protocol IgnoreMatcher: Sendable {
    /// Whether `relativePath` (relative to the root, `/`-separated) is ignored.
    /// Must return true for anything inside an ignored directory as well.
    func isIgnored(relativePath: String, isDirectory: Bool) -> Bool

    /// Called by the watcher when an ignore file (`.gitignore`, `.ignore`,
    /// `.aidignore`) in `relativeDirectory` ("" for the root) was created,
    /// changed or deleted, so cached rules can be dropped.
    func ignoreFileChanged(inDirectory relativeDirectory: String)
}

extension IgnoreMatcher {
    /// Does nothing: matchers without cached state need no notification.
    public func ignoreFileChanged(inDirectory relativeDirectory: String) {}
}

/// Ignores nothing (the watcher still skips `.git/` and editor temp files).
public struct NoIgnoreMatcher: IgnoreMatcher {
    /// Creates the matcher.
    public init() {}

    /// Always false.
    public func isIgnored(relativePath: String, isDirectory: Bool) -> Bool { false }
}

/// Names the watcher never reports, whatever the ignore rules say.
public enum BuiltInIgnores: Sendable {
    /// True when any component of `relativePath` is `.git` (the repository
    /// directory, or the `.git` file of a worktree/submodule).
    public static func isVersionControlPath(_ relativePath: String) -> Bool {
        relativePath == ".git" || relativePath.hasPrefix(".git/") || relativePath.hasSuffix("/.git")
            || relativePath.contains("/.git/")
    }

    /// True for the scratch files editors create around a save:
    /// Emacs lock and autosave files (`.#x`, `#x#`), backups (`x~`), Vim's
    /// swap files (`.x.swp`, `.swo`, `.swx`, ...) and its `4913` write test,
    /// JetBrains' `___jb_tmp___`/`___jb_old___`, Kate's `.kate-swp`, and
    /// GLib's `.goutputstream-*`.
    public static func isEditorTemporaryFile(name: some StringProtocol) -> Bool {
        if name == "4913" || name.hasPrefix(".#") || name.hasSuffix("~") { return true }
        if name.hasPrefix("#") && name.hasSuffix("#") && name.count > 1 { return true }
        if name.hasPrefix(".goutputstream-") || name.hasSuffix(".kate-swp") { return true }
        if name.hasSuffix("___jb_tmp___") || name.hasSuffix("___jb_old___") { return true }
        // Vim swap files: .swp, .swo, .swn, ... .swa and .swx.
        if let dot = name.lastIndex(of: "."), name[dot...].count == 4, name[dot...].hasPrefix(".sw") {
            return true
        }
        return false
    }

    /// The ignore files a ``GitIgnoreMatcher`` reads, lowest precedence first.
    public static let ignoreFileNames = [".gitignore", ".ignore", ".aidignore"]
}
