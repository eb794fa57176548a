import Foundation
import Diffs
import Testing
@testable import Prompts

/// A small project as an editor would send it.
enum Fixtures {
    static let greeter = #"""
import Foundation

/// Greets people.
struct Greeter {
    let name: String

    func greet() -> String {
        "Hello, \(name)!"
    }

    func farewell() -> String {
        "Goodbye, \(name)."
    }
}

"""#

    static let main = #"""
let greeter = Greeter(name: "World")
print(greeter.greet())
print(greeter.farewell())
print("Done")

"""#

    static let config = #"""
struct Config {
    var verbose = false
    var retries = 3

    func describe() -> String {
        var parts: [String] = []
        if verbose {
            parts.append("verbose")
        }
        parts.append("retries=\(retries)")
        return parts.joined(separator: ",")
    }

    func validate() throws {
        if retries < 0 {
            throw ConfigError.negativeRetries
        }
    }
}

enum ConfigError: Error {
    case negativeRetries
}

"""#

    static let greeterPath = "Sources/App/Greeter.swift"
    static let mainPath = "Sources/App/main.swift"
    static let configPath = "Sources/App/Config.swift"

    static var files: [EditableFile] {
        [
            EditableFile(path: greeterPath, text: greeter),
            EditableFile(path: mainPath, text: main),
            EditableFile(path: configPath, text: config),
        ]
    }

    /// `greeter` and `main` after renaming `greet()` to `welcome()`.
    static var renamedGreeter: String { greeter.replacingFirst("func greet()", with: "func welcome()") }
    static var renamedMain: String { main.replacingFirst("greeter.greet()", with: "greeter.welcome()") }

    /// `config` with the retries default changed and a timeout added and validated.
    static let configWithTimeout = #"""
struct Config {
    var verbose = false
    var retries = 5
    var timeout = 30.0

    func describe() -> String {
        var parts: [String] = []
        if verbose {
            parts.append("verbose")
        }
        parts.append("retries=\(retries)")
        return parts.joined(separator: ",")
    }

    func validate() throws {
        if retries < 0 {
            throw ConfigError.negativeRetries
        }
        if timeout <= 0 {
            throw ConfigError.nonPositiveTimeout
        }
    }
}

enum ConfigError: Error {
    case negativeRetries
    case nonPositiveTimeout
}

"""#
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }

    /// The text with every `"\n"` turned into `"\r\n"`.
    var crlf: String {
        String(decoding: Array(utf8).flatMap { $0 == 0x0A ? [0x0D, 0x0A] : [$0] }, as: UTF8.self)
    }

    /// The first `count` UTF-8 bytes (cut anywhere, as a stream might be).
    func prefixBytes(_ count: Int) -> String {
        String(decoding: Array(utf8.prefix(count)), as: UTF8.self)
    }
}

/// Applies `edits` to `files` with `PatchApplier`, as the daemon does, and
/// returns every file's resulting text by path.
func applied(_ edits: ParsedEdits, to files: [EditableFile], options: PatchApplier.Options = .init()) throws
    -> [String: String]
{
    var texts: [String: String] = [:]
    for file in files { texts[file.path] = file.text }
    for patch in edits.filePatches {
        let old = patch.oldPath.flatMap { texts[$0] } ?? ""
        let result = try PatchApplier(options: options).apply(patch, to: old)
        if let oldPath = patch.oldPath, patch.kind == .delete || patch.kind == .rename { texts[oldPath] = nil }
        if let newPath = patch.newPath { texts[newPath] = result.newText }
    }
    return texts
}
