import Foundation
import Testing
@testable import Diffs

@Suite("Workspace patcher")
struct WorkspacePatcherTests {
    static func diff(_ path: String, _ old: String, _ new: String) -> String {
        UnifiedDiffWriter.unifiedDiff(oldText: old, newText: new, oldPath: path, newPath: path)
    }

    static func permissions(_ url: URL) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func threeFilesWhereTheThirdFailsLeavesAllUntouched() throws {
        let workspace = try TemporaryDirectory()
        try workspace.write("a1\na2\na3\n", to: "a.txt")
        try workspace.write("b1\nb2\nb3\n", to: "dir/b.txt")
        try workspace.write("c1\nc2\nc3\n", to: "c.txt")
        let text = Self.diff("a.txt", "a1\na2\na3\n", "a1\nA2\na3\n")
            + Self.diff("dir/b.txt", "b1\nb2\nb3\n", "b1\nB2\nb3\n")
            + Self.diff("c.txt", "x1\nx2\nx3\n", "x1\nX2\nx3\n")
        let patches = try UnifiedDiffParser().parse(text)
        let patcher = try WorkspacePatcher(root: workspace.url)
        #expect {
            try patcher.apply(patches)
        } throws: { error in
            guard let error = error as? WorkspacePatchError, case .patchDoesNotApply(let inner) = error.reason else {
                return false
            }
            return error.path == "c.txt" && inner.path == "c.txt" && error.description.contains("No file was changed")
        }
        #expect(try workspace.read("a.txt") == "a1\na2\na3\n")
        #expect(try workspace.read("dir/b.txt") == "b1\nb2\nb3\n")
        #expect(try workspace.read("c.txt") == "c1\nc2\nc3\n")
    }

    @Test func overlayIsPatchedInsteadOfDisk() throws {
        let workspace = try TemporaryDirectory()
        try workspace.write("saved 1\nsaved 2\n", to: "f.txt")
        let unsaved = "unsaved 1\nunsaved 2\n"
        let patches = try UnifiedDiffParser().parse(Self.diff("f.txt", unsaved, "unsaved 1\nedited 2\n"))
        let patcher = try WorkspacePatcher(root: workspace.url)
        #expect(throws: WorkspacePatchError.self) { try patcher.apply(patches) }
        let result = try patcher.apply(patches, overlay: ["./f.txt": unsaved])
        #expect(result.files.count == 1)
        #expect(result.files[0].usedOverlay)
        #expect(result.files[0].originalText == unsaved)
        #expect(result.files[0].newText == "unsaved 1\nedited 2\n")
        #expect(result.files[0].application.edits == [LineEdit(startLine: 1, replacedLineCount: 1, replacementLines: ["edited 2"])])
        #expect(try workspace.read("f.txt") == "unsaved 1\nedited 2\n")
    }

    @Test func dryRunWritesNothing() throws {
        let workspace = try TemporaryDirectory()
        try workspace.write("one\n", to: "f.txt")
        let patches = [
            UnifiedDiffWriter.filePatch(oldText: "one\n", newText: "two\n", oldPath: "f.txt", newPath: "f.txt"),
            UnifiedDiffWriter.filePatch(oldText: nil, newText: "new\n", oldPath: "n.txt", newPath: "n.txt"),
        ]
        let result = try WorkspacePatcher(root: workspace.url).apply(patches, dryRun: true)
        #expect(result.isDryRun)
        #expect(result.files.map(\.action) == [.modified, .created])
        #expect(result.files.map(\.newText) == ["two\n", "new\n"])
        #expect(try workspace.read("f.txt") == "one\n")
        #expect(!workspace.exists("n.txt"))
    }

    @Test func createDeleteRenameAndModes() throws {
        let workspace = try TemporaryDirectory()
        try workspace.write("#!/bin/sh\necho hi\n", to: "run.sh")
        try workspace.write("bye\n", to: "old.txt")
        try workspace.write("moving\ncontent\n", to: "from/m.txt")
        chmod(workspace.url.appendingPathComponent("run.sh").path, 0o755)
        let text = """
            diff --git a/run.sh b/run.sh
            --- a/run.sh
            +++ b/run.sh
            @@ -1,2 +1,2 @@
             #!/bin/sh
            -echo hi
            +echo hello
            diff --git a/deep/new/dir/tool b/deep/new/dir/tool
            new file mode 100755
            --- /dev/null
            +++ b/deep/new/dir/tool
            @@ -0,0 +1 @@
            +#!/bin/sh
            diff --git a/old.txt b/old.txt
            deleted file mode 100644
            --- a/old.txt
            +++ /dev/null
            @@ -1 +0,0 @@
            -bye
            diff --git a/from/m.txt b/to/m.txt
            similarity index 50%
            rename from from/m.txt
            rename to to/m.txt
            --- a/from/m.txt
            +++ b/to/m.txt
            @@ -1,2 +1,2 @@
             moving
            -content
            +moved content

            """
        let result = try WorkspacePatcher(root: workspace.url).apply(try UnifiedDiffParser().parse(text))
        #expect(result.files.map(\.action) == [.modified, .created, .deleted, .renamed(from: "from/m.txt")])
        #expect(try workspace.read("run.sh") == "#!/bin/sh\necho hello\n")
        #expect(try Self.permissions(workspace.url.appendingPathComponent("run.sh")) == 0o755)
        #expect(try workspace.read("deep/new/dir/tool") == "#!/bin/sh\n")
        #expect(try Self.permissions(workspace.url.appendingPathComponent("deep/new/dir/tool")) == 0o755)
        #expect(!workspace.exists("old.txt"))
        #expect(!workspace.exists("from/m.txt"))
        #expect(!workspace.exists("from"), "a directory the change emptied goes, as with git apply")
        #expect(try workspace.read("to/m.txt") == "moving\nmoved content\n")
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: workspace.url.path)
            .filter { $0.contains(".patch-") }
        #expect(leftovers.isEmpty)
    }

    @Test func deletionsRemoveTheDirectoriesTheyEmptyAndNothingElse() throws {
        let workspace = try TemporaryDirectory()
        try workspace.write("only\n", to: "a/b/c/only.txt")
        try workspace.write("stays\n", to: "a/other.txt")
        try workspace.write("last\n", to: "top.txt")
        let text = """
            diff --git a/a/b/c/only.txt b/a/b/c/only.txt
            deleted file mode 100644
            --- a/a/b/c/only.txt
            +++ /dev/null
            @@ -1 +0,0 @@
            -only
            diff --git a/top.txt b/top.txt
            deleted file mode 100644
            --- a/top.txt
            +++ /dev/null
            @@ -1 +0,0 @@
            -last

            """
        _ = try WorkspacePatcher(root: workspace.url).apply(try UnifiedDiffParser().parse(text))
        #expect(!workspace.exists("a/b"), "a/b/c and a/b held nothing else")
        #expect(try workspace.read("a/other.txt") == "stays\n")
        #expect(FileManager.default.fileExists(atPath: workspace.url.path), "the root stays, even emptied")
    }

    @Test func failedWriteMidwayRollsBack() throws {
        let workspace = try TemporaryDirectory()
        try workspace.write("a\n", to: "a.txt")
        try workspace.write("b\n", to: "b.txt")
        let text = Self.diff("a.txt", "a\n", "A\n") + Self.diff("b.txt", "b\n", "B\n")
        var patches = try UnifiedDiffParser().parse(text)
        patches.insert(UnifiedDiffWriter.filePatch(oldText: nil, newText: "n\n", oldPath: "x", newPath: "new/dir/n.txt"), at: 1)
        var patcher = try WorkspacePatcher(root: workspace.url)
        patcher.beforeEachWrite = { path in
            if path == "b.txt" { throw FileOperationError(path: path, message: "simulated disk full") }
        }
        #expect {
            try patcher.apply(patches)
        } throws: { error in
            guard let error = error as? WorkspacePatchError, case .writeFailed(let message, let unrestored) = error.reason
            else { return false }
            return error.path == "b.txt" && message == "simulated disk full" && unrestored.isEmpty
        }
        #expect(try workspace.read("a.txt") == "a\n")
        #expect(try workspace.read("b.txt") == "b\n")
        #expect(!workspace.exists("new/dir/n.txt"))
        #expect(!workspace.exists("new"))
    }

    @Test func creatingAnExistingFileIsRefused() throws {
        let workspace = try TemporaryDirectory()
        try workspace.write("here\n", to: "f.txt")
        let patch = UnifiedDiffWriter.filePatch(oldText: nil, newText: "new\n", oldPath: "f.txt", newPath: "f.txt")
        #expect {
            try WorkspacePatcher(root: workspace.url).apply([patch])
        } throws: { error in
            (error as? WorkspacePatchError)?.reason == .fileAlreadyExists
        }
        #expect(try workspace.read("f.txt") == "here\n")
    }

    @Test func modifyingAMissingFileIsRefused() throws {
        let workspace = try TemporaryDirectory()
        let patches = try UnifiedDiffParser().parse(Self.diff("nope.txt", "a\n", "b\n"))
        #expect {
            try WorkspacePatcher(root: workspace.url).apply(patches)
        } throws: { error in
            (error as? WorkspacePatchError)?.reason == .fileMissing && "\(error)".contains("nope.txt")
        }
    }

    @Test func unsafePathsWriteNothing() throws {
        let workspace = try TemporaryDirectory()
        try workspace.write("a\n", to: "a.txt")
        for path in ["../escape.txt", ".git/config", "/etc/passwd"] {
            let text = Self.diff("a.txt", "a\n", "A\n")
                + "--- a/\(path)\n+++ b/\(path)\n@@ -1 +1 @@\n-x\n+y\n"
            let patches = try UnifiedDiffParser().parse(text)
            #expect {
                try WorkspacePatcher(root: workspace.url).apply(patches)
            } throws: { error in
                guard let error = error as? WorkspacePatchError, case .unsafePath = error.reason else { return false }
                return true
            }
            #expect(try workspace.read("a.txt") == "a\n")
        }
    }

    @Test func laterPatchesSeeEarlierOnesInTheSameSet() throws {
        let workspace = try TemporaryDirectory()
        try workspace.write("1\n2\n3\n", to: "f.txt")
        let text = Self.diff("f.txt", "1\n2\n3\n", "1\ntwo\n3\n") + Self.diff("f.txt", "1\ntwo\n3\n", "one\ntwo\n3\n")
        let result = try WorkspacePatcher(root: workspace.url).apply(try UnifiedDiffParser().parse(text))
        #expect(result.files.count == 2)
        #expect(try workspace.read("f.txt") == "one\ntwo\n3\n")
    }
}
