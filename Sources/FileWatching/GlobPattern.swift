/// A shell-style pattern for a single path component, as used in
/// `.gitignore` files: `*` (any run of characters), `?` (one character),
/// `[a-z]`/`[!a-z]`/`[^a-z]` classes (with `[:alpha:]`-style named classes)
/// and `\` escapes. Never matches across `/` (callers split paths first).
struct GlobPattern: Sendable, Hashable {
    enum Token: Sendable, Hashable {
        case literal(Character)
        case anyRun
        case anyOne
        case characterClass(CharacterClass)
    }

    let tokens: [Token]
    /// The pattern's form when it is one of the common simple ones, which are matched without
    /// splitting the name into characters (watching a large tree asks for every file).
    private let shape: Shape

    private enum Shape: Sendable, Hashable {
        /// A plain name.
        case literal(String)
        /// `*` followed by plain text, such as `*.o`.
        case suffix(String)
        /// Plain text followed by `*`, such as `build*`.
        case prefix(String)
        case general
    }

    /// True when the pattern is a plain name without wildcards.
    var isLiteral: Bool { tokens.allSatisfy { if case .literal = $0 { true } else { false } } }

    init(_ pattern: some StringProtocol) {
        var tokens: [Token] = []
        let chars = Array(pattern)
        var index = 0
        while index < chars.count {
            let char = chars[index]
            switch char {
            case "\\" where index + 1 < chars.count:
                tokens.append(.literal(chars[index + 1]))
                index += 2
                continue
            case "*":
                if tokens.last != .anyRun { tokens.append(.anyRun) }
            case "?":
                tokens.append(.anyOne)
            case "[":
                if let (set, next) = CharacterClass.parse(chars, from: index) {
                    tokens.append(.characterClass(set))
                    index = next
                    continue
                }
                tokens.append(.literal("["))
            default:
                tokens.append(.literal(char))
            }
            index += 1
        }
        self.tokens = tokens
        shape = Self.shape(of: tokens)
    }

    private static func shape(of tokens: [Token]) -> Shape {
        func text(_ slice: ArraySlice<Token>) -> String? {
            var result = ""
            for token in slice {
                guard case .literal(let character) = token else { return nil }
                result.append(character)
            }
            return result
        }
        if let plain = text(tokens[...]) { return .literal(plain) }
        if tokens.first == .anyRun, let suffix = text(tokens.dropFirst()) { return .suffix(suffix) }
        if tokens.last == .anyRun, let prefix = text(tokens.dropLast()) { return .prefix(prefix) }
        return .general
    }

    /// Whether `name` (one path component) matches the whole pattern.
    func matches(_ name: some StringProtocol) -> Bool {
        switch shape {
        case .literal(let plain): return name == plain
        case .suffix(let suffix): return name.hasSuffix(suffix)
        case .prefix(let prefix): return name.hasPrefix(prefix)
        case .general: break
        }
        let text = Array(name)
        // Iterative wildcard matching with backtracking to the last `*`.
        var t = 0, p = 0
        var starP = -1, starT = 0
        while t < text.count {
            if p < tokens.count {
                switch tokens[p] {
                case .anyRun:
                    starP = p
                    starT = t
                    p += 1
                    continue
                case .anyOne:
                    t += 1; p += 1
                    continue
                case .literal(let c) where c == text[t]:
                    t += 1; p += 1
                    continue
                case .characterClass(let set) where set.contains(text[t]):
                    t += 1; p += 1
                    continue
                default:
                    break
                }
            }
            guard starP >= 0 else { return false }
            p = starP + 1
            starT += 1
            t = starT
        }
        while p < tokens.count, tokens[p] == .anyRun { p += 1 }
        return p == tokens.count
    }
}

/// A bracket expression such as `[a-z_]`, `[!0-9]` or `[[:upper:]]`.
struct CharacterClass: Sendable, Hashable {
    var negated = false
    var singles: Set<Character> = []
    var ranges: [ClosedRange<Character>] = []
    var named: [String] = []

    func contains(_ char: Character) -> Bool {
        var found = singles.contains(char) || ranges.contains { $0.contains(char) }
        if !found { found = named.contains { CharacterClass.named($0, contains: char) } }
        return found != negated
    }

    private static func named(_ name: String, contains char: Character) -> Bool {
        switch name {
        case "alpha": return char.isLetter
        case "digit": return char.isASCII && char.isNumber
        case "alnum": return char.isLetter || (char.isASCII && char.isNumber)
        case "upper": return char.isUppercase
        case "lower": return char.isLowercase
        case "space": return char.isWhitespace
        case "punct": return char.isPunctuation || char.isSymbol
        case "xdigit": return char.isHexDigit
        default: return false
        }
    }

    /// Parses the class that starts at `chars[start] == "["`; returns it and
    /// the index after its closing `]`, or nil when it is not terminated.
    static func parse(_ chars: [Character], from start: Int) -> (CharacterClass, Int)? {
        var set = CharacterClass()
        var index = start + 1
        if index < chars.count, chars[index] == "!" || chars[index] == "^" {
            set.negated = true
            index += 1
        }
        var first = true
        while index < chars.count {
            var char = chars[index]
            if char == "]" && !first { return (set, index + 1) }
            first = false
            if char == "[", index + 1 < chars.count, chars[index + 1] == ":" {
                let rest = chars[(index + 2)...]
                if let close = rest.firstIndex(of: ":"), close + 1 < chars.count, chars[close + 1] == "]" {
                    set.named.append(String(chars[(index + 2)..<close]))
                    index = close + 2
                    continue
                }
            }
            if char == "\\", index + 1 < chars.count {
                index += 1
                char = chars[index]
            }
            if index + 2 < chars.count, chars[index + 1] == "-", chars[index + 2] != "]" {
                var upper = chars[index + 2]
                var next = index + 3
                if upper == "\\", index + 3 < chars.count {
                    upper = chars[index + 3]
                    next = index + 4
                }
                if char <= upper { set.ranges.append(char...upper) }
                index = next
                continue
            }
            set.singles.insert(char)
            index += 1
        }
        return nil
    }
}
