import Diffs
import Foundation
import Testing
@testable import Prompts

/// A diff whose model skipped the middle of the file with an elision line.
func timeoutAnswer(elision: String) -> String {
    #"""
Add a `timeout` setting, validate it, and raise the default retries.

```diff
--- a/Sources/App/Config.swift
+++ b/Sources/App/Config.swift
@@ -1,22 +1,27 @@
 struct Config {
     var verbose = false
-    var retries = 3
+    var retries = 5
+    var timeout = 30.0

"""# + elision + #"""

 
     func validate() throws {
         if retries < 0 {
             throw ConfigError.negativeRetries
         }
+        if timeout <= 0 {
+            throw ConfigError.nonPositiveTimeout
+        }
     }
 }
 
 enum ConfigError: Error {
     case negativeRetries
+    case nonPositiveTimeout
 }
```
"""#
}

@Suite("Elided context in diffs")
struct ElisionTests {
    static let elisions = ["...", "     ...", " ...", "    // ...", " // ... existing code ...", "…", "// rest of the code unchanged"]

    @Test("elisions are filled in from the current file", arguments: elisions)
    func filledFromFile(elision: String) throws {
        let edits = try UnifiedDiffOutputParser().parse(timeoutAnswer(elision: elision), files: Fixtures.files)
        #expect(edits.filePatches.count == 1)
        #expect(edits.filePatches[0].hunks.count == 1)
        #expect(edits.warnings.contains { $0.contains("filled in") })
        let result = try applied(edits, to: Fixtures.files)
        #expect(result[Fixtures.configPath] == Fixtures.configWithTimeout)
    }

    @Test("without the file, the hunk is split at the elision and still applies", arguments: elisions)
    func splitWithoutFile(elision: String) throws {
        let edits = try UnifiedDiffOutputParser().parse(timeoutAnswer(elision: elision), files: [])
        #expect(edits.filePatches.count == 1)
        #expect(edits.filePatches[0].hunks.count == 2)
        #expect(!UnifiedDiffWriter.text(of: edits.filePatches).contains(DiffLineRole.elisionSentinel))
        let result = try applied(edits, to: Fixtures.files)
        #expect(result[Fixtures.configPath] == Fixtures.configWithTimeout)
    }

    @Test("a real `...` line (a Python stub body) stays a context line")
    func literalEllipsis() throws {
        let python = "class Base:\n    def run(self):\n        ...\n\n    def stop(self):\n        pass\n"
        let answer = """
        ```diff
        --- a/base.py
        +++ b/base.py
        @@ -1,6 +1,6 @@
         class Base:
             def run(self):
                 ...
         
        -    def stop(self):
        +    def stop(self, force=False):
                 pass
        ```
        """
        let files = [EditableFile(path: "base.py", text: python)]
        let edits = try UnifiedDiffOutputParser().parse(answer, files: files)
        #expect(edits.filePatches[0].hunks.count == 1)
        let result = try applied(edits, to: files)
        #expect(result["base.py"] == python.replacingOccurrences(of: "def stop(self)", with: "def stop(self, force=False)"))
    }

    @Test("added lines after a trailing elision cannot be placed and are reported")
    func unplaceableAdditions() throws {
        let answer = """
        ```diff
        --- a/Sources/App/main.swift
        +++ b/Sources/App/main.swift
        @@ -1,2 +1,2 @@
         let greeter = Greeter(name: "World")
        -print(greeter.greet())
        +print(greeter.welcome())
         ...
        +print("Bye")
        ```
        """
        let edits = try UnifiedDiffOutputParser().parse(answer, files: [])
        #expect(edits.filePatches[0].hunks.count == 1)
        #expect(edits.warnings.contains { $0.contains("could not be placed") })
    }

    @Test("elision markers are recognized, code is not", arguments: [
        ("...", true), ("…", true), ("// ...", true), ("# ... existing code ...", true), ("/* ... */", true),
        ("<!-- ... -->", true), ("// rest of the file unchanged", true), ("    // ... other methods ...", true),
        ("...args", false), ("foo(...)", false), ("// TODO: fix", false), ("let x = 1 ...", false), ("", false),
        ("... rest", true), ("...defaults,", false),
    ])
    func markers(line: String, expected: Bool) {
        #expect(ElisionMarker.isElision(line) == expected)
    }
}
