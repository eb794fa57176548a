/// One rule of a `.gitignore`-style file, following gitignore(5):
///
/// - `!` negates (re-includes); `\!` and `\#` escape a literal first character;
/// - a trailing `/` restricts the rule to directories;
/// - a `/` at the start or in the middle anchors the pattern to the directory
///   of the ignore file; otherwise it matches a name at any depth below it;
/// - `**/` at the start matches in every directory, `/**` at the end matches
///   everything inside, `/**/` matches zero or more directories;
/// - `*`, `?` and `[...]` never match `/`;
/// - trailing spaces are dropped unless escaped with `\`.
public struct IgnorePattern: Sendable, Hashable {
    enum Segment: Sendable, Hashable {
        case anyDirectories
        case glob(GlobPattern)
    }

    /// True for `!pattern` rules, which re-include what earlier rules ignored.
    public let isNegated: Bool
    /// True for `pattern/` rules, which only match directories.
    public let isDirectoryOnly: Bool
    /// True when the pattern is matched against the whole path relative to
    /// the ignore file's directory, not just the last component.
    public let isAnchored: Bool
    let segments: [Segment]

    /// Parses one line; nil for blank lines and comments.
    public init?(line rawLine: some StringProtocol) {
        var line = String(rawLine)
        if line.hasSuffix("\r") { line.removeLast() }
        // Trailing unescaped spaces are not part of the pattern.
        while line.hasSuffix(" "), !line.hasSuffix("\\ ") { line.removeLast() }
        guard !line.isEmpty, !line.hasPrefix("#") else { return nil }
        var negated = false
        if line.hasPrefix("!") {
            negated = true
            line.removeFirst()
        } else if line.hasPrefix("\\!") || line.hasPrefix("\\#") {
            line.removeFirst()
        }
        var directoryOnly = false
        while line.hasSuffix("/") {
            directoryOnly = true
            line.removeLast()
        }
        guard !line.isEmpty else { return nil }
        var anchored = line.dropFirst().contains("/") || line.hasPrefix("/")
        if line.hasPrefix("/") { line.removeFirst() }
        var segments: [Segment] = []
        for part in line.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "**" {
                if segments.last != .anyDirectories { segments.append(.anyDirectories) }
            } else {
                segments.append(.glob(GlobPattern(part)))
            }
        }
        guard !segments.isEmpty else { return nil }
        // `**/name` behaves like an unanchored `name`.
        if segments.count == 2, segments[0] == .anyDirectories, case .glob = segments[1] {
            segments.removeFirst()
            anchored = false
        }
        isNegated = negated
        isDirectoryOnly = directoryOnly
        isAnchored = anchored
        self.segments = segments
    }

    /// Whether the rule matches `relativePath`, given relative to the
    /// directory that holds the ignore file. Only the path itself is
    /// considered, not whether one of its parent directories is matched
    /// (``GitIgnoreMatcher`` does that).
    public func matches(relativePath: String, isDirectory: Bool) -> Bool {
        matches(relativePath.split(separator: "/")[...], isDirectory: isDirectory)
    }

    /// Whether the rule matches `components` (the path relative to the
    /// directory holding the ignore file). Parent directories are not
    /// considered here: callers check them separately.
    func matches(_ components: ArraySlice<Substring>, isDirectory: Bool) -> Bool {
        if isDirectoryOnly && !isDirectory { return false }
        guard let last = components.last else { return false }
        if !isAnchored {
            guard segments.count == 1, case .glob(let glob) = segments[0] else { return false }
            return glob.matches(last)
        }
        return IgnorePattern.match(segments[...], components)
    }

    private static func match(_ segments: ArraySlice<Segment>, _ components: ArraySlice<Substring>) -> Bool {
        guard let first = segments.first else { return components.isEmpty }
        switch first {
        case .anyDirectories:
            let rest = segments.dropFirst()
            // A trailing `**` needs at least one component: `dir/**` matches
            // what is inside `dir`, not `dir` itself.
            if rest.isEmpty { return !components.isEmpty }
            var remaining = components
            while true {
                if match(rest, remaining) { return true }
                guard !remaining.isEmpty else { return false }
                remaining = remaining.dropFirst()
            }
        case .glob(let glob):
            guard let component = components.first, glob.matches(component) else { return false }
            return match(segments.dropFirst(), components.dropFirst())
        }
    }
}
