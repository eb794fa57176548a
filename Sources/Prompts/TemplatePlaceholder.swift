/// The placeholders a prompt template may use, written `{{name}}`.
///
/// Each renders as Markdown with its own heading, or as nothing when the input
/// has nothing for it (a line holding only an empty placeholder disappears).
/// A message that uses only stable placeholders is stable: it stays the same from
/// request to request and can be cached by the provider.
///
/// Besides placeholders a template has message markers, lines holding only
/// `{{#system}}`, `{{#user}}` or `{{#assistant}}`, each starting a message.
///
/// | placeholder | stable | renders |
/// | --- | --- | --- |
/// | `{{instructions}}` | yes | the user's or project's standing instructions |
/// | `{{context}}` | yes | the stable context items, in order |
/// | `{{strategy}}` | yes | the strategy's `name@version` |
/// | `{{max_file_lines}}` | yes | the strategy's file size limit in lines, or `unlimited` |
/// | `{{open_braces}}` | yes | a literal `{{` |
/// | `{{volatile_context}}` | no | the context items that are not stable |
/// | `{{files}}` | no | each editable file's path and current content |
/// | `{{file_list}}` | no | a list of the editable files' paths |
/// | `{{cursor}}` | no | where the cursor or selection is, with those lines |
/// | `{{prompt}}` | no | the request |
/// | `{{repair_note}}` | no | why the previous answer failed to apply, for a repair round |
public enum TemplatePlaceholder: String, Sendable, Hashable, CaseIterable {
    case instructions
    case context
    case strategy
    case maxFileLines = "max_file_lines"
    case openBraces = "open_braces"
    case volatileContext = "volatile_context"
    case files
    case fileList = "file_list"
    case cursor
    case prompt
    case repairNote = "repair_note"

    /// True when the rendered text is the same from one request to the next.
    public var isStable: Bool {
        switch self {
        case .instructions, .context, .strategy, .maxFileLines, .openBraces: return true
        case .volatileContext, .files, .fileList, .cursor, .prompt, .repairNote: return false
        }
    }

    /// The known placeholder whose name is closest to `name`, if any is close.
    static func suggestion(for name: String) -> TemplatePlaceholder? {
        let lowered = name.lowercased()
        let scored = allCases.map { ($0, editDistance(lowered, $0.rawValue)) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, best.0.rawValue.count / 3) else { return nil }
        return best.0
    }

    private static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs)
        let b = Array(rhs)
        guard !a.isEmpty else { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
