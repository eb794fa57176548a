import Foundation

/// Runs universal-ctags over many files at once and returns their
/// declarations as ``Symbol``s (end lines as ctags reports them; see
/// ``DeclarationSpans`` for the ones it leaves out).
struct CtagsRunner: Sendable {
    /// One tag as ctags printed it.
    struct Tag: Sendable {
        var symbol: Symbol
        /// False when ctags gave no `end` field (Rust, TypeScript, JavaScript, OCaml in ctags 5.9).
        var endKnown: Bool
    }

    /// The ctags executable.
    var executable = "ctags"

    /// Languages handed to ctags; other files are never passed to it.
    static let languages = "C,C++,Go,Java,JavaScript,TypeScript,Python,Rust,OCaml"

    /// Nil when a JSON-capable universal-ctags runs, otherwise why not.
    static let unavailableReason: String? = {
        guard let output = try? ProcessRunner.run("ctags", ["--version"]), output.status == 0 else {
            return "ctags is not installed (apt-get install universal-ctags)"
        }
        guard String(decoding: output.stdout, as: UTF8.self).contains("Universal Ctags") else {
            return "ctags is not universal-ctags (apt-get install universal-ctags)"
        }
        guard let features = try? ProcessRunner.run("ctags", ["--list-features"]),
              String(decoding: features.stdout, as: UTF8.self).contains("json") else {
            return "this universal-ctags was built without JSON output"
        }
        return nil
    }()

    /// Tags of `paths` (relative to `root`), grouped by path.
    /// - Throws: ``ContextError`` when ctags cannot run or fails.
    func tags(for paths: [String], root: String) throws -> [String: [Tag]] {
        let listed = paths.filter { !$0.contains("\n") }
        guard !listed.isEmpty else { return [:] }
        let arguments = ["--output-format=json", "--fields=+neKS", "--fields=-P", "--sort=no",
                         "--languages=\(Self.languages)", "-f", "-", "-L", "-"]
        let input = Data((listed.joined(separator: "\n") + "\n").utf8)
        let output = try ProcessRunner.run(executable, arguments, in: root, input: input)
        guard output.status == 0 else {
            throw ContextError.toolFailed("ctags", status: output.status, message: output.errorText)
        }
        return Self.parse(output.stdout)
    }

    /// Parses ctags' JSON lines.
    static func parse(_ data: Data) -> [String: [Tag]] {
        var result: [String: [Tag]] = [:]
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                defer { start = end + 1 }
                guard let fields = FlatJSONObject.parse(UnsafeBufferPointer(rebasing: bytes[start..<end])),
                      fields["_type"] == .string("tag"),
                      case .string(let path)? = fields["path"], case .string(let name)? = fields["name"],
                      case .number(let line)? = fields["line"] else { continue }
                var kind = "unknown"
                if case .string(let value)? = fields["kind"] { kind = value }
                var endLine: Int?
                if case .number(let value)? = fields["end"] { endLine = value }
                var scope: String?
                if case .string(let value)? = fields["scope"] { scope = value }
                let symbol = Symbol(name: name, kind: kind, line: line, endLine: endLine ?? line, container: scope)
                result[path, default: []].append(Tag(symbol: symbol, endKnown: endLine != nil))
            }
        }
        return result
    }
}
