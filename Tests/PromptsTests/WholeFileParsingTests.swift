import Diffs
import Foundation
import Testing
@testable import Prompts

/// A realistic whole-file answer: a path line before one fence, a path label on another.
let wholeFileAnswer = #"""
Renaming `greet()` to `welcome()`:

Sources/App/Greeter.swift
```swift
import Foundation

/// Greets people.
struct Greeter {
    let name: String

    func welcome() -> String {
        "Hello, \(name)!"
    }

    func farewell() -> String {
        "Goodbye, \(name)."
    }
}
```

```swift path=Sources/App/main.swift
let greeter = Greeter(name: "World")
print(greeter.welcome())
print(greeter.farewell())
print("Done")
```

Both files compile as before.
"""#

@Suite("Whole-file answers")
struct WholeFileParsingTests {
    let parser = WholeFileOutputParser()

    @Test("files named by a path line and by a fence label")
    func realistic() throws {
        let edits = try parser.parse(wholeFileAnswer, files: Fixtures.files)
        #expect(edits.complete)
        #expect(edits.filePatches.map(\.displayPath) == [Fixtures.greeterPath, Fixtures.mainPath])
        let result = try applied(edits, to: Fixtures.files)
        #expect(result[Fixtures.greeterPath] == Fixtures.renamedGreeter)
        #expect(result[Fixtures.mainPath] == Fixtures.renamedMain)
        #expect(edits.prose == "Renaming `greet()` to `welcome()`:\n\nBoth files compile as before.")
    }

    @Test("CRLF answer, CRLF files, trailing whitespace")
    func lineEndingsAndWhitespace() throws {
        let sloppy = wholeFileAnswer.replacingOccurrences(of: "let name: String\n", with: "let name: String   \n")
        let crlfFiles = Fixtures.files.map { EditableFile(path: $0.path, text: $0.text.crlf) }
        let edits = try parser.parse(sloppy.crlf, files: crlfFiles)
        let result = try applied(edits, to: crlfFiles)
        #expect(result[Fixtures.greeterPath] == Fixtures.renamedGreeter.crlf)
        #expect(result[Fixtures.mainPath] == Fixtures.renamedMain.crlf)
        #expect(edits.filePatches[0].hunks.count == 1)
    }

    @Test("lazily elided parts are filled in from the current file")
    func lazyElision() throws {
        let answer = """
        Sources/App/Config.swift
        ```swift
        struct Config {
            var verbose = false
            var retries = 5
            var timeout = 30.0

            // ... existing code ...

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
        ```
        """
        let edits = try parser.parse(answer, files: Fixtures.files)
        #expect(try applied(edits, to: Fixtures.files)[Fixtures.configPath] == Fixtures.configWithTimeout)
    }

    @Test("a trailing `rest unchanged` keeps the rest of the file, after the changed line")
    func trailingElision() throws {
        let answer = """
        Sources/App/Config.swift
        ```swift
        struct Config {
            var verbose = true
            // ... rest of the file unchanged
        ```
        """
        let edits = try parser.parse(answer, files: Fixtures.files)
        let expected = Fixtures.config.replacingOccurrences(of: "var verbose = false", with: "var verbose = true")
        #expect(try applied(edits, to: Fixtures.files)[Fixtures.configPath] == expected)
    }

    @Test("an elision that cannot be placed is an error")
    func unplaceableElision() {
        let answer = "Sources/App/main.swift\n```swift\nlet x = 1\n// ...\nlet y = 2\n```\n"
        #expect {
            try parser.parse(answer, files: Fixtures.files)
        } throws: { error in
            (error as? EditParseError)?.description.contains("leaves out code") == true
        }
    }

    @Test("new files, a single file without a name, unnamed blocks ignored")
    func naming() throws {
        let answer = "Sources/App/New.swift\n```swift\nlet x = 1\n```\n"
        var edits = try parser.parse(answer, files: Fixtures.files)
        #expect(edits.filePatches.first?.kind == .create)

        let single = [EditableFile(path: Fixtures.mainPath, text: Fixtures.main)]
        let unnamed = "Here it is:\n```swift\n" + Fixtures.renamedMain + "```\n"
        edits = try parser.parse(unnamed, files: single)
        #expect(try applied(edits, to: single)[Fixtures.mainPath] == Fixtures.renamedMain)

        let mixed = "For example:\n```swift\nlet y = 2\n```\n\n" + wholeFileAnswer
        edits = try parser.parse(mixed, files: Fixtures.files)
        #expect(edits.filePatches.count == 2)
        #expect(edits.warnings.contains { $0.contains("names no file") })
    }

    @Test("the strategy refuses files over its size limit")
    func sizeLimit() throws {
        let big = EditableFile(path: "Big.swift", text: String(repeating: "let x = 1\n", count: 401))
        let input = PromptInput(prompt: "Change it", files: [big])
        #expect {
            try PromptStrategy.wholeFile.messages(for: input)
        } throws: { error in
            (error as? PromptError)?.description.contains("Big.swift has 401 lines") == true
        }
        #expect(!PromptStrategy.wholeFile.admits([big]))
        #expect(PromptStrategy.unifiedDiff.admits([big]))
        _ = try PromptStrategy.unifiedDiff.messages(for: input)
    }
}
