/// Whether the text handed to a parser is the whole answer or a prefix of it.
public enum ParseMode: Sendable, Hashable {
    /// The finished answer. A last line without newline is complete; problems that
    /// make an edit unusable are thrown.
    case final
    /// A prefix of an answer still streaming (or cut short). An unterminated last
    /// line and an unfinished last edit are left out and `complete` is false;
    /// nothing is thrown, problems become warnings.
    case partial
}
