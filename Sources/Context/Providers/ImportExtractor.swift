import Foundation

/// An import, include or module reference written in a source file.
enum ImportReference: Sendable, Hashable {
    /// A module name (Swift `import X`, OCaml `open X` / `X.f`).
    case module(String)
    /// A dotted name (Python `a.b.c`, with leading dots for relative imports; Java `a.b.C`, `a.b.*`).
    case dotted(String)
    /// A path written in quotes (`#include "x.h"`, `from './x'`).
    case quotedPath(String)
    /// A path in angle brackets (`#include <x.h>`).
    case systemPath(String)
    /// A Rust `mod name;`.
    case rustModule(String)
    /// A Rust `use` path (`crate::a::b`, `super::x`), as segments.
    case rustPath([String])
    /// A Go import path.
    case goPackage(String)
}

/// Finds the imports of a file, line by line (comments are not parsed:
/// an import inside a block comment may be reported, which only costs a lookup).
enum ImportExtractor {
    static func imports(in text: String, language: Language) -> [ImportReference] {
        var result: [ImportReference] = []
        var seen = Set<ImportReference>()
        func add(_ reference: ImportReference) {
            if seen.insert(reference).inserted { result.append(reference) }
        }
        var inGoBlock = false
        for line in candidateLines(text, all: language == .ocaml || language == .go) {
            switch language {
            case .swift:
                guard line.hasPrefix("import ") || line.hasPrefix("@") || line.hasPrefix("public ") || line.hasPrefix("internal "),
                      let range = line.range(of: "import "), line[..<range.lowerBound].allSatisfy({ $0 != "\"" && $0 != "/" })
                else { continue }
                var words = line[range.upperBound...].split(separator: " ")
                if let first = words.first, ["struct", "class", "enum", "protocol", "func", "var", "let", "typealias"].contains(first) {
                    words.removeFirst()
                }
                if let module = words.first?.split(separator: ".").first { add(.module(String(module))) }
            case .python:
                if line.hasPrefix("import ") {
                    for part in line.dropFirst(7).split(separator: ",") {
                        if let name = part.split(separator: " ").first { add(.dotted(String(name))) }
                    }
                } else if line.hasPrefix("from "), let importRange = line.range(of: " import ") {
                    let module = line[line.index(line.startIndex, offsetBy: 5)..<importRange.lowerBound]
                        .trimmingCharacters(in: .whitespaces)
                    for name in line[importRange.upperBound...].split(separator: ",") {
                        let clean = name.split(separator: " ").first.map(String.init)?
                            .trimmingCharacters(in: CharacterSet(charactersIn: "() \\")) ?? ""
                        if !clean.isEmpty, clean != "*" {
                            add(.dotted(module.hasSuffix(".") ? module + clean : module + "." + clean))
                        }
                    }
                    add(.dotted(module))
                }
            case .rust:
                if line.hasPrefix("mod ") || line.hasPrefix("pub mod ") || line.hasPrefix("pub(crate) mod "), line.hasSuffix(";") {
                    let name = line.split(separator: " ").last!.dropLast()
                    add(.rustModule(String(name)))
                } else if line.hasPrefix("use ") || line.hasPrefix("pub use ") || line.hasPrefix("pub(crate) use ") {
                    guard let useRange = line.range(of: "use ") else { continue }
                    let path = line[useRange.upperBound...].prefix { $0 != "{" && $0 != ";" && $0 != " " }
                    let segments = path.split(separator: ":", omittingEmptySubsequences: true).map(String.init)
                    if let first = segments.first, ["crate", "super", "self"].contains(first) { add(.rustPath(segments)) }
                }
            case .go:
                if line.hasPrefix("import (") { inGoBlock = true; continue }
                if inGoBlock, line.hasPrefix(")") { inGoBlock = false; continue }
                if inGoBlock || line.hasPrefix("import ") {
                    if let quoted = quoted(line, "\"") { add(.goPackage(quoted)) }
                }
            case .c, .cpp:
                guard line.hasPrefix("#"), line.dropFirst().trimmingPrefix(while: { $0 == " " }).hasPrefix("include") else { continue }
                if let quoted = quoted(line, "\"") {
                    add(.quotedPath(quoted))
                } else if let open = line.firstIndex(of: "<"), let close = line.lastIndex(of: ">"), open < close {
                    add(.systemPath(String(line[line.index(after: open)..<close])))
                }
            case .typescript, .javascript:
                let isImport = line.hasPrefix("import ") || line.hasPrefix("import'") || line.hasPrefix("import\"")
                    || line.hasPrefix("export ") || line.hasPrefix("} from") || line.contains("require(") || line.contains("import(")
                guard isImport else { continue }
                if let specifier = quoted(line, "'") ?? quoted(line, "\"") ?? quoted(line, "`"),
                   specifier.hasPrefix("./") || specifier.hasPrefix("../") {
                    add(.quotedPath(specifier))
                }
            case .java:
                guard line.hasPrefix("import ") else { continue }
                var name = line.dropFirst(7).trimmingCharacters(in: .whitespaces)
                if name.hasPrefix("static ") { name = String(name.dropFirst(7)) }
                if name.hasSuffix(";") { name.removeLast() }
                add(.dotted(name))
            case .ocaml:
                for keyword in ["open ", "open! ", "include "] where line.hasPrefix(keyword) {
                    if let name = line.dropFirst(keyword.count).split(separator: " ").first?.split(separator: ".").first {
                        add(.module(String(name)))
                    }
                }
                // Qualified references: Foo.bar
                var previous: Character = " "
                var word = ""
                for character in line {
                    if character.isLetter || character.isNumber || character == "_" || character == "'" {
                        if word.isEmpty, !(previous.isLetter || previous.isNumber || previous == "_" || previous == ".") {
                            word.append(character)
                        } else if !word.isEmpty {
                            word.append(character)
                        }
                    } else {
                        if character == ".", let first = word.first, first.isUppercase { add(.module(word)) }
                        word = ""
                    }
                    previous = character
                }
            case .text:
                break
            }
        }
        return result
    }

    /// Lines (indentation removed) that may hold an import: every form
    /// handled starts with one of a few characters or calls `require(`, so
    /// other lines are skipped without building strings.
    private static func candidateLines(_ text: String, all: Bool) -> [Substring] {
        let starts = Set("imfupr#e}@(\"".utf8)
        let require = Array("require(".utf8)
        var text = text
        return text.withUTF8 { bytes in
            var lines: [Substring] = []
            var index = 0
            while index < bytes.count {
                var end = index
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                var start = index
                while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
                var keep = start < end && (all || starts.contains(bytes[start]))
                if !keep, start < end, end - start >= require.count, bytes[start..<end].contains(UInt8(ascii: "(")) {
                    keep = (start...(end - require.count)).contains { offset in
                        (0..<require.count).allSatisfy { bytes[offset + $0] == require[$0] }
                    }
                }
                if keep {
                    var lineEnd = end
                    if lineEnd > start, bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                    lines.append(Substring(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<lineEnd]), as: UTF8.self)))
                }
                index = end + 1
            }
            return lines
        }
    }

    /// The first string between `quote`s on the line.
    private static func quoted(_ line: Substring, _ quote: Character) -> String? {
        guard let open = line.firstIndex(of: quote) else { return nil }
        let rest = line[line.index(after: open)...]
        guard let close = rest.firstIndex(of: quote) else { return nil }
        return String(rest[..<close])
    }
}
