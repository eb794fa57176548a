import Testing
@testable import Diffs

@Suite("Parser: git headers and file kinds")
struct ParserHeaderTests {
    let parser = UnifiedDiffParser()

    @Test func modifyWithIndexLineAndSectionHeading() throws {
        let diff = """
            diff --git a/Sources/App.swift b/Sources/App.swift
            index 3b18e51..a1c2d3e 100644
            --- a/Sources/App.swift
            +++ b/Sources/App.swift
            @@ -1,3 +1,4 @@ struct App {
             import Foundation
            -let x = 1
            +let x = 2
            +let y = 3
             print(x)

            """
        let patches = try parser.parse(diff)
        #expect(patches.count == 1)
        let patch = try #require(patches.first)
        #expect(patch.kind == .modify)
        #expect(patch.oldPath == "Sources/App.swift")
        #expect(patch.newPath == "Sources/App.swift")
        #expect(patch.oldMode == .regular && patch.newMode == .regular)
        #expect(patch.oldObjectID == "3b18e51" && patch.newObjectID == "a1c2d3e")
        let hunk = try #require(patch.hunks.first)
        #expect((hunk.oldStart, hunk.oldCount, hunk.newStart, hunk.newCount) == (1, 3, 1, 4))
        #expect(hunk.sectionHeading == "struct App {")
        #expect(hunk.lines == [
            .context("import Foundation"), .removal("let x = 1"), .addition("let x = 2"), .addition("let y = 3"),
            .context("print(x)"),
        ])
        #expect(UnifiedDiffWriter.text(of: patches) == diff)
    }

    @Test func newFileMode() throws {
        let diff = """
            diff --git a/new.txt b/new.txt
            new file mode 100755
            index 0000000..ce01362
            --- /dev/null
            +++ b/new.txt
            @@ -0,0 +1,2 @@
            +hello
            +world

            """
        let patch = try #require(try parser.parse(diff).first)
        #expect(patch.kind == .create)
        #expect(patch.oldPath == nil && patch.newPath == "new.txt")
        #expect(patch.newMode == .executable)
        #expect(patch.hunks[0].oldStart == 0 && patch.hunks[0].oldCount == 0)
        #expect(UnifiedDiffWriter.text(of: patch) == diff)
    }

    @Test func deletedFileMode() throws {
        let diff = """
            diff --git a/old.txt b/old.txt
            deleted file mode 100644
            index ce01362..0000000
            --- a/old.txt
            +++ /dev/null
            @@ -1 +0,0 @@
            -hello

            """
        let patch = try #require(try parser.parse(diff).first)
        #expect(patch.kind == .delete)
        #expect(patch.oldPath == "old.txt" && patch.newPath == nil)
        #expect(patch.oldMode == .regular)
        #expect(patch.hunks[0].oldCount == 1 && patch.hunks[0].newCount == 0)
        #expect(UnifiedDiffWriter.text(of: patch) == diff)
    }

    @Test func emptyNewFileHasNoHunks() throws {
        let diff = """
            diff --git a/empty b/empty
            new file mode 100644
            index 0000000..e69de29

            """
        let patch = try #require(try parser.parse(diff).first)
        #expect(patch.kind == .create && patch.newPath == "empty" && patch.hunks.isEmpty)
        #expect(UnifiedDiffWriter.text(of: patch) == diff)
    }

    @Test func modeChangeOnly() throws {
        let diff = """
            diff --git a/run.sh b/run.sh
            old mode 100644
            new mode 100755

            """
        let patch = try #require(try parser.parse(diff).first)
        #expect(patch.kind == .modify)
        #expect(patch.oldMode == .regular && patch.newMode == .executable)
        #expect(patch.hunks.isEmpty)
        #expect(UnifiedDiffWriter.text(of: patch) == diff)
    }

    @Test func renameWithSimilarityAndModeChange() throws {
        let diff = """
            diff --git a/x b/y
            old mode 100644
            new mode 100755
            similarity index 83%
            rename from x
            rename to y
            index 0fdf397..e7b6241
            --- a/x
            +++ b/y
            @@ -1,3 +1,3 @@
             a
            -d
            +D
             e

            """
        let patch = try #require(try parser.parse(diff).first)
        #expect(patch.kind == .rename)
        #expect(patch.oldPath == "x" && patch.newPath == "y")
        #expect(patch.similarity == 83)
        #expect(patch.oldMode == .regular && patch.newMode == .executable)
        #expect(UnifiedDiffWriter.text(of: patch) == diff)
    }

    @Test func pureRenameWithoutHunks() throws {
        let diff = """
            diff --git a/dir one/file.txt b/dir two/file.txt
            similarity index 100%
            rename from dir one/file.txt
            rename to dir two/file.txt

            """
        let patch = try #require(try parser.parse(diff).first)
        #expect(patch.kind == .rename)
        #expect(patch.oldPath == "dir one/file.txt" && patch.newPath == "dir two/file.txt")
        #expect(patch.similarity == 100 && patch.hunks.isEmpty)
        #expect(UnifiedDiffWriter.text(of: patch) == diff)
    }

    @Test func copyHeaders() throws {
        let diff = """
            diff --git a/a.txt b/b.txt
            similarity index 90%
            copy from a.txt
            copy to b.txt
            index 1111111..2222222 100644
            --- a/a.txt
            +++ b/b.txt
            @@ -1 +1 @@
            -one
            +two

            """
        let patch = try #require(try parser.parse(diff).first)
        #expect(patch.kind == .copy)
        #expect(patch.oldPath == "a.txt" && patch.newPath == "b.txt" && patch.similarity == 90)
        #expect(UnifiedDiffWriter.text(of: patch) == diff)
    }

    @Test func dissimilarityIndex() throws {
        let diff = """
            diff --git a/f b/f
            dissimilarity index 92%
            index 1111111..2222222 100644
            --- a/f
            +++ b/f
            @@ -1 +1 @@
            -old
            +new

            """
        let patch = try #require(try parser.parse(diff).first)
        #expect(patch.dissimilarity == 92)
        #expect(UnifiedDiffWriter.text(of: patch) == diff)
    }

    @Test func noNewlineMarkersOnEachSide() throws {
        let diff = """
            diff --git a/nonl b/nonl
            index fa7af8b..b680253 100644
            --- a/nonl
            +++ b/nonl
            @@ -1,2 +1,2 @@
             a
            -z
            \\ No newline at end of file
            +z
            @@ -10 +10 @@
            -p
            +q
            \\ No newline at end of file

            """
        let patch = try #require(try parser.parse(diff).first)
        #expect(patch.hunks.count == 2)
        #expect(patch.hunks[0].oldMissingNewlineAtEnd && !patch.hunks[0].newMissingNewlineAtEnd)
        #expect(!patch.hunks[1].oldMissingNewlineAtEnd && patch.hunks[1].newMissingNewlineAtEnd)
        #expect(patch.hunks[0].lines == [.context("a"), .removal("z"), .addition("z")])
        #expect(UnifiedDiffWriter.text(of: patch) == diff)
    }

    @Test func noNewlineMarkerAfterContextAppliesToBothSides() throws {
        let diff = """
            --- a/f
            +++ b/f
            @@ -1,2 +1,2 @@
            -a
            +b
             last
            \\ No newline at end of file

            """
        let hunk = try #require(try parser.parse(diff).first?.hunks.first)
        #expect(hunk.oldMissingNewlineAtEnd && hunk.newMissingNewlineAtEnd)
    }

    @Test func quotedPathsWithEscapes() throws {
        let diff = """
            diff --git "a/f\\303\\266o \\"q\\".txt" "b/f\\303\\266o \\"q\\".txt"
            index bca70f3..4286f42 100644
            --- "a/f\\303\\266o \\"q\\".txt"
            +++ "b/f\\303\\266o \\"q\\".txt"
            @@ -1 +1 @@
            -q
            +r

            """
        let patch = try #require(try parser.parse(diff).first)
        #expect(patch.oldPath == "föo \"q\".txt")
        #expect(patch.newPath == "föo \"q\".txt")
        #expect(UnifiedDiffWriter.text(of: patch) == diff)
    }

    @Test func quotedRenamePathsAndTabInName() throws {
        let diff = """
            diff --git "a/tab\\there" "b/new\\\\name"
            similarity index 100%
            rename from "tab\\there"
            rename to "new\\\\name"

            """
        let patch = try #require(try parser.parse(diff).first)
        #expect(patch.oldPath == "tab\there")
        #expect(patch.newPath == "new\\name")
        #expect(UnifiedDiffWriter.text(of: patch) == diff)
    }

    @Test func pathWithSpacesUsesGitsTrailingTab() throws {
        let diff = "diff --git a/sp ace b/sp ace\nindex ce01362..2227cdd 100644\n--- a/sp ace\t\n+++ b/sp ace\t\n"
            + "@@ -1 +1,2 @@\n hello\n+more\n"
        let patch = try #require(try parser.parse(diff).first)
        #expect(patch.oldPath == "sp ace" && patch.newPath == "sp ace")
        #expect(UnifiedDiffWriter.text(of: patch) == diff)
    }

    @Test func gitPathQuotingRoundTrip() {
        for path in ["plain/path.swift", "with space", "tab\tname", "quote\"d", "back\\slash", "ünïcødé/文件", "new\nline"] {
            let quoted = GitPathQuoting.quotedIfNeeded(path)
            if quoted == path {
                #expect(!path.utf8.contains { $0 < 0x20 || $0 >= 0x7F || $0 == 0x22 || $0 == 0x5C })
            } else {
                #expect(GitPathQuoting.unquoted(quoted) == path)
            }
        }
        #expect(GitPathQuoting.quotedIfNeeded("a/ö") == "\"a/\\303\\266\"")
        #expect(GitPathQuoting.unquoted("\"unterminated") == nil)
        #expect(GitPathQuoting.unquoted("\"bad \\q escape\"") == nil)
    }

    @Test func malformedQuotedPathIsAnError() {
        let diff = "diff --git \"a/broken b/broken\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n"
        #expect(throws: DiffParseError.self) { try parser.parse(diff) }
    }

    @Test func multipleFilesInOneDiff() throws {
        let diff = """
            diff --git a/one b/one
            index 1111111..2222222 100644
            --- a/one
            +++ b/one
            @@ -1 +1 @@
            -1
            +one
            diff --git a/two b/two
            deleted file mode 100644
            index 3333333..0000000
            --- a/two
            +++ /dev/null
            @@ -1,2 +0,0 @@
            -2
            -two
            diff --git a/three b/three
            new file mode 100644
            index 0000000..4444444
            --- /dev/null
            +++ b/three
            @@ -0,0 +1 @@
            +3

            """
        let patches = try parser.parse(diff)
        #expect(patches.map(\.kind) == [.modify, .delete, .create])
        #expect(patches.map(\.displayPath) == ["one", "two", "three"])
        #expect(UnifiedDiffWriter.text(of: patches) == diff)
    }

    @Test func removedLinesThatLookLikeFileHeadersAreBodyLines() throws {
        // "--- x" / "+++ y" inside a correctly counted hunk are a removal and an addition.
        let diff = """
            diff --git a/notes.md b/notes.md
            index 1111111..2222222 100644
            --- a/notes.md
            +++ b/notes.md
            @@ -1,2 +1,2 @@
             title
            --- a/old
            +++ b/new

            """
        let patch = try #require(try parser.parse(diff).first)
        #expect(patch.hunks[0].lines == [.context("title"), .removal("-- a/old"), .addition("++ b/new")])
    }

    @Test func binaryFilesDifferIsRejectedNamingTheFile() {
        let diff = """
            diff --git a/logo.png b/logo.png
            index 1111111..2222222 100644
            Binary files a/logo.png and b/logo.png differ

            """
        #expect {
            try parser.parse(diff)
        } throws: { error in
            guard let error = error as? DiffParseError else { return false }
            return error.reason == .binaryPatch && error.path == "logo.png" && error.description.contains("logo.png")
        }
    }

    @Test func gitBinaryPatchIsRejectedOrKept() throws {
        let diff = """
            diff --git a/a.txt b/a.txt
            index 1111111..2222222 100644
            --- a/a.txt
            +++ b/a.txt
            @@ -1 +1 @@
            -a
            +b
            diff --git a/data.bin b/data.bin
            new file mode 100644
            index 0000000..5b2e1a6
            GIT binary patch
            literal 12
            TcmZQzWMXDvWn<^!<Kh4S0ZstL

            literal 0
            HcmV?d00001

            diff --git a/c.txt b/c.txt
            index 1111111..2222222 100644
            --- a/c.txt
            +++ b/c.txt
            @@ -1 +1 @@
            -c
            +d

            """
        #expect {
            try parser.parse(diff)
        } throws: { error in
            (error as? DiffParseError)?.path == "data.bin" && (error as? DiffParseError)?.reason == .binaryPatch
        }
        let kept = try UnifiedDiffParser(binaryPatchHandling: .keep).parse(diff)
        #expect(kept.map(\.displayPath) == ["a.txt", "data.bin", "c.txt"])
        #expect(kept.map(\.isBinary) == [false, true, false])
        #expect(kept[2].hunks.count == 1)
        #expect(throws: PatchApplyError.self) { try PatchApplier().apply(kept[1], to: "") }
    }

    @Test func plainBinaryFilesLineIsRejected() {
        let diff = "Only in a: x\nBinary files old/img.gif and new/img.gif differ\n"
        #expect {
            try parser.parse(diff)
        } throws: { error in
            (error as? DiffParseError)?.path == "new/img.gif"
        }
    }

    @Test func combinedDiffIsRejected() {
        let diff = "diff --cc file.c\nindex 1,2..3\n@@@ -1,1 -1,1 +1,1 @@@\n- a\n -b\n++c\n"
        #expect(throws: DiffParseError.self) { try parser.parse(diff) }
    }
}
