/// The name and version of a prompt strategy, written `name@version`
/// (`unified-diff@1`).
public struct StrategyID: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// The strategy's name: lowercase letters, digits and dashes.
    public var name: String
    /// The strategy's version, from 1. A new version is a different prompt, so
    /// results and experiments stay attributable.
    public var version: Int

    /// Creates an identifier.
    public init(name: String, version: Int) {
        self.name = name
        self.version = version
    }

    /// Parses `name@version`; nil unless the name is non-empty and made of letters,
    /// digits, `-`, `_` and `.`, and the version is a positive integer.
    public init?(_ text: String) {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let version = Int(parts[1]), version > 0, Self.isValidName(parts[0]) else { return nil }
        self.init(name: String(parts[0]), version: version)
    }

    /// True when `name` can be a strategy name.
    static func isValidName(_ name: Substring) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                || $0 == "-" || $0 == "_" || $0 == "."
        }
    }

    public var description: String { "\(name)@\(version)" }

    public static func < (lhs: StrategyID, rhs: StrategyID) -> Bool {
        (lhs.name, lhs.version) < (rhs.name, rhs.version)
    }
}
