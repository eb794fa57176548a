import Diffs
import Foundation
import Testing
@testable import Prompts

/// A realistic search/replace answer: three blocks for one file (two under one
/// path line), a new file, prose around.
let timeoutBlocksAnswer = #"""
I'll add a `timeout` setting, validate it, and raise the default number of retries.

Sources/App/Config.swift
```swift
<<<<<<< SEARCH
    var retries = 3
=======
    var retries = 5
    var timeout = 30.0
>>>>>>> REPLACE
```

`Sources/App/Config.swift`
```swift
<<<<<<< SEARCH
        if retries < 0 {
            throw ConfigError.negativeRetries
        }
=======
        if retries < 0 {
            throw ConfigError.negativeRetries
        }
        if timeout <= 0 {
            throw ConfigError.nonPositiveTimeout
        }
>>>>>>> REPLACE
<<<<<<< SEARCH
    case negativeRetries
}
=======
    case negativeRetries
    case nonPositiveTimeout
}
>>>>>>> REPLACE
```

A constant for the default, in a new file:

Sources/App/Defaults.swift
```swift
<<<<<<< SEARCH
=======
let defaultTimeout = 30.0
>>>>>>> REPLACE
```

That's all: `describe()` needs no change.
"""#

@Suite("Search/replace answers")
struct SearchReplaceParsingTests {
    let parser = SearchReplaceOutputParser()

    @Test("several blocks per file, several files, a new file, prose around")
    func realistic() throws {
        let edits = try parser.parse(timeoutBlocksAnswer, files: Fixtures.files)
        #expect(edits.complete)
        #expect(edits.filePatches.map(\.displayPath) == [Fixtures.configPath, "Sources/App/Defaults.swift"])
        #expect(edits.filePatches.map(\.kind) == [.modify, .create])
        let result = try applied(edits, to: Fixtures.files)
        #expect(result[Fixtures.configPath] == Fixtures.configWithTimeout)
        #expect(result["Sources/App/Defaults.swift"] == "let defaultTimeout = 30.0\n")
        #expect(edits.prose.hasPrefix("I'll add a `timeout` setting"))
        #expect(edits.prose.contains("A constant for the default, in a new file:"))
        #expect(edits.prose.hasSuffix("needs no change."))
        #expect(!edits.prose.contains("SEARCH"))
        #expect(!edits.prose.contains("```"))
    }

    @Test("unfenced blocks, CRLF answer, CRLF file")
    func unfencedAndCRLF() throws {
        let unfenced = timeoutBlocksAnswer.components(separatedBy: "\n").filter { !$0.hasPrefix("```") }
            .joined(separator: "\n")
        let edits = try parser.parse(unfenced.crlf, files: Fixtures.files)
        #expect(try applied(edits, to: Fixtures.files)[Fixtures.configPath] == Fixtures.configWithTimeout)

        let crlfFiles = [EditableFile(path: Fixtures.configPath, text: Fixtures.config.crlf)]
        let crlfEdits = try parser.parse(timeoutBlocksAnswer, files: crlfFiles)
        #expect(try applied(crlfEdits, to: crlfFiles)[Fixtures.configPath] == Fixtures.configWithTimeout.crlf)
    }

    @Test("trailing whitespace and lost indentation in SEARCH still match; the replacement is re-indented")
    func whitespaceTolerance() throws {
        let answer = """
        Sources/App/Config.swift
        ```
        <<<<<<< SEARCH
        var retries = 3   
        =======
        var retries = 5  
        var timeout = 30.0
        >>>>>>> REPLACE
        ```
        """
        let edits = try parser.parse(answer, files: Fixtures.files)
        let result = try applied(edits, to: Fixtures.files)
        #expect(result[Fixtures.configPath] == Fixtures.config.replacingOccurrences(
            of: "    var retries = 3\n", with: "    var retries = 5\n    var timeout = 30.0\n"))
    }

    @Test("the path may come from the fence label, or be omitted for a single file")
    func pathSources() throws {
        let labelled = "```swift path=Sources/App/main.swift\n<<<<<<< SEARCH\nprint(greeter.greet())\n=======\nprint(greeter.welcome())\n>>>>>>> REPLACE\n```\n"
        var edits = try parser.parse(labelled, files: Fixtures.files)
        #expect(try applied(edits, to: Fixtures.files)[Fixtures.mainPath] == Fixtures.renamedMain)

        let bare = "<<<<<<< SEARCH\nprint(greeter.greet())\n=======\nprint(greeter.welcome())\n>>>>>>> REPLACE\n"
        let single = [EditableFile(path: Fixtures.mainPath, text: Fixtures.main)]
        edits = try parser.parse(bare, files: single)
        #expect(try applied(edits, to: single)[Fixtures.mainPath] == Fixtures.renamedMain)
    }

    @Test("an ambiguous SEARCH is an error naming the block, file and lines")
    func ambiguous() {
        let answer = """
        Sources/App/Config.swift
        ```swift
        <<<<<<< SEARCH
            var retries = 3
        =======
            var retries = 4
        >>>>>>> REPLACE
        <<<<<<< SEARCH
                }
        =======
                }
                // checked
        >>>>>>> REPLACE
        ```
        """
        #expect {
            try parser.parse(answer, files: Fixtures.files)
        } throws: { error in
            guard let error = error as? EditParseError, case .blocksFailed(let failures) = error.reason,
                failures.count == 1, case .ambiguousSearch(let lines) = failures[0].problem
            else { return false }
            return lines == [9, 17] && failures[0].blockNumber == 2
                && error.description.contains("SEARCH/REPLACE block 2 for Sources/App/Config.swift")
                && error.description.contains("matches at lines 9, 17")
                && error.description.contains("Add surrounding lines")
        }
    }

    @Test("a SEARCH found nowhere is an error with the closest match")
    func notFound() {
        let answer = """
        Sources/App/Config.swift
        <<<<<<< SEARCH
            func validate() throws {
                if retries <= 0 {
        =======
            func validate() throws {
                if retries < 1 {
        >>>>>>> REPLACE
        """
        #expect {
            try parser.parse(answer, files: Fixtures.files)
        } throws: { error in
            guard let error = error as? EditParseError, case .blocksFailed(let failures) = error.reason,
                case .searchNotFound(let closest?) = failures.first?.problem
            else { return false }
            return closest.line == 14 && closest.differenceLine == 15
                && error.description.contains("was not found")
                && error.description.contains("should be `        if retries <= 0 {` but is `        if retries < 0 {`")
        }
    }

    @Test("blocks without a path among several files, or with a missing marker, are errors")
    func malformedBlocks() {
        let noPath = "Here:\n<<<<<<< SEARCH\nprint(\"Done\")\n=======\nprint(\"Finished\")\n>>>>>>> REPLACE\n"
        #expect {
            try parser.parse(noPath, files: Fixtures.files)
        } throws: { error in
            (error as? EditParseError)?.description.contains("no file path precedes the block") == true
        }
        let noDivider = "Sources/App/main.swift\n<<<<<<< SEARCH\nprint(\"Done\")\n>>>>>>> REPLACE\n"
        #expect {
            try parser.parse(noDivider, files: Fixtures.files)
        } throws: { error in
            (error as? EditParseError)?.description.contains("has no `=======` line") == true
        }
    }

    @Test("a block for a file not provided cannot be checked")
    func fileNotProvided() {
        let answer = "Sources/Other.swift\n<<<<<<< SEARCH\nlet a = 1\n=======\nlet a = 2\n>>>>>>> REPLACE\n"
        #expect {
            try parser.parse(answer, files: Fixtures.files)
        } throws: { error in
            (error as? EditParseError)?.description.contains("content was not provided") == true
        }
    }

    @Test("`...` in SEARCH skips lines; `...` in REPLACE keeps them")
    func elidedSearch() throws {
        let answer = """
        Sources/App/Config.swift
        ```swift
        <<<<<<< SEARCH
            var retries = 3
            // ...
                if retries < 0 {
                    throw ConfigError.negativeRetries
                }
        =======
            var retries = 5
            var timeout = 30.0
            // ...
                if retries < 0 {
                    throw ConfigError.negativeRetries
                }
                if timeout <= 0 {
                    throw ConfigError.nonPositiveTimeout
                }
        >>>>>>> REPLACE
        <<<<<<< SEARCH
            case negativeRetries
        =======
            case negativeRetries
            case nonPositiveTimeout
        >>>>>>> REPLACE
        ```
        """
        let edits = try parser.parse(answer, files: Fixtures.files)
        #expect(try applied(edits, to: Fixtures.files)[Fixtures.configPath] == Fixtures.configWithTimeout)
    }

    @Test("an elided SEARCH replaced without elision replaces the whole span, with a warning")
    func elidedSearchWholeSpan() throws {
        let answer = "Sources/App/Config.swift\n<<<<<<< SEARCH\n    func describe() -> String {\n        ...\n    }\n\n    func validate() throws {\n=======\n    func validate() throws {\n>>>>>>> REPLACE\n"
        let edits = try parser.parse(answer, files: Fixtures.files)
        let result = try #require(try applied(edits, to: Fixtures.files)[Fixtures.configPath])
        #expect(!result.contains("describe"))
        #expect(result.contains("    var retries = 3\n\n    func validate() throws {\n"))
        #expect(edits.warnings.contains { $0.contains("skips lines") })
    }

    @Test("partial parsing turns failures into warnings")
    func partialWarnings() {
        let answer = "Sources/App/main.swift\n<<<<<<< SEARCH\nprint(\"Nope\")\n=======\nprint(\"x\")\n>>>>>>> REPLACE\n"
        let edits = parser.parse(partial: answer, files: Fixtures.files)
        #expect(edits.filePatches.isEmpty)
        #expect(edits.warnings.contains { $0.contains("was not found") })
    }
}
