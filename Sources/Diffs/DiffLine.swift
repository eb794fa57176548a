/// One line of a hunk body, without its `" "`, `"-"` or `"+"` prefix and without
/// the line terminator.
///
/// A carriage return that was part of the line in the patched file (a CRLF file
/// diffed by git) stays at the end of the text; the parser removes carriage returns
/// only when the whole diff text was converted to CRLF line endings.
public enum DiffLine: Sendable, Hashable {
    /// A line present, unchanged, on both sides (`" "` prefix).
    case context(String)
    /// A line present only in the old file (`"-"` prefix).
    case removal(String)
    /// A line present only in the new file (`"+"` prefix).
    case addition(String)

    /// The line's text without prefix or terminator.
    public var text: String {
        switch self {
        case .context(let text), .removal(let text), .addition(let text): return text
        }
    }

    /// True for context and removal lines, the lines the old file must contain.
    public var isInOldFile: Bool {
        switch self {
        case .context, .removal: return true
        case .addition: return false
        }
    }

    /// True for context and addition lines, the lines the new file will contain.
    public var isInNewFile: Bool {
        switch self {
        case .context, .addition: return true
        case .removal: return false
        }
    }

    /// True for context lines.
    public var isContext: Bool {
        if case .context = self { return true }
        return false
    }

    /// The one-character prefix the line has in a unified diff.
    public var prefix: Character {
        switch self {
        case .context: return " "
        case .removal: return "-"
        case .addition: return "+"
        }
    }
}
