/// Why a diff text could not be turned into file patches.
///
/// `description` names the file (when known), the line of the diff text where the
/// problem was found, what was expected and what was found, and how to fix it.
public struct DiffParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem.
    public enum Reason: Sendable, Hashable {
        /// The text contains no `---`/`+++` file headers, `diff --git` lines or hunks.
        case noDiffFound
        /// The diff changes a binary file; only text patches can be applied.
        case binaryPatch
        /// A line starting with `@@` could not be read as `@@ -a,b +c,d @@`.
        case malformedHunkHeader(String)
        /// A hunk appeared before any `---`/`+++` or `diff --git` header named its file.
        case hunkWithoutFile
        /// The hunk body disagrees with its header and recounting cannot settle it.
        case hunkBodyMismatch(expectedOld: Int, expectedNew: Int, foundOld: Int, foundNew: Int)
        /// A hunk header is followed by no body lines at all.
        case emptyHunk
        /// A quoted path (`"a/\303\266"`) has a bad escape or no closing quote.
        case malformedQuotedPath(String)
        /// A `diff --git` header whose file names could not be determined.
        case unreadableFileNames(String)
        /// A `\ No newline at end of file` marker that does not follow a body line.
        case misplacedNoNewlineMarker
        /// A combined (merge) diff with `@@@` headers, which cannot be applied.
        case combinedDiff
    }

    /// The kind of problem.
    public var reason: Reason
    /// The 1-based line of the diff text where the problem was found.
    public var line: Int
    /// The file the problem belongs to, when the diff had named one.
    public var path: String?

    /// Creates an error.
    public init(_ reason: Reason, line: Int, path: String? = nil) {
        self.reason = reason
        self.line = line
        self.path = path
    }

    public var description: String {
        let file = path.map { " (file \($0))" } ?? ""
        let location = "line \(line) of the diff\(file)"
        switch reason {
        case .noDiffFound:
            return "No unified diff found: the text has no '--- a/path' / '+++ b/path' file headers, "
                + "'diff --git' lines or '@@ -a,b +c,d @@' hunks. Send the change as a unified diff."
        case .binaryPatch:
            return "The diff changes the binary file \(path ?? "(unnamed)") (at \(location)). "
                + "Binary patches cannot be applied; change only text files, or replace the binary file by other means."
        case .malformedHunkHeader(let text):
            return "Malformed hunk header at \(location): expected '@@ -oldStart,oldCount +newStart,newCount @@' "
                + "but found '\(text)'. Fix the header's numbers."
        case .hunkWithoutFile:
            return "A hunk starts at \(location) before any '--- a/path' / '+++ b/path' lines say which file it changes. "
                + "Add the file header lines before the first '@@'."
        case .hunkBodyMismatch(let expectedOld, let expectedNew, let foundOld, let foundNew):
            return "The hunk at \(location) does not match its header: the header promises \(expectedOld) old and "
                + "\(expectedNew) new lines, but the body has \(foundOld) old and \(foundNew) new lines and its end is "
                + "ambiguous. Fix the counts in the '@@' header or the body lines' ' ', '-', '+' prefixes."
        case .emptyHunk:
            return "The hunk header at \(location) is followed by no body lines. Add the ' ', '-', '+' lines or drop the header."
        case .malformedQuotedPath(let text):
            return "Malformed quoted path at \(location): \(text). Quote paths as git does (\"a/na\\303\\257ve.txt\") or leave them unquoted."
        case .unreadableFileNames(let text):
            return "Cannot tell the file names apart in '\(text)' at \(location). Add '--- a/path' and '+++ b/path' lines after it."
        case .misplacedNoNewlineMarker:
            return "'\\ No newline at end of file' at \(location) does not follow a hunk line. Move it right after the last line of the file."
        case .combinedDiff:
            return "The hunk at \(location) belongs to a combined merge diff ('@@@'), which cannot be applied. "
                + "Send a plain two-way unified diff."
        }
    }
}
