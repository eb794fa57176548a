import Testing
@testable import Diffs

@Suite("Parser: tolerance of model output")
struct ParserToleranceTests {
    let parser = UnifiedDiffParser()

    @Test func proseAndCodeFencesAroundTheDiff() throws {
        let text = """
            Sure! Here is the change you asked for:

            ```diff
            --- a/Sources/main.swift
            +++ b/Sources/main.swift
            @@ -1,2 +1,2 @@
             let greeting = "hi"
            -print(greeting)
            +print(greeting, "there")
            ```

            - This prints an extra word.
            - Let me know if you need anything else.
            """
        let patches = try parser.parse(text)
        #expect(patches.count == 1)
        #expect(patches[0].kind == .modify && patches[0].newPath == "Sources/main.swift")
        #expect(patches[0].hunks[0].lines.count == 3)
        let applied = try PatchApplier().apply(patches[0], to: "let greeting = \"hi\"\nprint(greeting)\n")
        #expect(applied.newText == "let greeting = \"hi\"\nprint(greeting, \"there\")\n")
    }

    @Test func bulletListRightAfterAHunkWithCorrectCountsIsProse() throws {
        let text = "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n\n- This change renames b.\n"
        let hunk = try #require(try parser.parse(text).first?.hunks.first)
        #expect(hunk.lines == [.context("a"), .removal("b"), .addition("c")])
    }

    @Test func crlfDiffText() throws {
        let text = "diff --git a/f.txt b/f.txt\r\nindex 1111111..2222222 100644\r\n--- a/f.txt\r\n+++ b/f.txt\r\n"
            + "@@ -1,3 +1,3 @@\r\n one\r\n-two\r\n+TWO\r\n three\r\n"
        let patch = try #require(try parser.parse(text).first)
        #expect(patch.newPath == "f.txt")
        #expect(patch.hunks[0].lines == [.context("one"), .removal("two"), .addition("TWO"), .context("three")])
    }

    @Test func carriageReturnsInsideAnLFDiffStayInTheLines() throws {
        // git's diff of a CRLF file: structural lines end in LF, content lines keep their CR.
        let text = "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n one\r\n-two\r\n+2\r\n"
        let hunk = try #require(try parser.parse(text).first?.hunks.first)
        #expect(hunk.lines == [.context("one\r"), .removal("two\r"), .addition("2\r")])
        let applied = try PatchApplier().apply(hunks: [hunk], to: "one\r\ntwo\r\n", path: "f")
        #expect(applied.newText == "one\r\n2\r\n")
    }

    @Test func hunkHeaderThatOvercountsIsRecounted() throws {
        let text = """
            --- a/f
            +++ b/f
            @@ -1,9 +1,12 @@
             a
            -b
            +B
             c
            @@ -20,3 +20,3 @@
             x
            -y
            +Y
             z
            """
        let patch = try #require(try parser.parse(text).first)
        #expect(patch.hunks.count == 2)
        #expect((patch.hunks[0].oldCount, patch.hunks[0].newCount) == (3, 3))
        #expect(patch.hunks[1].lines.count == 4)
    }

    @Test func hunkHeaderThatUndercountsIsRecounted() throws {
        let text = """
            --- a/f
            +++ b/f
            @@ -1,2 +1,2 @@
             a
            -b
            +B
            +C
             c
             d
            diff --git a/g b/g
            --- a/g
            +++ b/g
            @@ -1 +1 @@
            -1
            +2
            """
        let patches = try parser.parse(text)
        #expect(patches.count == 2)
        #expect(patches[0].hunks[0].lines == [
            .context("a"), .removal("b"), .addition("B"), .addition("C"), .context("c"), .context("d"),
        ])
        #expect((patches[0].hunks[0].oldCount, patches[0].hunks[0].newCount) == (4, 5))
        #expect(patches[1].hunks[0].lines == [.removal("1"), .addition("2")])
    }

    @Test func overcountingHeaderStopsAtTheNextFileHeader() throws {
        let text = "--- a/f\n+++ b/f\n@@ -1,5 +1,5 @@\n a\n-b\n+c\n--- a/g\n+++ b/g\n@@ -1 +1 @@\n-x\n+y\n"
        let patches = try parser.parse(text)
        #expect(patches.map(\.displayPath) == ["f", "g"])
        #expect(patches[0].hunks[0].lines == [.context("a"), .removal("b"), .addition("c")])
    }

    @Test func hunkWhoseBodyHasNoChangesAfterRecountingIsAnError() {
        let text = "--- a/f\n+++ b/f\n@@ -1,4 +1,5 @@\n a\n b\n c\nThat's all.\n"
        #expect {
            try parser.parse(text)
        } throws: { error in
            guard let error = error as? DiffParseError,
                case .hunkBodyMismatch(4, 5, 3, 3) = error.reason
            else { return false }
            return error.line == 3 && error.path == "f" && error.description.contains("line 3")
        }
    }

    @Test func blankContextLinesWithoutTheirSpace() throws {
        let text = "--- a/f\n+++ b/f\n@@ -1,4 +1,4 @@\n func a() {\n\n-    old()\n+    new()\n }\n"
        let hunk = try #require(try parser.parse(text).first?.hunks.first)
        #expect(hunk.lines == [.context("func a() {"), .context(""), .removal("    old()"), .addition("    new()"), .context("}")])
    }

    @Test func gitHeaderWithoutFileLinesOrIndex() throws {
        let text = "diff --git a/Sources/x.swift b/Sources/x.swift\n@@ -1 +1 @@\n-a\n+b\n"
        let patch = try #require(try parser.parse(text).first)
        #expect(patch.kind == .modify && patch.newPath == "Sources/x.swift")
        #expect(patch.hunks.count == 1)
    }

    @Test func plainDiffUWithTimestamps() throws {
        let text = """
            diff -u old/config.ini new/config.ini
            --- old/config.ini\t2024-05-01 10:00:00.000000000 +0200
            +++ new/config.ini\t2024-05-02 11:00:00.000000000 +0200
            @@ -1,2 +1,2 @@
             [main]
            -debug = false
            +debug = true
            Only in new: extra.ini
            """
        let patch = try #require(try parser.parse(text).first)
        #expect(patch.kind == .modify)
        #expect(patch.oldPath == "new/config.ini" && patch.newPath == "new/config.ini")
        #expect(patch.hunks[0].lines.count == 3)
    }

    @Test func plainDiffNewFileWithEpochTimestamp() throws {
        let text = "--- a/new.txt\t1970-01-01 00:00:00.000000000 +0000\n+++ b/new.txt\t2024-05-02 11:00:00 +0200\n"
            + "@@ -0,0 +1 @@\n+hello\n"
        let patch = try #require(try parser.parse(text).first)
        #expect(patch.kind == .create && patch.newPath == "new.txt")
    }

    @Test func missingDiffGitLineWithDevNull() throws {
        let text = "--- /dev/null\n+++ b/docs/new.md\n@@ -0,0 +1,2 @@\n+# Title\n+text\n--- a/gone.md\n+++ /dev/null\n@@ -1 +0,0 @@\n-bye\n"
        let patches = try parser.parse(text)
        #expect(patches.map(\.kind) == [.create, .delete])
        #expect(patches[0].newPath == "docs/new.md" && patches[1].oldPath == "gone.md")
    }

    @Test func hunksSeparatedByProseStayWithTheirFile() throws {
        let text = """
            --- a/f
            +++ b/f
            @@ -1,2 +1,2 @@
            -a
            +A
             b

            Then further down:

            @@ -10,2 +10,2 @@
             j
            -k
            +K
            """
        let patch = try #require(try parser.parse(text).first)
        #expect(patch.hunks.count == 2)
        #expect(patch.hunks[1].oldStart == 10)
    }

    @Test func hunkHeaderWithoutClosingAtSigns() throws {
        let text = "--- a/f\n+++ b/f\n@@ -3,2 +3,2\n x\n-y\n+z\n"
        let hunk = try #require(try parser.parse(text).first?.hunks.first)
        #expect(hunk.oldStart == 3 && hunk.lines.count == 3)
    }

    @Test func malformedHunkHeaderNamesTheLine() {
        let text = "--- a/f\n+++ b/f\n@@ -x +1 @@\n-a\n+b\n"
        #expect {
            try parser.parse(text)
        } throws: { error in
            guard let error = error as? DiffParseError, case .malformedHunkHeader = error.reason else { return false }
            return error.line == 3 && error.description.contains("@@ -x +1 @@")
        }
    }

    @Test func textWithoutAnyDiff() {
        #expect {
            try parser.parse("I could not find the file you mentioned.\n")
        } throws: { error in
            (error as? DiffParseError)?.reason == .noDiffFound
        }
    }

    @Test func hunkBeforeAnyFileHeader() {
        #expect {
            try parser.parse("@@ -1 +1 @@\n-a\n+b\n")
        } throws: { error in
            (error as? DiffParseError)?.reason == .hunkWithoutFile
        }
    }

    @Test func emailSignatureAfterTheLastHunk() throws {
        let text = "From 1234 Mon Sep 17 00:00:00 2001\nSubject: [PATCH] fix\n---\n f | 2 +-\n\n"
            + "diff --git a/f b/f\nindex 1111111..2222222 100644\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n-- \n2.39.5\n"
        let patch = try #require(try parser.parse(text).first)
        #expect(patch.hunks[0].lines == [.removal("a"), .addition("b")])
    }
}
