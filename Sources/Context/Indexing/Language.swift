/// The languages the index understands structurally; anything else that is
/// text is indexed as ``text`` with line windows.
public enum Language: String, Sendable, Codable, CaseIterable {
    case swift, ocaml, python, rust, go, c, cpp, typescript, javascript, java
    /// Any other text file (Markdown, JSON, YAML, shell, …).
    case text

    /// The language of `path`, by its extension.
    public init(path: String) {
        let name = path.split(separator: "/").last ?? Substring(path)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else {
            self = .text
            return
        }
        let suffix = name[name.index(after: dot)...].lowercased()
        self = Self.byExtension[suffix] ?? .text
    }

    private static let byExtension: [String: Language] = [
        "swift": .swift, "ml": .ocaml, "mli": .ocaml, "py": .python, "pyi": .python, "rs": .rust, "go": .go,
        "c": .c, "h": .c, "cc": .cpp, "cpp": .cpp, "cxx": .cpp, "c++": .cpp, "hpp": .cpp, "hh": .cpp, "hxx": .cpp,
        "ipp": .cpp, "ts": .typescript, "tsx": .typescript, "mts": .typescript, "cts": .typescript,
        "js": .javascript, "jsx": .javascript, "mjs": .javascript, "cjs": .javascript, "java": .java,
    ]

    /// Languages whose files use each other's names directly: C with C++,
    /// TypeScript with JavaScript; every other language on its own.
    public var family: String {
        switch self {
        case .c, .cpp: return "c"
        case .typescript, .javascript: return "script"
        default: return rawValue
        }
    }

    /// True when universal-ctags provides the declarations (every structured
    /// language except Swift, which Debian's ctags cannot parse).
    var usesCtags: Bool { self != .swift && self != .text }

    /// How a declaration's last line is found when ctags gives only its first.
    var spanStyle: SpanStyle {
        switch self {
        case .swift, .rust, .go, .c, .cpp, .typescript, .javascript, .java: return .braces
        case .python: return .indentation
        case .ocaml: return .ocamlKeywords
        case .text: return .none
        }
    }

    /// Lexical conventions for skipping strings and comments.
    var lexicon: Lexicon {
        switch self {
        case .swift: return Lexicon(nestedBlockComments: true, tripleQuotes: true, rawStringHashes: true)
        case .rust: return Lexicon(nestedBlockComments: true, rustCharsAndLifetimes: true, rustRawStrings: true)
        case .typescript, .javascript: return Lexicon(backtickStrings: true, singleQuoteStrings: true)
        case .go: return Lexicon(backtickStrings: true, charLiterals: true)
        case .c, .cpp, .java: return Lexicon(charLiterals: true)
        case .python: return Lexicon(lineComment: .hash, blockComments: false, tripleQuotes: true, singleQuoteStrings: true)
        case .ocaml: return Lexicon(lineComment: .none, blockComments: false, ocamlComments: true)
        case .text: return Lexicon(lineComment: .none, blockComments: false)
        }
    }
}

/// Strategies for finding where a declaration ends.
enum SpanStyle: Sendable {
    /// From the first `{` after the name to its match; `;` first means no body.
    case braces
    /// Every following line indented deeper (or blank) belongs to it.
    case indentation
    /// Up to the next line at the same or lower indentation that starts a
    /// new OCaml item (`let`, `type`, `module`, …).
    case ocamlKeywords
    /// Single-line.
    case none
}

/// Which lexical forms of a language hide braces from structure.
struct Lexicon: Sendable {
    enum LineComment: Sendable { case slashes, hash, none }

    var lineComment: LineComment = .slashes
    var blockComments = true
    var nestedBlockComments = false
    var tripleQuotes = false
    var rawStringHashes = false
    var backtickStrings = false
    var singleQuoteStrings = false
    var charLiterals = false
    var rustCharsAndLifetimes = false
    var rustRawStrings = false
    var ocamlComments = false
}
