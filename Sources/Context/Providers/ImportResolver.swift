import Foundation

/// Maps ``ImportReference``s to indexed workspace files.
struct ImportResolver: Sendable {
    /// Indexed paths, and the same grouped by file name for suffix lookups.
    let paths: Set<String>
    let byName: [String: [String]]
    /// The Go module path from `go.mod` at the root, if any.
    let goModule: String?

    init(paths: [String], root: String) {
        self.paths = Set(paths)
        byName = Dictionary(grouping: paths) { $0.split(separator: "/").last.map(String.init) ?? $0 }
        goModule = (try? String(contentsOfFile: root + "/go.mod", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("module ") }
            .map { $0.dropFirst(7).trimmingCharacters(in: .whitespaces) }
    }

    /// Workspace files `reference` (written in `from`) refers to, best first.
    func resolve(_ reference: ImportReference, from: String) -> [String] {
        let directory = Self.directory(of: from)
        switch reference {
        case .module(let name):
            // OCaml: foo.ml / foo.mli for module Foo. Swift modules are directories (handled by the caller).
            let lower = name.prefix(1).lowercased() + name.dropFirst()
            return ["\(lower).mli", "\(lower).ml", "\(name).mli", "\(name).ml"].flatMap { byName[$0] ?? [] }
                .sorted { Self.distance($0, directory) < Self.distance($1, directory) }
        case .dotted(let dotted):
            if from.hasSuffix(".java") {
                return resolveJava(dotted)
            }
            return resolvePython(dotted, directory: directory)
        case .quotedPath(let path):
            if from.hasSuffix(".ts") || from.hasSuffix(".tsx") || from.hasSuffix(".js") || from.hasSuffix(".jsx")
                || from.hasSuffix(".mjs") || from.hasSuffix(".cjs") || from.hasSuffix(".mts") || from.hasSuffix(".cts") {
                return resolveScript(path, directory: directory)
            }
            return first([Self.join(directory, path), path]).map { [$0] } ?? bySuffix(path)
        case .systemPath(let path):
            return bySuffix(path)
        case .rustModule(let name):
            let stem = Self.stem(of: from)
            let base = ["mod", "lib", "main"].contains(stem) ? directory : Self.join(directory, stem)
            return first([Self.join(base, name + ".rs"), Self.join(base, name + "/mod.rs")]).map { [$0] } ?? []
        case .rustPath(let segments):
            return resolveRust(segments, from: from, directory: directory)
        case .goPackage(let importPath):
            guard let module = goModule, importPath == module || importPath.hasPrefix(module + "/") else { return [] }
            let relative = String(importPath.dropFirst(module.count)).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            return paths.filter { path in
                Self.directory(of: path) == relative && path.hasSuffix(".go") && !path.hasSuffix("_test.go")
            }.sorted()
        }
    }

    private func resolvePython(_ dotted: String, directory: String) -> [String] {
        let dots = dotted.prefix { $0 == "." }.count
        let name = dotted.dropFirst(dots).replacingOccurrences(of: ".", with: "/")
        var bases: [String] = []
        if dots > 0 {
            var base = directory
            for _ in 1..<max(1, dots) { base = Self.directory(of: base) }
            bases = [base]
        } else {
            bases = ["", "src", directory]
        }
        var candidates: [String] = []
        for base in bases {
            if name.isEmpty {
                candidates.append(Self.join(base, "__init__.py"))
            } else {
                candidates += [Self.join(base, name + ".py"), Self.join(base, name + "/__init__.py")]
            }
        }
        return first(candidates).map { [$0] } ?? []
    }

    private func resolveJava(_ dotted: String) -> [String] {
        var name = dotted
        if name.hasSuffix(".*") {
            let directory = name.dropLast(2).replacingOccurrences(of: ".", with: "/")
            return paths.filter { Self.directory(of: $0).hasSuffix(directory) && $0.hasSuffix(".java") }.sorted()
        }
        // a.b.C or a.b.C.member (static import): try the longest prefix naming a file.
        while !name.isEmpty {
            let hits = bySuffix(name.replacingOccurrences(of: ".", with: "/") + ".java")
            if !hits.isEmpty { return hits }
            guard let dot = name.lastIndex(of: ".") else { break }
            name = String(name[..<dot])
        }
        return []
    }

    private func resolveScript(_ specifier: String, directory: String) -> [String] {
        let base = Self.join(directory, specifier)
        let extensions = ["", ".ts", ".tsx", ".d.ts", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts"]
        var candidates = extensions.map { base + $0 }
        candidates += extensions.dropFirst().map { base + "/index" + $0 }
        return first(candidates).map { [$0] } ?? []
    }

    private func resolveRust(_ segments: [String], from: String, directory: String) -> [String] {
        var base: String
        var rest = segments
        switch segments.first {
        case "crate":
            // The crate root: the nearest enclosing `src` directory.
            var candidate = directory
            while !candidate.isEmpty, !(candidate == "src" || candidate.hasSuffix("/src")) { candidate = Self.directory(of: candidate) }
            base = candidate.isEmpty ? "src" : candidate
        case "super":
            base = Self.directory(of: directory)
        default:
            base = directory
        }
        rest.removeFirst()
        while !rest.isEmpty {
            let path = Self.join(base, rest.joined(separator: "/"))
            if let hit = first([path + ".rs", path + "/mod.rs"]) { return [hit] }
            rest.removeLast()
        }
        return []
    }

    /// The first candidate that is an indexed path.
    private func first(_ candidates: [String]) -> String? {
        candidates.lazy.map { (($0 as NSString).standardizingPath) }.first { paths.contains($0) }
    }

    /// Indexed paths ending with `/suffix` (or equal to it), shortest first.
    private func bySuffix(_ suffix: String) -> [String] {
        let name = suffix.split(separator: "/").last.map(String.init) ?? suffix
        return (byName[name] ?? []).filter { $0 == suffix || $0.hasSuffix("/" + suffix) }
            .sorted { ($0.count, $0) < ($1.count, $1) }
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    static func stem(of path: String) -> String { FileAnalyzer.stem(of: path) }

    static func join(_ directory: String, _ path: String) -> String {
        let joined = directory.isEmpty ? path : directory + "/" + path
        return (joined as NSString).standardizingPath
    }

    /// How many directories apart two paths are (for preferring nearby files).
    static func distance(_ path: String, _ directory: String) -> Int {
        let left = Self.directory(of: path).split(separator: "/"), right = directory.split(separator: "/")
        let common = zip(left, right).prefix { $0 == $1 }.count
        return left.count + right.count - 2 * common
    }
}
