import Testing
@testable import Diffs

@Suite("Applier")
struct ApplierTests {
    /// Lines "line 1" ... "line n", each ending in a newline.
    static func numbered(_ count: Int) -> String {
        (1...count).map { "line \($0)\n" }.joined()
    }

    static func parseOne(_ diff: String) throws -> FilePatch {
        try #require(try UnifiedDiffParser().parse(diff).first)
    }

    let changeLine5 = """
        --- a/f
        +++ b/f
        @@ -2,7 +2,7 @@
         line 2
         line 3
         line 4
        -line 5
        +LINE FIVE
         line 6
         line 7
         line 8

        """

    @Test func exactMatchAtTheStatedLine() throws {
        let result = try PatchApplier().apply(Self.parseOne(changeLine5), to: Self.numbered(10))
        #expect(result.newText == Self.numbered(10).replacingOccurrences("line 5\n", "LINE FIVE\n"))
        #expect(result.hunks.map(\.method) == [.exact])
        #expect(result.hunks[0].appliedLine == 2)
        #expect(result.edits == [LineEdit(startLine: 4, replacedLineCount: 1, replacementLines: ["LINE FIVE"])])
        #expect(result.endsWithNewline && result.lineEnding == .lineFeed)
    }

    @Test func offsetWhenLinesMoved() throws {
        let text = "new a\nnew b\nnew c\n" + Self.numbered(10)
        let result = try PatchApplier().apply(Self.parseOne(changeLine5), to: text)
        #expect(result.newText == text.replacingOccurrences("line 5\n", "LINE FIVE\n"))
        #expect(result.hunks[0].method == .offset(3))
        #expect(result.hunks[0].appliedLine == 5)
        #expect(result.edits[0].startLine == 7)
    }

    @Test func laterHunksFollowTheOffsetOfEarlierOnes() throws {
        let diff = """
            --- a/f
            +++ b/f
            @@ -1,2 +1,2 @@
            -line 1
            +ONE
             line 2
            @@ -20,2 +20,2 @@
             line 20
            -line 21
            +TWENTY-ONE

            """
        let text = "x\nx\n" + Self.numbered(25)
        let result = try PatchApplier().apply(Self.parseOne(diff), to: text)
        #expect(result.hunks.map(\.method) == [.offset(2), .offset(2)])
        #expect(result.newText.contains("ONE\nline 2\n") && result.newText.contains("line 20\nTWENTY-ONE\n"))
    }

    @Test func fuzzOneAndTwo() throws {
        var text = Self.numbered(10).replacingOccurrences("line 2\n", "line two\n")
        var result = try PatchApplier().apply(Self.parseOne(changeLine5), to: text)
        #expect(result.hunks[0].method == .fuzz(1, offset: 0))
        #expect(result.newText == text.replacingOccurrences("line 5\n", "LINE FIVE\n"))

        text = text.replacingOccurrences("line 3\n", "line three\n")
        result = try PatchApplier().apply(Self.parseOne(changeLine5), to: text)
        #expect(result.hunks[0].method == .fuzz(2, offset: 0))
        #expect(result.newText.contains("line two\nline three\nline 4\nLINE FIVE\n"))

        #expect(throws: PatchApplyError.self) {
            try PatchApplier(options: .init(maximumFuzz: 1)).apply(Self.parseOne(changeLine5), to: text)
        }
    }

    @Test func changedRemovedLineIsNeverFuzzed() {
        let text = Self.numbered(10).replacingOccurrences("line 5\n", "line 5 edited\n")
        #expect {
            try PatchApplier().apply(Self.parseOne(changeLine5), to: text)
        } throws: { error in
            guard let error = error as? PatchApplyError, case .contextNotFound(let closest?) = error.reason else {
                return false
            }
            return closest.line == 2 && closest.firstDifferenceLine == 5 && closest.expected == "line 5"
                && closest.found == "line 5 edited" && error.hunkIndex == 0
                && error.description.contains("hunk 1 of 1 (@@ -2,7 +2,7 @@)")
                && error.description.contains("line 5 should be \"line 5\" but is \"line 5 edited\"")
        }
    }

    @Test func whitespaceTolerance() throws {
        let diff = """
            --- a/f.swift
            +++ b/f.swift
            @@ -1,3 +1,3 @@
             func f() {
            -  return 1
            +  return 2
             }

            """
        let text = "func f() {\n\treturn 1   \n}\n"
        #expect(throws: PatchApplyError.self) { try PatchApplier().apply(Self.parseOne(diff), to: text) }
        let result = try PatchApplier(options: .init(ignoresWhitespace: true)).apply(Self.parseOne(diff), to: text)
        #expect(result.newText == "func f() {\n  return 2\n}\n")
        #expect(result.hunks[0].method == .whitespace(fuzz: 0, offset: 0))
        #expect(result.hunks[0].method.description == "ignoring whitespace")
    }

    @Test func ambiguousContextNamesTheCandidateLines() {
        let block = "a\nb\nc\nd\n"
        let text = "start\n" + block + "middle\nmiddle\n" + block + "end\n"
        let diff = "--- a/f\n+++ b/f\n@@ -4,4 +4,4 @@\n a\n b\n-c\n+C\n d\n"
        #expect {
            try PatchApplier().apply(Self.parseOne(diff), to: text)
        } throws: { error in
            guard let error = error as? PatchApplyError, case .ambiguousContext(let lines) = error.reason else {
                return false
            }
            return lines == [2, 8] && error.description.contains("lines 2, 8") && error.description.contains("f: hunk 1 of 1")
        }
    }

    @Test func statedLineWinsOverRepeatsElsewhere() throws {
        let block = "a\nb\nc\nd\n"
        let text = "start\n" + block + "middle\n" + block
        let diff = "--- a/f\n+++ b/f\n@@ -7,4 +7,4 @@\n a\n b\n-c\n+C\n d\n"
        let result = try PatchApplier().apply(Self.parseOne(diff), to: text)
        #expect(result.newText == "start\n" + block + "middle\na\nb\nC\nd\n")
        #expect(result.hunks[0].method == .exact)
    }

    @Test func crlfFileStaysCRLF() throws {
        let text = "one\r\ntwo\r\nthree\r\n"
        let diff = "--- a/f\n+++ b/f\n@@ -1,3 +1,4 @@\n one\n-two\n+2\n+2.5\n three\n"
        let result = try PatchApplier().apply(Self.parseOne(diff), to: text)
        #expect(result.newText == "one\r\n2\r\n2.5\r\nthree\r\n")
        #expect(result.lineEnding == .carriageReturnLineFeed)
        #expect(result.edits == [LineEdit(startLine: 1, replacedLineCount: 1, replacementLines: ["2", "2.5"])])
    }

    @Test func addingAndRemovingTheFinalNewline() throws {
        let add = "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n"
        var result = try PatchApplier().apply(Self.parseOne(add), to: "a\nb")
        #expect(result.newText == "a\nb\n" && result.endsWithNewline)

        let remove = "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end of file\n"
        result = try PatchApplier().apply(Self.parseOne(remove), to: "a\nb\n")
        #expect(result.newText == "a\nb" && !result.endsWithNewline)

        result = try PatchApplier().apply(Self.parseOne(remove), to: "a\r\nb\r\n")
        #expect(result.newText == "a\r\nb")
    }

    @Test func appendingAfterAnUnterminatedLastLine() throws {
        let diff = "--- a/f\n+++ b/f\n@@ -1,2 +1,3 @@\n a\n b\n+c\n"
        let result = try PatchApplier().apply(Self.parseOne(diff), to: "a\nb")
        #expect(result.newText == "a\nb\nc\n")
    }

    @Test func noNewlineMarkerAnchorsAtTheEnd() throws {
        // The same two lines occur twice; the marker says the hunk is at the end.
        let text = "x\ny\nmid\nx\ny"
        let diff = "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n x\n-y\n\\ No newline at end of file\n+Y\n\\ No newline at end of file\n"
        let result = try PatchApplier().apply(Self.parseOne(diff), to: text)
        #expect(result.newText == "x\ny\nmid\nx\nY")
        #expect(result.hunks[0].method == .offset(3))
    }

    @Test func createAndDelete() throws {
        let create = "--- /dev/null\n+++ b/n\n@@ -0,0 +1,2 @@\n+a\n+b\n"
        #expect(try PatchApplier().apply(Self.parseOne(create), to: "").newText == "a\nb\n")

        let delete = "--- a/n\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-a\n-b\n"
        #expect(try PatchApplier().apply(Self.parseOne(delete), to: "a\nb\n").newText == "")
        #expect {
            try PatchApplier().apply(Self.parseOne(delete), to: "a\nb\nc\n")
        } throws: { error in
            (error as? PatchApplyError)?.reason == .deletionLeavesContent(remainingLineCount: 1)
        }
    }

    @Test func insertionWithoutContext() throws {
        let diff = "--- a/f\n+++ b/f\n@@ -2,0 +3,2 @@\n+new 1\n+new 2\n"
        let result = try PatchApplier().apply(Self.parseOne(diff), to: Self.numbered(3))
        #expect(result.newText == "line 1\nline 2\nnew 1\nnew 2\nline 3\n")
        #expect(result.edits == [LineEdit(startLine: 2, replacedLineCount: 0, replacementLines: ["new 1", "new 2"])])
        #expect {
            try PatchApplier().apply(Self.parseOne(diff.replacingOccurrences("-2,0", "-9,0")), to: Self.numbered(3))
        } throws: { error in
            (error as? PatchApplyError)?.reason == .beyondEndOfFile(fileLineCount: 3)
        }
    }

    @Test func insertionAtTheStartOfAnotherHunkGoesFirst() throws {
        let diff = "--- a/f\n+++ b/f\n@@ -2,0 +3 @@\n+inserted\n@@ -3 +4 @@\n-line 3\n+LINE 3\n"
        let result = try PatchApplier().apply(Self.parseOne(diff), to: Self.numbered(4))
        #expect(result.newText == "line 1\nline 2\ninserted\nLINE 3\nline 4\n")
        #expect(result.edits == [LineEdit(startLine: 2, replacedLineCount: 1, replacementLines: ["inserted", "LINE 3"])])
        #expect(LineEdit.apply(result.edits, to: splitLines(Self.numbered(4))) == splitLines(result.newText))
    }

    @Test func insertionInsideAnotherHunkIsRefused() {
        let diff = "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n line 1\n-line 2\n+TWO\n line 3\n@@ -2,0 +3 @@\n+x\n"
        #expect {
            try PatchApplier().apply(Self.parseOne(diff), to: Self.numbered(4))
        } throws: { error in
            (error as? PatchApplyError)?.reason == .insideAnotherHunk(otherHunkLines: 1...3)
        }
    }

    @Test func theSameHunkCannotApplyTwice() throws {
        var patch = try Self.parseOne(changeLine5)
        patch.hunks.append(patch.hunks[0])
        #expect(throws: PatchApplyError.self) { try PatchApplier().apply(patch, to: Self.numbered(10)) }
    }

    @Test func lineEditsReproduceTheNewTextBottomUp() throws {
        let diff = """
            --- a/f
            +++ b/f
            @@ -1,3 +1,2 @@
            -line 1
             line 2
             line 3
            @@ -8,3 +7,5 @@
             line 8
            -line 9
            +nine
            +nine and a half
             line 10
            +eleven

            """
        let result = try PatchApplier().apply(Self.parseOne(diff), to: Self.numbered(10))
        #expect(result.edits.map(\.startLine) == [0, 8, 10])
        let oldLines = (1...10).map { "line \($0)" }
        #expect(LineEdit.apply(result.edits, to: oldLines) == splitLines(result.newText))
    }

    @Test func binaryPatchIsRefused() {
        let patch = FilePatch(oldPath: "img.png", newPath: "img.png", isBinary: true)
        #expect {
            try PatchApplier().apply(patch, to: "")
        } throws: { error in
            (error as? PatchApplyError)?.reason == .binaryPatch && "\(error)".contains("img.png")
        }
    }
}

extension String {
    /// Test shorthand for replacing every occurrence of `target`.
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
