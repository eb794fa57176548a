/// A strategy name that is unknown or malformed.
public struct StrategyLookupError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The name asked for.
    public var name: String
    /// The registered strategies' `name@version`s.
    public var known: [String]
    /// True when the name is not of the form `name@version`.
    public var malformed: Bool

    /// Creates an error.
    public init(name: String, known: [String], malformed: Bool = false) {
        self.name = name
        self.known = known
        self.malformed = malformed
    }

    public var description: String {
        let list = known.joined(separator: ", ")
        if malformed {
            return "'\(name)' is not a strategy name: write name@version with a positive version, "
                + "e.g. unified-diff@1. Known strategies: \(list)."
        }
        return "Unknown prompt strategy '\(name)'. Known strategies: \(list)."
    }
}
