import Diffs
import Foundation
import Testing
@testable import Prompts

let chatAnswer = #"""
`greet()` is only called from `main.swift`, so renaming it is safe. You could write:

```diff
--- a/Sources/App/main.swift
+++ b/Sources/App/main.swift
@@ -1,3 +1,3 @@
 let greeter = Greeter(name: "World")
-print(greeter.greet())
+print(greeter.welcome())
 print(greeter.farewell())
```

and rename the method itself in `Greeter.swift`.
"""#

@Suite("Chat answers")
struct ChatParsingTests {
    @Test("the whole answer is prose; a diff in it is a proposal")
    func diffProposal() throws {
        let edits = try ChatOutputParser().parse(chatAnswer, files: Fixtures.files)
        #expect(edits.complete)
        #expect(edits.prose == chatAnswer)
        #expect(try applied(edits, to: Fixtures.files)[Fixtures.mainPath] == Fixtures.renamedMain)
    }

    @Test("CRLF, trailing whitespace and wrong line numbers in a proposal")
    func sloppyProposal() throws {
        let sloppy = chatAnswer.replacingOccurrences(of: "@@ -1,3 +1,3 @@", with: "@@ -12,3 +12,3 @@")
            .replacingOccurrences(of: "(name: \"World\")\n", with: "(name: \"World\")  \n")
            .replacingOccurrences(of: "welcome())\n", with: "welcome())\t\n")
        let edits = try ChatOutputParser().parse(sloppy.crlf, files: Fixtures.files)
        #expect(try applied(edits, to: Fixtures.files)[Fixtures.mainPath] == Fixtures.renamedMain)
        #expect(edits.prose.hasPrefix("`greet()` is only called"))
        #expect(!edits.prose.contains("\r"))
    }

    @Test("search/replace blocks become proposals too; failures are warnings")
    func searchReplaceProposal() throws {
        let answer = "Try this:\n\nSources/App/main.swift\n```swift\n<<<<<<< SEARCH\nprint(\"Done\")\n=======\nprint(\"Finished\")\n>>>>>>> REPLACE\n<<<<<<< SEARCH\nprint(\"Nope\")\n=======\nprint(\"x\")\n>>>>>>> REPLACE\n```\n"
        let edits = try ChatOutputParser().parse(answer, files: Fixtures.files)
        #expect(edits.filePatches.count == 1)
        #expect(edits.warnings.contains { $0.contains("was not found") })
    }

    @Test("a plain answer has no proposals and is not an error; unfenced diff-like text stays prose")
    func plainAnswer() throws {
        let answer = "It prints:\n--- a/x\n+++ b/x\n\nNo change is needed.\r\n"
        let edits = try ChatOutputParser().parse(answer, files: Fixtures.files)
        #expect(edits.filePatches.isEmpty)
        #expect(edits.warnings.isEmpty)
        #expect(edits.prose == "It prints:\n--- a/x\n+++ b/x\n\nNo change is needed.")
    }

    @Test("a broken diff proposal is a warning, not an error")
    func brokenProposal() throws {
        let answer = "See:\n```diff\n--- a/Sources/App/main.swift\n+++ b/Sources/App/main.swift\n@@ -1,2 +1,2 @@\n let greeter = Greeter(name: \"World\")\n```\n"
        let edits = try ChatOutputParser().parse(answer, files: Fixtures.files)
        #expect(edits.filePatches.isEmpty)
        #expect(!edits.warnings.isEmpty)
    }
}
