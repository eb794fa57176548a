import Diffs
import Foundation
import Testing
@testable import Prompts

/// A realistic answer: prose, a ```diff fence with two files, prose after.
let renameAnswer = #"""
I'll rename `greet()` to `welcome()` and update the call site in `main.swift`.

```diff
diff --git a/Sources/App/Greeter.swift b/Sources/App/Greeter.swift
--- a/Sources/App/Greeter.swift
+++ b/Sources/App/Greeter.swift
@@ -5,6 +5,6 @@ struct Greeter {
     let name: String

-    func greet() -> String {
+    func welcome() -> String {
         "Hello, \(name)!"
     }

--- a/Sources/App/main.swift
+++ b/Sources/App/main.swift
@@ -1,4 +1,4 @@
 let greeter = Greeter(name: "World")
-print(greeter.greet())
+print(greeter.welcome())
 print(greeter.farewell())
 print("Done")
```

Nothing else refers to `greet()`, so this is the complete change.
"""#

@Suite("Unified diff answers")
struct UnifiedDiffParsingTests {
    let parser = UnifiedDiffOutputParser()

    @Test("prose around a fenced two-file diff")
    func fencedTwoFiles() throws {
        let edits = try parser.parse(renameAnswer, files: Fixtures.files)
        #expect(edits.complete)
        #expect(edits.filePatches.map(\.displayPath) == [Fixtures.greeterPath, Fixtures.mainPath])
        #expect(edits.prose.hasPrefix("I'll rename `greet()`"))
        #expect(edits.prose.hasSuffix("this is the complete change."))
        #expect(!edits.prose.contains("@@"))
        let result = try applied(edits, to: Fixtures.files)
        #expect(result[Fixtures.greeterPath] == Fixtures.renamedGreeter)
        #expect(result[Fixtures.mainPath] == Fixtures.renamedMain)
    }

    @Test("```patch and bare fences, one file each, no diff --git lines")
    func separateFences() throws {
        let answer = #"""
Here are the changes.

**Sources/App/Greeter.swift**
```patch
--- a/Sources/App/Greeter.swift
+++ b/Sources/App/Greeter.swift
@@ -7,3 +7,3 @@
-    func greet() -> String {
+    func welcome() -> String {
         "Hello, \(name)!"
     }
```

And the caller:

```
--- Sources/App/main.swift
+++ Sources/App/main.swift
@@ -2 +2 @@
-print(greeter.greet())
+print(greeter.welcome())
```
"""#
        let edits = try parser.parse(answer, files: Fixtures.files)
        let result = try applied(edits, to: Fixtures.files)
        #expect(result[Fixtures.greeterPath] == Fixtures.renamedGreeter)
        #expect(result[Fixtures.mainPath] == Fixtures.renamedMain)
        #expect(edits.prose.contains("And the caller:"))
    }

    @Test("an unfenced diff between paragraphs")
    func unfenced() throws {
        let body = renameAnswer.components(separatedBy: "\n").filter { !$0.hasPrefix("```") }.joined(separator: "\n")
        let edits = try parser.parse(body, files: Fixtures.files)
        let result = try applied(edits, to: Fixtures.files)
        #expect(result[Fixtures.greeterPath] == Fixtures.renamedGreeter)
        #expect(result[Fixtures.mainPath] == Fixtures.renamedMain)
        #expect(edits.prose.hasPrefix("I'll rename"))
        #expect(edits.prose.hasSuffix("complete change."))
        #expect(!edits.prose.contains("+++"))
    }

    @Test("CRLF answer against LF files, and LF answer against a CRLF file")
    func crlf() throws {
        let edits = try parser.parse(renameAnswer.crlf, files: Fixtures.files)
        let result = try applied(edits, to: Fixtures.files)
        #expect(result[Fixtures.greeterPath] == Fixtures.renamedGreeter)
        #expect(result[Fixtures.mainPath] == Fixtures.renamedMain)

        let crlfFiles = Fixtures.files.map { EditableFile(path: $0.path, text: $0.text.crlf) }
        let crlfEdits = try parser.parse(renameAnswer, files: crlfFiles)
        let crlfResult = try applied(crlfEdits, to: crlfFiles)
        #expect(crlfResult[Fixtures.greeterPath] == Fixtures.renamedGreeter.crlf)
        #expect(crlfResult[Fixtures.mainPath] == Fixtures.renamedMain.crlf)
    }

    @Test("trailing whitespace on context, removed and added lines")
    func trailingWhitespace() throws {
        let answer = renameAnswer.components(separatedBy: "\n").map { line in
            line.hasPrefix(" ") || line.hasPrefix("-") && !line.hasPrefix("---") || line.hasPrefix("+") && !line.hasPrefix("+++")
                ? line + "  \t" : line
        }.joined(separator: "\n")
        let edits = try parser.parse(answer, files: Fixtures.files)
        let result = try applied(edits, to: Fixtures.files)
        #expect(result[Fixtures.greeterPath] == Fixtures.renamedGreeter)
        #expect(result[Fixtures.mainPath] == Fixtures.renamedMain)
        #expect(edits.filePatches.allSatisfy { $0.hunks.allSatisfy { $0.lines.allSatisfy { !$0.text.hasSuffix(" ") } } })
    }

    @Test("wrong line numbers and counts are left to the applier")
    func wrongLineNumbers() throws {
        let answer = renameAnswer
            .replacingOccurrences(of: "@@ -5,6 +5,6 @@", with: "@@ -40,9 +40,12 @@")
            .replacingOccurrences(of: "@@ -1,4 +1,4 @@", with: "@@ -17,2 +17,2 @@")
        let edits = try parser.parse(answer, files: Fixtures.files)
        let result = try applied(edits, to: Fixtures.files)
        #expect(result[Fixtures.greeterPath] == Fixtures.renamedGreeter)
        #expect(result[Fixtures.mainPath] == Fixtures.renamedMain)
    }

    @Test("hunk headers without numbers, and hunks without file headers")
    func headerlessHunks() throws {
        let answer = #"""
In `Sources/App/main.swift`, call the new method:

```diff
@@ ... @@
 let greeter = Greeter(name: "World")
-print(greeter.greet())
+print(greeter.welcome())
```

Then in Sources/App/Greeter.swift:

```diff
@@
-    func greet() -> String {
+    func welcome() -> String {
```
"""#
        let edits = try parser.parse(answer, files: Fixtures.files)
        #expect(Set(edits.filePatches.map(\.displayPath)) == [Fixtures.mainPath, Fixtures.greeterPath])
        let result = try applied(edits, to: Fixtures.files)
        #expect(result[Fixtures.greeterPath] == Fixtures.renamedGreeter)
        #expect(result[Fixtures.mainPath] == Fixtures.renamedMain)
    }

    @Test("context lines that lost their leading space still count inside a diff fence")
    func missingContextSpace() throws {
        let answer = renameAnswer
            .replacingOccurrences(of: "\n         \"Hello, \\(name)!\"\n", with: "\n        \"Hello, \\(name)!\"\n")
            .replacingOccurrences(of: "\n print(\"Done\")\n", with: "\nprint(\"Done\")\n")
        #expect(answer != renameAnswer)
        let edits = try parser.parse(answer, files: Fixtures.files)
        let result = try applied(edits, to: Fixtures.files)
        #expect(result[Fixtures.greeterPath] == Fixtures.renamedGreeter)
        #expect(result[Fixtures.mainPath] == Fixtures.renamedMain)
    }

    @Test("paths written with ./ or a longer prefix map to the editable files")
    func pathNormalization() throws {
        let answer = renameAnswer
            .replacingOccurrences(of: "a/Sources/App/main.swift", with: "a/./Sources/App/main.swift")
            .replacingOccurrences(of: "b/Sources/App/main.swift", with: "b/home/dev/proj/Sources/App/main.swift")
        let edits = try parser.parse(answer, files: Fixtures.files)
        #expect(edits.filePatches.map(\.displayPath) == [Fixtures.greeterPath, Fixtures.mainPath])
    }

    @Test("new and deleted files")
    func createAndDelete() throws {
        let answer = """
        ```diff
        --- /dev/null
        +++ b/Sources/App/Farewell.swift
        @@ -0,0 +1,3 @@
        +enum Farewell {
        +    static let text = "Bye"
        +}
        --- a/Sources/App/main.swift
        +++ /dev/null
        @@ -1,4 +0,0 @@
        -let greeter = Greeter(name: "World")
        -print(greeter.greet())
        -print(greeter.farewell())
        -print("Done")
        ```
        """
        let edits = try parser.parse(answer, files: Fixtures.files)
        #expect(edits.filePatches.map(\.kind) == [.create, .delete])
        let result = try applied(edits, to: Fixtures.files)
        #expect(result["Sources/App/Farewell.swift"] == "enum Farewell {\n    static let text = \"Bye\"\n}\n")
        #expect(result[Fixtures.mainPath] == nil)
    }

    @Test("an answer without a diff is an error that keeps the prose")
    func noDiff() {
        let answer = "I can't make this change: `Greeter` is generated code.\n"
        #expect {
            try parser.parse(answer, files: Fixtures.files)
        } throws: { error in
            guard let error = error as? EditParseError, case .noEdits = error.reason else { return false }
            return error.prose.contains("generated code") && error.description.contains("--- a/PATH")
        }
    }

    @Test("a malformed diff is an error that says what to fix")
    func malformed() {
        let answer = "```diff\n--- a/Sources/App/main.swift\n+++ b/Sources/App/main.swift\n@@ -1,2 +1,2 @@\n let greeter = Greeter(name: \"World\")\n```\n"
        #expect {
            try parser.parse(answer, files: Fixtures.files)
        } throws: { error in
            guard let error = error as? EditParseError, case .unreadableDiff = error.reason else { return false }
            return error.description.contains("main.swift")
        }
    }

    @Test("code blocks that are not diffs stay prose")
    func illustrationBlocks() throws {
        let answer = "The new call looks like this:\n\n```swift\nprint(greeter.welcome())\n```\n\n" + renameAnswer
        let edits = try parser.parse(answer, files: Fixtures.files)
        #expect(edits.filePatches.count == 2)
        #expect(edits.prose.contains("```swift\nprint(greeter.welcome())\n```"))
    }
}
