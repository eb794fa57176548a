/// The location line of an OCaml message:
/// `File "a.ml", line 3, characters 4-9:`,
/// `File "a.ml", lines 3-5, characters 2-10:` or `File "a.ml", line 1:`.
/// Character offsets are 0-based; the end offset of a multi-line range counts
/// from the start of the end line.
struct OCamlLocation: Sendable, Equatable {
    var path: String
    var line: Int
    var column: Int?
    var endLine: Int?
    var endColumn: Int?

    /// Parses a whole location line (which ends with `:`).
    static func parse(_ text: String) -> OCamlLocation? {
        guard text.hasPrefix("File \""), text.hasSuffix(":") else { return nil }
        guard let (location, rest) = parsePrefix(Substring(text)), rest == ":" else { return nil }
        return location
    }

    /// Parses an indented location inside a message followed by a remark:
    /// `       File "x.mli", line 1, characters 0-24: Expected declaration`.
    static func parseInline(_ text: String) -> (OCamlLocation, String)? {
        let trimmed = Substring(text).drop(while: { $0 == " " })
        guard trimmed.startIndex != text.startIndex, trimmed.hasPrefix("File \""),
              let (location, rest) = parsePrefix(trimmed), rest.hasPrefix(":") else { return nil }
        return (location, rest.dropFirst().trimmingSpaces())
    }

    /// Parses `File "p", line(s) ..., characters a-b` and returns the rest.
    private static func parsePrefix(_ text: Substring) -> (OCamlLocation, Substring)? {
        var rest = text.dropFirst("File \"".count)
        guard let quote = rest.firstIndex(of: "\"") else { return nil }
        let path = String(rest[..<quote])
        rest = rest[rest.index(after: quote)...]
        var location = OCamlLocation(path: path, line: 0)
        if rest.hasPrefix(", lines ") {
            rest = rest.dropFirst(", lines ".count)
            guard let (start, end, after) = range(rest) else { return nil }
            location.line = start
            location.endLine = end
            rest = after
        } else if rest.hasPrefix(", line ") {
            rest = rest.dropFirst(", line ".count)
            guard let (value, after) = LocatedLine.digits(in: rest, from: rest.startIndex) else { return nil }
            location.line = value
            rest = rest[after...]
        } else {
            return nil
        }
        if rest.hasPrefix(", characters ") {
            rest = rest.dropFirst(", characters ".count)
            guard let (start, end, after) = range(rest) else { return nil }
            location.column = start + 1
            location.endLine = location.endLine ?? location.line
            location.endColumn = end + 1
            rest = after
        }
        guard location.line > 0 else { return nil }
        return (location, rest)
    }

    /// Parses `a-b`.
    private static func range(_ text: Substring) -> (Int, Int, Substring)? {
        guard let (start, dash) = LocatedLine.digits(in: text, from: text.startIndex),
              dash < text.endIndex, text[dash] == "-",
              let (end, after) = LocatedLine.digits(in: text, from: text.index(after: dash)) else { return nil }
        return (start, end, text[after...])
    }
}
