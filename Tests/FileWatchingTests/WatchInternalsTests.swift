import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import FileWatching

@Suite("Watcher internals")
struct WatchInternalsTests {
    @Test func decodesKernelEventLayout() {
        let events = [
            InotifyEvent(watchDescriptor: 1, mask: InotifyEvent.Mask.create, cookie: 0, name: "a.txt"),
            InotifyEvent(watchDescriptor: 2, mask: InotifyEvent.Mask.movedFrom | InotifyEvent.Mask.isDirectory,
                         cookie: 77, name: "a-rather-long-directory-name"),
            InotifyEvent(watchDescriptor: -1, mask: InotifyEvent.Mask.queueOverflow, cookie: 0, name: ""),
        ]
        let bytes = InotifyEvent.encode(events)
        #expect(bytes.count == 16 * 3 + 8 + 32) // names are NUL-terminated and padded to 4 bytes
        #expect(bytes.withUnsafeBytes { InotifyEvent.decode($0) } == events)
        // A truncated trailing event is dropped rather than misread.
        #expect(bytes.dropLast(3).withUnsafeBytes { InotifyEvent.decode($0) } == Array(events.prefix(2)))
    }

    @Test func batchFoldsRepeatedEventsForAPath() {
        var batch = ChangeBatch()
        batch.add(FileChange(relativePath: "a", kind: .created))
        batch.add(FileChange(relativePath: "a", kind: .modified))
        batch.add(FileChange(relativePath: "tmp", kind: .created))
        batch.add(FileChange(relativePath: "b", kind: .deleted))
        batch.add(FileChange(relativePath: "tmp", kind: .deleted))
        batch.add(FileChange(relativePath: "b", kind: .created))
        batch.add(FileChange(relativePath: "c", kind: .renamed, previousPath: "old-c"))
        batch.add(FileChange(relativePath: "c", kind: .deleted))
        #expect(batch.take() == [
            FileChange(relativePath: "a", kind: .created),
            FileChange(relativePath: "b", kind: .modified),
            FileChange(relativePath: "old-c", kind: .deleted),
        ])
        #expect(batch.isEmpty)
    }

    @Test func watchTableFollowsRenamesAndRemovals() {
        var table = WatchTable()
        table.insert(1, path: "")
        table.insert(2, path: "a")
        table.insert(3, path: "a/b")
        table.insert(4, path: "ab")
        table.renameSubtree(from: "a", to: "z")
        #expect(table.path(for: 3) == "z/b")
        #expect(table.path(for: 4) == "ab")
        #expect(Set(table.removeSubtree("z")) == [2, 3])
        #expect(table.count == 2)
    }

    // Queue overflow cannot be provoked reliably, so the event the kernel
    // would send is handed to a live session directly.
    @Test func queueOverflowAsksForARescan() async throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        try tree.write("src/x.swift")
        let inotify = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        try #require(inotify >= 0)
        defer { close(inotify) }
        let (events, eventSink) = AsyncStream.makeStream(of: FileWatchEvent.self)
        let (_, warningSink) = AsyncStream.makeStream(of: FileWatchWarning.self)
        let session = WatchSession(
            root: tree.root, matcher: NoIgnoreMatcher(), inotify: inotify,
            output: .init(events: eventSink, warnings: warningSink, statistics: Locked(FileWatcherStatistics())),
            simulatedWatchLimit: nil)
        #expect(session.setUp().watchedDirectories == 2)
        try tree.write("later/y.swift") // created while "events were lost"
        session.process([InotifyEvent(watchDescriptor: -1, mask: InotifyEvent.Mask.queueOverflow, cookie: 0, name: "")])
        eventSink.finish()
        var received: [FileWatchEvent] = []
        for await event in events { received.append(event) }
        #expect(received.count == 1)
        guard case .rescanNeeded(let reason) = received.first else {
            Issue.record("expected a rescan request, got \(received)")
            return
        }
        #expect(reason.contains("overflowed"))
        // The rescan registered the directory whose creation was missed.
        #expect(session.table.count == 3)
    }

    @Test func watchLimitMessage() {
        let message = WatchLimitMessage.make(root: "/home/me/project", watchedDirectories: 8190,
                                             unwatchedDirectories: 42, currentLimit: 8192)
        #expect(message.hasPrefix("File watching is incomplete for /home/me/project: the limit of 8192 inotify watches"))
        #expect(message.contains("(fs.inotify.max_user_watches) is used up"))
        #expect(message.contains("8190 directories are watched, 42 directories could not be"))
        #expect(message.contains("`sudo sysctl fs.inotify.max_user_watches=524288`"))
        #expect(message.contains("`fs.inotify.max_user_watches=524288` to /etc/sysctl.d/90-inotify.conf"))
        #expect(!message.contains("\n"))

        let single = WatchLimitMessage.make(root: "/r", watchedDirectories: 1_000_000, unwatchedDirectories: 1,
                                            currentLimit: 1_000_000)
        #expect(single.contains("1 directory could not be"))
        #expect(single.contains("max_user_watches=2000000"))
        let unknown = WatchLimitMessage.make(root: "/r", watchedDirectories: 3, unwatchedDirectories: 2,
                                             currentLimit: nil)
        #expect(unknown.contains("the inotify watch limit per user"))
    }

    @Test func currentLimitIsReadFromProc() throws {
        let limit = try #require(WatchLimitMessage.currentLimit())
        #expect(limit > 0)
        #expect(WatchLimitMessage.currentLimit(path: "/nonexistent/limit") == nil)
    }

    @Test func editorScratchNames() {
        for name in [".#main.c", "main.c~", "4913", ".main.c.swp", ".main.c.swx", "#main.c#",
                     "main.c___jb_tmp___", ".goutputstream-AB12", "main.c.kate-swp"] {
            #expect(BuiltInIgnores.isEditorTemporaryFile(name: name), "\(name)")
        }
        for name in ["main.c", "main.swift", "4914", "#include", "swap.txt", ".gitignore"] {
            #expect(!BuiltInIgnores.isEditorTemporaryFile(name: name), "\(name)")
        }
        #expect(BuiltInIgnores.isVersionControlPath(".git"))
        #expect(BuiltInIgnores.isVersionControlPath("vendor/lib/.git/config"))
        #expect(!BuiltInIgnores.isVersionControlPath(".github/workflows"))
    }
}
