import Foundation
import Testing

@testable import FileWatching

/// End-to-end tests against the real kernel: each starts a watcher on a
/// fresh temporary tree, changes the tree and waits (with a timeout) for the
/// expected report.
@Suite("FileWatcher")
struct FileWatcherTests {
    @Test func setupWatchesEveryDirectoryExceptIgnoredOnes() async throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        try tree.write("a/b/file.swift")
        try tree.write("c/readme.md")
        try tree.write("build/out.o")
        try tree.write(".git/objects/pack/x")
        try tree.write(".gitignore", "build/\n")
        let watcher = FileWatcher(root: tree.root)
        defer { watcher.stop() }
        let stats = try await watcher.start()
        #expect(stats.watchedDirectories == 4) // root, a, a/b, c
        #expect(stats.unwatchedDirectories == 0)
        #expect(stats.setupDuration > .zero)
        #expect(watcher.statistics == stats)
    }

    @Test func createModifyDelete() async throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        let watcher = FileWatcher(root: tree.root)
        defer { watcher.stop() }
        let recorder = ChangeRecorder(watcher)
        try await watcher.start()

        try tree.write("new.txt")
        try await recorder.changes { $0.has(.created, "new.txt") }
        try tree.write("new.txt", "second version\n")
        try await recorder.changes { $0.has(.modified, "new.txt") }
        try tree.delete("new.txt")
        try await recorder.changes { $0.has(.deleted, "new.txt") }
    }

    @Test func atomicRenameSaveIsAModificationOfTheTarget() async throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        try tree.write("Sources/main.swift", "v1\n")
        let watcher = FileWatcher(root: tree.root)
        defer { watcher.stop() }
        let recorder = ChangeRecorder(watcher)
        try await watcher.start()

        // Write a temporary file next to the target, then rename it over the target.
        try tree.write("Sources/main.swift.tmp-8123", "v2\n")
        try tree.rename("Sources/main.swift.tmp-8123", "Sources/main.swift")
        let seen = try await recorder.changes { $0.has(.modified, "Sources/main.swift") }
        #expect(!seen.contains { $0.kind == .renamed })
        #expect(!seen.has(.deleted, "Sources/main.swift"))

        // The same through Foundation's atomic write.
        try "v3\n".write(toFile: tree.path("Sources/main.swift"), atomically: true, encoding: .utf8)
        let again = try await recorder.changes { $0.has(.modified, "Sources/main.swift") }
        #expect(!again.has(.deleted, "Sources/main.swift"))
    }

    @Test func editorScratchFilesAreNotReported() async throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        try tree.write("notes.txt", "v1\n")
        let watcher = FileWatcher(root: tree.root)
        defer { watcher.stop() }
        let recorder = ChangeRecorder(watcher)
        try await watcher.start()

        // Vim: swap file, write test file, backup by rename, new file, drop the backup.
        try tree.write(".notes.txt.swp")
        try tree.write("4913")
        try tree.delete("4913")
        try tree.rename("notes.txt", "notes.txt~")
        try tree.write("notes.txt", "v2\n")
        try tree.delete("notes.txt~")
        // Emacs: lock symlink and autosave file.
        try FileManager.default.createSymbolicLink(atPath: tree.path(".#notes.txt"), withDestinationPath: "user@host")
        try tree.write("#notes.txt#")
        try tree.write("done.txt")

        let seen = try await recorder.changes { $0.has(.created, "done.txt") }
        let names = Set(seen.map(\.relativePath))
        #expect(names.isDisjoint(with: [".notes.txt.swp", "4913", "notes.txt~", ".#notes.txt", "#notes.txt#"]))
        #expect(seen.contains { $0.relativePath == "notes.txt" && $0.kind != .deleted })
        #expect(seen.last { $0.relativePath == "notes.txt" }?.kind != .deleted)
    }

    @Test func newDirectoryWithFilesAlreadyInIt() async throws {
        let tree = try TemporaryTree()
        let outside = try TemporaryTree()
        defer {
            tree.remove()
            outside.remove()
        }
        try tree.makeDirectory("src")
        // Prepared outside the tree, so the files exist before any watch could see them.
        try outside.write("feature/top.txt")
        try outside.write("feature/nested/deep/file.txt")
        let watcher = FileWatcher(root: tree.root)
        defer { watcher.stop() }
        let recorder = ChangeRecorder(watcher)
        try await watcher.start()

        #expect(rename(outside.path("feature"), tree.path("src/feature")) == 0)
        let seen = try await recorder.changes {
            $0.has(.created, "src/feature/nested/deep/file.txt") && $0.has(.created, "src/feature/top.txt")
        }
        #expect(seen.contains { $0.relativePath == "src/feature" && $0.kind == .created && $0.isDirectory })
        #expect(seen.has(.created, "src/feature/nested/deep"))
        #expect(watcher.statistics.watchedDirectories == 5)

        // The new directories are watched.
        try tree.write("src/feature/nested/deep/file.txt", "edited\n")
        try await recorder.changes { $0.has(.modified, "src/feature/nested/deep/file.txt") }

        // A directory made and filled at once in the tree.
        try tree.write("gen/a/b/c.txt")
        try await recorder.changes { $0.has(.created, "gen/a/b/c.txt") }
    }

    @Test func deletedDirectoryIsReportedAndItsWatchesDropped() async throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        try tree.write("keep/k.txt")
        try tree.write("doomed/inner/f.txt")
        let watcher = FileWatcher(root: tree.root)
        defer { watcher.stop() }
        let recorder = ChangeRecorder(watcher)
        #expect(try await watcher.start().watchedDirectories == 4)

        try tree.delete("doomed")
        let seen = try await recorder.changes { $0.has(.deleted, "doomed") }
        #expect(seen.has(.deleted, "doomed/inner/f.txt"))
        #expect(seen.first { $0.relativePath == "doomed" }?.isDirectory == true)
        #expect(watcher.statistics.watchedDirectories == 2)

        // Re-created under the same name, it is watched afresh.
        try tree.write("doomed/again.txt")
        try await recorder.changes { $0.has(.created, "doomed/again.txt") }
        #expect(watcher.statistics.watchedDirectories == 3)
    }

    @Test func renamedDirectoryKeepsBeingWatchedUnderItsNewName() async throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        try tree.write("old/sub/file.txt")
        let watcher = FileWatcher(root: tree.root)
        defer { watcher.stop() }
        let recorder = ChangeRecorder(watcher)
        try await watcher.start()

        try tree.rename("old", "new")
        let seen = try await recorder.changes { $0.has(.renamed, "new") }
        #expect(seen.first { $0.relativePath == "new" }?.previousPath == "old")
        try tree.write("new/sub/file.txt", "edited\n")
        try await recorder.changes { $0.has(.modified, "new/sub/file.txt") }

        // Moving a directory out of the tree is a deletion.
        let outside = try TemporaryTree()
        defer { outside.remove() }
        #expect(rename(tree.path("new"), outside.path("gone")) == 0)
        try await recorder.changes { $0.has(.deleted, "new") }
        #expect(watcher.statistics.watchedDirectories == 1)
    }

    @Test func changesInIgnoredPlacesProduceNoEvents() async throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        try tree.write(".gitignore", "build/\n*.log\n")
        try tree.write("build/cache/old.o")
        let watcher = FileWatcher(root: tree.root)
        defer { watcher.stop() }
        let recorder = ChangeRecorder(watcher)
        #expect(try await watcher.start().watchedDirectories == 1)

        // Ignored changes first, then one that is not ignored: everything
        // reported up to the non-ignored change must be free of the former.
        try tree.write("build/cache/new.o")
        try tree.write("build/fresh/x.o")
        try tree.write("server.log")
        try tree.write(".git/index")
        try tree.write("main.c")
        let seen = try await recorder.changes { $0.has(.created, "main.c") }
        #expect(!seen.mentions("build"))
        #expect(!seen.mentions("server.log"))
        #expect(!seen.mentions(".git"))
    }

    @Test func nestedIgnoreFilesAndRuntimeChanges() async throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        try tree.write(".gitignore", "*.tmp\n/out/\n")
        try tree.write("lib/.gitignore", "!keep.tmp\ngenerated/\n")
        try tree.write(".aidignore", "secret.txt\n")
        try tree.write("lib/.ignore", "*.bak\n")
        let watcher = FileWatcher(root: tree.root)
        defer { watcher.stop() }
        let recorder = ChangeRecorder(watcher)
        try await watcher.start()

        try tree.write("lib/scratch.tmp")
        try tree.write("lib/generated/api.swift")
        try tree.write("lib/old.bak")
        try tree.write("secret.txt")
        try tree.write("out/bin")
        try tree.write("lib/out/kept.txt") // `/out/` is anchored to the root
        try tree.write("lib/keep.tmp")
        let seen = try await recorder.changes { $0.has(.created, "lib/keep.tmp") && $0.has(.created, "lib/out/kept.txt") }
        for ignored in ["lib/scratch.tmp", "lib/generated", "lib/old.bak", "secret.txt", "out"] {
            #expect(!seen.mentions(ignored), "\(ignored) was reported")
        }

        // Editing an ignore file takes effect immediately.
        try tree.write(".gitignore", "*.tmp\n/out/\nlater/\n")
        try await recorder.changes { $0.has(.modified, ".gitignore") }
        try tree.write("later/x.txt")
        try tree.write("now.txt")
        let after = try await recorder.changes { $0.has(.created, "now.txt") }
        #expect(!after.mentions("later"))
    }

    @Test func editingIgnoreRulesChangesWhatIsWatched() async throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        try tree.write(".gitignore", "gen/\n")
        try tree.write("gen/old.txt")
        try tree.write("src/main.c")
        let watcher = FileWatcher(root: tree.root)
        defer { watcher.stop() }
        let recorder = ChangeRecorder(watcher)
        #expect(try await watcher.start().watchedDirectories == 2)

        // Un-ignoring a directory starts watching it.
        try tree.write(".gitignore", "src/\n")
        try await recorder.changes { $0.has(.modified, ".gitignore") }
        #expect(watcher.statistics.watchedDirectories == 2) // root and gen; src is dropped
        try tree.write("gen/new.txt")
        try tree.write("src/ignored-now.c")
        try tree.write("marker.txt")
        let seen = try await recorder.changes { $0.has(.created, "gen/new.txt") && $0.has(.created, "marker.txt") }
        #expect(!seen.mentions("src"))
    }

    @Test func watchLimitExhaustionIsAWarningNotAFailure() async throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        for name in ["a", "b", "c", "d"] { try tree.write("\(name)/file.txt") }
        let watcher = FileWatcher(root: tree.root, ignoreMatcher: nil, simulatedWatchLimit: 2)
        defer { watcher.stop() }
        let recorder = ChangeRecorder(watcher)
        let stats = try await watcher.start()
        #expect(stats.watchedDirectories == 2)
        #expect(stats.unwatchedDirectories == 3)
        let warning = try await recorder.warning { $0.kind == .watchLimitReached }
        #expect(warning.message.contains("fs.inotify.max_user_watches"))
        #expect(warning.message.contains("sudo sysctl fs.inotify.max_user_watches="))
        #expect(warning.message.contains("3 directories could not be"))
        // Watching goes on where watches exist.
        try tree.write("root.txt")
        try await recorder.changes { $0.has(.created, "root.txt") }
    }

    @Test func stopEndsTheStreamsAndTheWatcherCannotRestart() async throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        let watcher = FileWatcher(root: tree.root)
        try await watcher.start()
        watcher.stop()
        var count = 0
        for await _ in watcher.events { count += 1 }
        for await _ in watcher.warnings { count += 1 }
        #expect(count == 0)
        await #expect(throws: FileWatcherError.alreadyStarted) { try await watcher.start() }
        watcher.stop()
    }

    @Test func rootGivenThroughASymbolicLink() async throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        try tree.write("real/.gitignore", "*.o\n")
        let link = tree.path("link")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: tree.path("real"))
        let watcher = FileWatcher(root: link + "/")
        defer { watcher.stop() }
        let recorder = ChangeRecorder(watcher)
        #expect(watcher.root == link)
        #expect(try await watcher.start().watchedDirectories == 1)
        try tree.write("real/a.o")
        try tree.write("real/a.c")
        let seen = try await recorder.changes { $0.has(.created, "a.c") }
        #expect(!seen.mentions("a.o"))
    }

    @Test func rootMustBeADirectory() async throws {
        let watcher = FileWatcher(root: "/definitely/not/here")
        await #expect(throws: FileWatcherError.notADirectory("/definitely/not/here")) {
            try await watcher.start()
        }
    }
}
