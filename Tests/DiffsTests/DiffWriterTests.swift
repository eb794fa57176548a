import Foundation
import Testing
@testable import Diffs

@Suite("Diff writer and generator")
struct DiffWriterTests {
    /// Pairs of texts covering the edge cases of line-based diffs.
    static let cases: [(name: String, old: String, new: String)] = [
        ("change in the middle", "a\nb\nc\nd\ne\nf\ng\nh\n", "a\nb\nc\nD\ne\nf\ng\nh\n"),
        ("insert at the top", "a\nb\n", "new\na\nb\n"),
        ("append at the end", "a\nb\n", "a\nb\nc\n"),
        ("delete at the end", "a\nb\nc\n", "a\n"),
        ("two distant changes", (1...30).map { "l\($0)\n" }.joined(),
         (1...30).map { $0 == 3 ? "three\n" : $0 == 25 ? "" : "l\($0)\n" }.joined()),
        ("add final newline", "a\nb", "a\nb\n"),
        ("remove final newline", "a\nb\n", "a\nb"),
        ("change unterminated last line", "a\nb", "a\nc"),
        ("append after unterminated line", "a", "a\nb\n"),
        ("from empty", "", "x\ny\n"),
        ("to empty", "x\ny\n", ""),
        ("crlf content", "a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\n"),
        ("unicode", "caf\u{E9}\n\u{1F600}\n", "cafe\u{301}\n\u{1F600}\n"),
        ("blank lines", "\n\n\nx\n\n", "\n\nx\n\n\n"),
    ]

    @Test func generatedDiffsApplyBack() throws {
        for (name, old, new) in Self.cases {
            let diff = UnifiedDiffWriter.unifiedDiff(oldText: old, newText: new, oldPath: "f.txt", newPath: "f.txt")
            #expect(diff.hasPrefix("diff --git a/f.txt b/f.txt\n--- a/f.txt\n+++ b/f.txt\n@@ "), "\(name)")
            let patch = try #require(try UnifiedDiffParser().parse(diff).first, "\(name)")
            let result = try PatchApplier().apply(patch, to: old)
            #expect(result.newText.utf8.elementsEqual(new.utf8), "\(name): \(diff)")
            #expect(result.appliedExactly, "\(name)")
            #expect(UnifiedDiffWriter.text(of: patch) == diff, "\(name)")
        }
    }

    @Test func identicalTextsGiveAnEmptyDiff() {
        #expect(UnifiedDiffWriter.unifiedDiff(oldText: "a\n", newText: "a\n", oldPath: "f", newPath: "f") == "")
    }

    @Test func gitStyleOutput() {
        let diff = UnifiedDiffWriter.unifiedDiff(
            oldText: "a\nb\nc\n", newText: "a\nB\nc", oldPath: "dir/x.swift", newPath: "dir/x.swift", contextLines: 1)
        #expect(diff == """
            diff --git a/dir/x.swift b/dir/x.swift
            --- a/dir/x.swift
            +++ b/dir/x.swift
            @@ -1,3 +1,3 @@
             a
            -b
            -c
            +B
            +c
            \\ No newline at end of file

            """)
    }

    @Test func contextLinesSplitAndMergeHunks() {
        let old = (1...20).map { "\($0)\n" }.joined()
        let new = (1...20).map { $0 == 5 ? "five\n" : $0 == 12 ? "twelve\n" : "\($0)\n" }.joined()
        let merged = UnifiedDiffWriter.filePatch(oldText: old, newText: new, oldPath: "f", newPath: "f", contextLines: 3)
        #expect(merged.hunks.count == 1)
        let split = UnifiedDiffWriter.filePatch(oldText: old, newText: new, oldPath: "f", newPath: "f", contextLines: 2)
        #expect(split.hunks.count == 2)
        #expect(split.hunks.map(\.headerLine) == ["@@ -3,5 +3,5 @@", "@@ -10,5 +10,5 @@"])
        let none = UnifiedDiffWriter.filePatch(oldText: old, newText: new, oldPath: "f", newPath: "f", contextLines: 0)
        #expect(none.hunks.map(\.headerLine) == ["@@ -5 +5 @@", "@@ -12 +12 @@"])
    }

    @Test func randomEditsRoundTrip() throws {
        var random = SeededRandom(seed: 42)
        let vocabulary = ["let a = 1", "}", "", "func f() {", "    return x", "// note", "import Foundation"]
        for round in 0..<200 {
            let oldLines = (0..<Int.random(in: 0...40, using: &random)).map { _ in vocabulary.randomElement(using: &random)! }
            var newLines = oldLines
            for _ in 0..<Int.random(in: 1...6, using: &random) {
                let position = Int.random(in: 0...newLines.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: newLines.insert("inserted \(round)", at: position)
                case 1 where position < newLines.count: newLines.remove(at: position)
                default: if position < newLines.count { newLines[position] = "changed \(round)" }
                }
            }
            let old = oldLines.map { $0 + "\n" }.joined() + (Bool.random(using: &random) ? "tail" : "")
            let new = newLines.map { $0 + "\n" }.joined() + (Bool.random(using: &random) ? "tail" : "")
            let context = Int.random(in: 0...4, using: &random)
            let diff = UnifiedDiffWriter.unifiedDiff(oldText: old, newText: new, oldPath: "r", newPath: "r", contextLines: context)
            guard !diff.isEmpty else { continue }
            let patch = try #require(try UnifiedDiffParser().parse(diff).first)
            let result = try PatchApplier().apply(patch, to: old)
            #expect(result.newText == new, "round \(round)")
        }
    }

    @Test func createDeleteAndRenamePatches() throws {
        let created = UnifiedDiffWriter.filePatch(oldText: nil, newText: "x\n", oldPath: "n", newPath: "n")
        #expect(UnifiedDiffWriter.text(of: created) == "diff --git a/n b/n\nnew file mode 100644\n--- /dev/null\n+++ b/n\n@@ -0,0 +1 @@\n+x\n")
        let deleted = UnifiedDiffWriter.filePatch(oldText: "x\n", newText: nil, oldPath: "n", newPath: "n")
        #expect(UnifiedDiffWriter.text(of: deleted) == "diff --git a/n b/n\ndeleted file mode 100644\n--- a/n\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n")
        let renamed = UnifiedDiffWriter.filePatch(oldText: "x\n", newText: "x\n", oldPath: "a b", newPath: "c")
        #expect(UnifiedDiffWriter.text(of: renamed) == "diff --git a/a b b/c\nsimilarity index 100%\nrename from a b\nrename to c\n")
        let reparsed = try UnifiedDiffParser().parse(UnifiedDiffWriter.text(of: [created, deleted, renamed]))
        #expect(reparsed.map(\.kind) == [.create, .delete, .rename])
        #expect(reparsed[2].oldPath == "a b" && reparsed[2].newPath == "c")
    }

    @Test func generatedDiffsPassGitApply() throws {
        let repository = try TemporaryDirectory()
        try ProcessRunner.git(["init", "--quiet", repository.url.path])
        var diff = ""
        for (index, testCase) in Self.cases.enumerated() {
            let path = "case \(index)/" + (index % 3 == 0 ? "f\u{F6}\u{F6}.txt" : "file.txt")
            try repository.write(testCase.old, to: path)
            diff += UnifiedDiffWriter.unifiedDiff(oldText: testCase.old, newText: testCase.new, oldPath: path, newPath: path)
        }
        try repository.write("doomed\n", to: "gone.txt")
        diff += UnifiedDiffWriter.text(of: [
            UnifiedDiffWriter.filePatch(oldText: nil, newText: "fresh\nfile", oldPath: "new/made.txt", newPath: "new/made.txt"),
            UnifiedDiffWriter.filePatch(oldText: "doomed\n", newText: nil, oldPath: "gone.txt", newPath: "gone.txt"),
        ])
        let patchFile = repository.url.appendingPathComponent("../\(repository.url.lastPathComponent).patch").standardizedFileURL
        try Data(diff.utf8).write(to: patchFile)
        defer { try? FileManager.default.removeItem(at: patchFile) }

        try ProcessRunner.git(["apply", "--check", patchFile.path], directory: repository.url)
        try ProcessRunner.git(["apply", patchFile.path], directory: repository.url)
        for (index, testCase) in Self.cases.enumerated() {
            let path = "case \(index)/" + (index % 3 == 0 ? "f\u{F6}\u{F6}.txt" : "file.txt")
            let onDisk = try Data(contentsOf: repository.url.appendingPathComponent(path))
            #expect(onDisk == Data(testCase.new.utf8), "\(testCase.name)")
        }
        #expect(try repository.read("new/made.txt") == "fresh\nfile")
        #expect(!repository.exists("gone.txt"))
    }
}
