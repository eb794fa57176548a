import Foundation
import Testing

@testable import FileWatching

/// Several subscribers of one root against the real kernel: one inotify instance between them,
/// each seeing what its own rules admit.
@Suite("SharedFileWatchers")
struct SharedFileWatchersTests {
    /// Ignores what lies under any of `directories` and files ending in any of `suffixes`.
    struct Rules: IgnoreMatcher {
        var directories: [String] = []
        var suffixes: [String] = []

        func isIgnored(relativePath: String, isDirectory: Bool) -> Bool {
            if directories.contains(where: { relativePath == $0 || relativePath.hasPrefix($0 + "/") }) { return true }
            return !isDirectory && suffixes.contains { relativePath.hasSuffix($0) }
        }
    }

    /// The inotify instances this process holds open.
    static func inotifyInstances() -> Int {
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return descriptors.count { descriptor in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(descriptor)")) == "anon_inode:inotify"
        }
    }

    @Test func subscribersShareOneWatcherAndEachSeesWhatItsRulesAdmit() async throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        try tree.makeDirectory("src")
        try tree.makeDirectory("out")
        let before = Self.inotifyInstances()
        let watchers = SharedFileWatchers()
        let build = try await watchers.subscribe(root: tree.root, matcher: Rules(directories: ["out"]))
        defer { build.cancel() }
        let index = try await watchers.subscribe(root: tree.root + "/", matcher: Rules(suffixes: [".log"]))
        defer { index.cancel() }
        #expect(Self.inotifyInstances() == before + 1)
        #expect(watchers.subscriberCounts.values.sorted() == [2])
        #expect(index.statistics.watchedDirectories == 3) // root, src, out: what either subscriber wants
        let builds = ChangeRecorder(build)
        let indexes = ChangeRecorder(index)

        try tree.write("out/main.o")
        try tree.write("src/run.log")
        try tree.write("src/main.swift")
        let built = try await builds.changes { $0.has(.created, "src/main.swift") }
        let indexed = try await indexes.changes { $0.has(.created, "src/main.swift") }
        #expect(!built.mentions("out/main.o") && built.has(.created, "src/run.log"))
        #expect(!indexed.mentions("src/run.log") && indexed.has(.created, "out/main.o"))
    }

    @Test func aRenameAcrossASubscribersRulesIsACreationOrADeletion() async throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        try tree.write("draft.log")
        try tree.write("notes.txt")
        let watchers = SharedFileWatchers()
        let everything = try await watchers.subscribe(root: tree.root, matcher: NoIgnoreMatcher())
        defer { everything.cancel() }
        let noLogs = try await watchers.subscribe(root: tree.root, matcher: Rules(suffixes: [".log"]))
        defer { noLogs.cancel() }
        let all = ChangeRecorder(everything)
        let some = ChangeRecorder(noLogs)

        try tree.rename("draft.log", "draft.txt")
        try tree.rename("notes.txt", "notes.log")
        try tree.write("marker")
        let seenByAll = try await all.changes { $0.has(.created, "marker") }
        #expect(seenByAll.contains { $0.kind == .renamed && $0.relativePath == "draft.txt" && $0.previousPath == "draft.log" })
        #expect(seenByAll.contains { $0.kind == .renamed && $0.relativePath == "notes.log" && $0.previousPath == "notes.txt" })
        let seenBySome = try await some.changes { $0.has(.created, "marker") }
        #expect(seenBySome.has(.created, "draft.txt"))
        #expect(seenBySome.has(.deleted, "notes.txt"))
        #expect(!seenBySome.mentions("draft.log") && !seenBySome.mentions("notes.log"))
    }

    @Test func theWatcherStopsWithItsLastSubscriberAndStartsAgainForTheNext() async throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        let before = Self.inotifyInstances()
        let watchers = SharedFileWatchers()
        let first = try await watchers.subscribe(root: tree.root, matcher: NoIgnoreMatcher())
        let second = try await watchers.subscribe(root: tree.root, matcher: NoIgnoreMatcher())
        let remaining = ChangeRecorder(second)
        first.cancel()
        first.cancel()
        #expect(Self.inotifyInstances() == before + 1)
        var ended = true
        for await _ in first.events { ended = false }
        #expect(ended)
        try tree.write("after-first.txt")
        try await remaining.changes { $0.has(.created, "after-first.txt") }

        second.cancel()
        #expect(Self.inotifyInstances() == before)
        #expect(watchers.subscriberCounts.isEmpty)

        let third = try await watchers.subscribe(root: tree.root, matcher: NoIgnoreMatcher())
        defer { third.cancel() }
        let recorder = ChangeRecorder(third)
        try tree.write("after-restart.txt")
        try await recorder.changes { $0.has(.created, "after-restart.txt") }
    }

    @Test func everySubscribersRulesHearOfAChangedIgnoreFile() async throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        // The shared watcher ignores nothing, so only the subscribers' own rules can drop the files.
        let watchers = SharedFileWatchers(sharedMatcher: { _ in NoIgnoreMatcher() })
        let first = try await watchers.subscribe(root: tree.root, matcher: GitIgnoreMatcher(root: tree.root))
        defer { first.cancel() }
        let second = try await watchers.subscribe(root: tree.root, matcher: GitIgnoreMatcher(root: tree.root))
        defer { second.cancel() }
        let recorders = [ChangeRecorder(first), ChangeRecorder(second)]
        try tree.write("before.tmp")
        for recorder in recorders { try await recorder.changes { $0.has(.created, "before.tmp") } }

        try tree.write(".gitignore", "*.tmp\n")
        try tree.write("after.tmp")
        try tree.write("after.txt")
        for recorder in recorders {
            let seen = try await recorder.changes { $0.has(.created, "after.txt") }
            #expect(!seen.mentions("after.tmp"), "a subscriber's cached rules were not dropped")
        }
    }

    @Test func aLateSubscriberHearsTheWarningsGivenBeforeItJoined() async throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        for name in ["a", "b", "c"] { try tree.makeDirectory(name) }
        let watchers = SharedFileWatchers(sharedMatcher: { GitIgnoreMatcher(root: $0) }, simulatedWatchLimit: 2)
        let first = try await watchers.subscribe(root: tree.root, matcher: NoIgnoreMatcher())
        defer { first.cancel() }
        try await ChangeRecorder(first).warning { $0.kind == .watchLimitReached }
        let late = try await watchers.subscribe(root: tree.root, matcher: NoIgnoreMatcher())
        defer { late.cancel() }
        let warning = try await ChangeRecorder(late).warning { $0.kind == .watchLimitReached }
        #expect(warning.message.contains("fs.inotify.max_user_watches"))
    }
}
