/// A declaration found in a file: the unit of the outline and the repo map.
public struct Symbol: Sendable, Hashable, Codable {
    /// The declared name (`ByteBuffer`, `writeBytes`, `init`, `==`).
    public var name: String
    /// The kind as the parser names it (`class`, `struct`, `func`,
    /// `method`, `function`, `module`, `var`, …).
    public var kind: String
    /// First line (1-based).
    public var line: Int
    /// Last line (1-based, ≥ `line`); equal to `line` when unknown.
    public var endLine: Int
    /// The enclosing declarations, dot-separated (`ByteBuffer.Storage`), or nil at top level.
    public var container: String?
    /// The declaration's head as written (`func writeBytes(_ bytes: some Sequence<UInt8>) -> Int`), when known.
    public var signature: String?

    /// Creates a symbol.
    public init(name: String, kind: String, line: Int, endLine: Int, container: String? = nil, signature: String? = nil) {
        self.name = name
        self.kind = kind
        self.line = line
        self.endLine = max(line, endLine)
        self.container = container
        self.signature = signature
    }

    /// `Container.name`, or `name` at top level.
    public var qualifiedName: String { container.map { "\($0).\(name)" } ?? name }

    /// The broad category of `kind`, for ranking and chunking.
    public var category: SymbolCategory { SymbolCategory(kind: kind) }

    /// True for declarations that add to another one (`extension`, Rust
    /// `impl`): they use the name rather than declare it.
    public var isExtension: Bool { kind == "extension" || kind == "implementation" }
}

/// Broad classes of declaration kinds across parsers.
public enum SymbolCategory: String, Sendable, Codable {
    /// Classes, structs, enums, protocols, interfaces, traits, unions, typedefs, extensions, impls.
    case type
    /// Functions, methods, initialisers, subscripts, macros.
    case callable
    /// Modules, namespaces, packages.
    case module
    /// Properties, fields (C/C++/Go `member`), variables, constants, enum cases and enumerators.
    case value

    /// Maps a parser's kind name to a category.
    public init(kind: String) {
        switch kind {
        case "class", "struct", "enum", "protocol", "interface", "trait", "union", "typedef", "type", "extension",
             "implementation", "actor", "typealias", "associatedtype", "exception", "annotation",
             "alias", "record", "object":
            self = .type
        case "func", "function", "method", "init", "deinit", "subscript", "macro", "constructor",
             "generator", "accessor", "getter", "setter", "prototype", "singletonMethod":
            self = .callable
        case "module", "namespace", "package", "moduleType":
            self = .module
        default:
            self = .value
        }
    }
}
