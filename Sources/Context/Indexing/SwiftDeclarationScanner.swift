import Foundation

/// Finds Swift declarations and their extents without a Swift parser.
///
/// Declarations are recognised by keyword (`class`, `struct`, `enum`,
/// `protocol`, `extension`, `actor`, `func`, `init`, `deinit`, `subscript`,
/// `var`, `let`, `typealias`, `associatedtype`, `macro`) at file level or
/// directly inside a type body; a body is the first `{` at the keyword's
/// bracket depth and ends at its matching `}`. Strings (interpolations,
/// multi-line and raw ones included) and comments (nested ones included) are
/// skipped by ``CodeScanner``. Declarations inside function bodies and
/// closures are not reported.
enum SwiftDeclarationScanner {
    private static let typeKeywords: Set<String> = ["class", "struct", "enum", "protocol", "extension", "actor"]
    private static let keywords: Set<String> = typeKeywords.union([
        "func", "init", "deinit", "subscript", "var", "let", "typealias", "associatedtype", "macro",
    ])
    /// Keywords that are ordinary identifiers in other positions.
    private static let contextual: Set<String> = ["actor", "macro"]
    private static let operatorBytes = Set("=<>+-*/%!&|^~?.".utf8)
    private static let keywordList = Array(keywords)
    private static let keywordTable: ByteStringTable = {
        var table = ByteStringTable(capacity: 32)
        for keyword in keywordList { table.insert(keyword) }
        return table
    }()

    private enum ScopeKind { case file, type, body, block }

    private struct Scope {
        var kind: ScopeKind
        var name: String?
        var symbolIndex: Int?
        var bracketDepth: Int
    }

    private struct Pending {
        var keyword: String
        var name: String?
        var line: Int
        var bracketDepth: Int
        var expectingName: Bool
        var sawAssignment = false
        var lastNameEnd = -1
    }

    /// The declarations of a Swift source buffer, in source order.
    /// `onIdentifier` sees every identifier outside comments and strings
    /// (for reference counting in the same pass).
    static func symbols(in bytes: UnsafeBufferPointer<UInt8>, lines: LineTable,
                        onIdentifier: (Int, Int) -> Void = { _, _ in }) -> [Symbol] {
        var scanner = CodeScanner(bytes: bytes, lexicon: Language.swift.lexicon)
        var symbols: [Symbol] = []
        var scopes = [Scope(kind: .file, bracketDepth: 0)]
        var bracketDepth = 0
        var pending: Pending?
        var previous: CodeToken?
        var lastLine = 1

        func container() -> String? {
            let names = scopes.compactMap { $0.kind == .type ? $0.name : nil }
            return names.isEmpty ? nil : names.joined(separator: ".")
        }
        func signature(_ line: Int) -> String {
            DeclarationSpans.signature(lines.text(of: line, in: bytes))
        }
        func finishPending(endLine: Int) {
            guard let declaration = pending, let name = declaration.name else {
                pending = nil
                return
            }
            symbols.append(Symbol(name: name, kind: declaration.keyword, line: declaration.line, endLine: endLine,
                                  container: container(), signature: signature(declaration.line)))
            pending = nil
        }
        func text(_ token: CodeToken) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[token.start..<token.end]), as: UTF8.self)
        }
        /// The keyword a token spells, without building a string for other identifiers.
        func keyword(_ token: CodeToken) -> String? {
            guard token.kind == .identifier, token.end - token.start >= 3, token.end - token.start <= 14 else { return nil }
            let id = keywordTable.find(bytes.baseAddress! + token.start, length: token.end - token.start)
            return id < 0 ? nil : keywordList[Int(id)]
        }

        while let token = scanner.next() {
            defer {
                previous = token
                lastLine = token.line
            }
            let inDeclarationContext = scopes.last!.kind == .file || scopes.last!.kind == .type
            switch token.kind {
            case .identifier, .escapedIdentifier:
                onIdentifier(token.start, token.end)
                let keyword = keyword(token)
                if var declaration = pending, declaration.expectingName,
                   keyword == nil || contextual.contains(keyword!) {
                    declaration.name = text(token)
                    declaration.expectingName = false
                    declaration.lastNameEnd = token.end
                    pending = declaration
                    continue
                }
                // Extension names are dotted paths: extension Foo.Bar
                if var declaration = pending, declaration.keyword == "extension", case .punctuation(UInt8(ascii: ".")) = previous?.kind,
                   previous?.start == declaration.lastNameEnd {
                    declaration.name = (declaration.name ?? "") + "." + text(token)
                    declaration.lastNameEnd = token.end
                    pending = declaration
                    continue
                }
                guard let word = keyword, inDeclarationContext, bracketDepth == scopes.last!.bracketDepth else { continue }
                if case .punctuation(UInt8(ascii: ".")) = previous?.kind { continue }
                if contextual.contains(word), pending?.sawAssignment == true { continue }
                if let declaration = pending {
                    // `class func`, `class var`: the modifier form of `class`.
                    if declaration.keyword == "class" && declaration.name == nil {
                        pending = nil
                    } else {
                        finishPending(endLine: lastLine)
                    }
                }
                let named = word == "init" || word == "deinit" || word == "subscript"
                pending = Pending(keyword: word, name: named ? word : nil, line: token.line,
                                  bracketDepth: bracketDepth, expectingName: !named)
            case .string:
                if var declaration = pending, declaration.expectingName, declaration.keyword == "func" {
                    declaration.expectingName = false
                    pending = declaration
                }
            case .punctuation(let byte):
                if var declaration = pending, declaration.expectingName {
                    if declaration.keyword == "func", operatorBytes.contains(byte) {
                        declaration.name = (declaration.name ?? "") + String(UnicodeScalar(byte))
                        pending = declaration
                        continue
                    }
                    declaration.expectingName = false
                    pending = declaration
                }
                switch byte {
                case UInt8(ascii: "("), UInt8(ascii: "["):
                    bracketDepth += 1
                case UInt8(ascii: ")"), UInt8(ascii: "]"):
                    bracketDepth = max(0, bracketDepth - 1)
                case UInt8(ascii: "="):
                    if var declaration = pending, declaration.bracketDepth == bracketDepth,
                       declaration.keyword == "var" || declaration.keyword == "let" {
                        declaration.sawAssignment = true
                        pending = declaration
                    }
                case UInt8(ascii: ";"):
                    if let declaration = pending, declaration.bracketDepth == bracketDepth { finishPending(endLine: token.line) }
                case UInt8(ascii: "{"):
                    if let declaration = pending, declaration.bracketDepth == bracketDepth, !declaration.sawAssignment,
                       let name = declaration.name, declaration.keyword != "typealias", declaration.keyword != "associatedtype" {
                        let isType = typeKeywords.contains(declaration.keyword)
                        symbols.append(Symbol(name: name, kind: declaration.keyword, line: declaration.line,
                                              endLine: declaration.line, container: container(),
                                              signature: signature(declaration.line)))
                        scopes.append(Scope(kind: isType ? .type : .body, name: name, symbolIndex: symbols.count - 1,
                                            bracketDepth: bracketDepth))
                        pending = nil
                    } else {
                        scopes.append(Scope(kind: .block, bracketDepth: bracketDepth))
                    }
                case UInt8(ascii: "}"):
                    guard scopes.count > 1 else { continue }
                    if pending != nil, inDeclarationContext { finishPending(endLine: lastLine) }
                    let scope = scopes.removeLast()
                    if let index = scope.symbolIndex { symbols[index].endLine = token.line }
                    bracketDepth = scope.bracketDepth
                default:
                    break
                }
            }
        }
        if pending != nil { finishPending(endLine: lastLine) }
        // Unclosed bodies (truncated or unbalanced files) run to the end.
        for scope in scopes.dropFirst() {
            if let index = scope.symbolIndex { symbols[index].endLine = max(lines.count, symbols[index].line) }
        }
        return symbols.sorted { ($0.line, -$0.endLine) < ($1.line, -$1.endLine) }
    }
}
