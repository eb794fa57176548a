import Foundation
import Testing

@testable import Context

@Suite("File discovery")
struct DiscoveryTests {
    private let files: [String: String] = [
        "Sources/App/main.swift": "print(1)\n",
        "Sources/App/Generated.swift": "let generated = 1\n",
        "build/out.swift": "let built = 1\n",
        "notes/private.md": "secret\n",
        "docs/guide.md": "# Guide\n",
        "docs/draft.md": "# Draft\n",
        "vendor/lib.c": "int x;\n",
        ".gitignore": "build/\n*.log\n",
        ".ignore": "notes/\n",
        ".aidignore": "Sources/App/Generated.swift\nvendor/\n",
        "docs/.aidignore": "draft.md\n",
        "debug.log": "log\n",
    ]

    private func check(_ paths: [String]) {
        #expect(paths.contains("Sources/App/main.swift"))
        #expect(paths.contains("docs/guide.md"))
        #expect(!paths.contains("build/out.swift"), ".gitignore")
        #expect(!paths.contains("debug.log"), ".gitignore pattern")
        #expect(!paths.contains("notes/private.md"), ".ignore")
        #expect(!paths.contains("Sources/App/Generated.swift"), ".aidignore")
        #expect(!paths.contains("vendor/lib.c"), ".aidignore directory")
        #expect(!paths.contains("docs/draft.md"), "nested .aidignore")
        #expect(!paths.contains { $0.hasPrefix(".git/") })
    }

    @Test func walkHonoursAllIgnoreFiles() throws {
        let workspace = try TemporaryWorkspace()
        defer { workspace.remove() }
        for (path, text) in files { try workspace.write(path, text) }
        let discovery = FileDiscovery(root: workspace.root)
        #expect(!discovery.usesGit)
        check(try discovery.discover())
    }

    @Test func gitWorkspaceListsTrackedAndUntrackedButNotIgnored() throws {
        let workspace = try TemporaryWorkspace(git: true)
        defer { workspace.remove() }
        for (path, text) in files { try workspace.write(path, text) }
        try workspace.git("add", "Sources/App/main.swift")
        let discovery = FileDiscovery(root: workspace.root)
        #expect(discovery.usesGit)
        let paths = try discovery.discover()
        check(paths)
        #expect(paths == paths.sorted())
    }

    @Test func binaryAndHugeFilesAreSkipped() async throws {
        var configuration = IndexConfiguration()
        configuration.contentPolicy = FileContentPolicy(maximumFileSize: 4096)
        let indexed = try await IndexedWorkspace(files: [
            "small.swift": "struct Small {}\n",
            "huge.swift": String(repeating: "let value = 1\n", count: 1000),
        ], configuration: configuration)
        defer { indexed.remove() }
        var binary = Data("struct LooksLikeCode {}\n".utf8)
        binary.append(contentsOf: [0, 1, 2, 0])
        try indexed.workspace.write("blob.swift", data: binary)
        try indexed.workspace.write("image.png", data: Data([0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 0x0D]))
        let report = try await indexed.index.build()
        #expect(report.skipped[.binary] == 2)
        #expect(report.skipped[.tooLarge] == 1)
        #expect(indexed.index.indexedPaths() == ["small.swift"])
        // A file that becomes binary is dropped on update.
        try indexed.workspace.write("small.swift", data: Data([0x73, 0, 0x74]))
        let update = try await indexed.index.update(changedPaths: ["small.swift"])
        #expect(update.removed == 1)
        #expect(indexed.index.indexedPaths().isEmpty)
    }

    @Test func defaultPolicyLimitsAreOneMebibyteAndEightKibibytes() {
        let policy = FileContentPolicy()
        #expect(policy.maximumFileSize == 1 << 20)
        #expect(policy.rejection(size: (1 << 20) + 1) == .tooLarge)
        var late = Data(repeating: 0x61, count: 9000)
        late[8500] = 0
        #expect(policy.rejection(size: late.count, data: late) == nil, "a NUL after the first 8 KiB does not count")
    }
}

@Suite("Indexing without ctags")
struct MissingCtagsTests {
    @Test func brokenCtagsFallsBackToLineWindowsAndSaysWhy() async throws {
        var configuration = IndexConfiguration()
        configuration.ctagsExecutable = "/nonexistent/ctags"
        let indexed = try await IndexedWorkspace(files: [
            "lib/add.c": "int add(int a, int b) {\n    return a + b;\n}\n",
            "Main.swift": "struct Main { func run() {} }\n",
        ], configuration: configuration)
        defer { indexed.remove() }
        let report = try await indexed.index.build()
        #expect(report.indexed == 0, "nothing changed since the first build")
        let fresh = try WorkspaceIndex(root: indexed.workspace.root, database: try IndexDatabase.open(path: indexed.databasePath + "2"),
                                       configuration: configuration)
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: indexed.databasePath + "2" + suffix) } }
        let coldReport = try await fresh.build()
        #expect(coldReport.ctagsProblem?.contains("/nonexistent/ctags") == true)
        #expect(fresh.outline(of: "lib/add.c") == [], "no declarations without ctags")
        #expect(fresh.search("add").first?.path == "lib/add.c", "still retrievable through line windows")
        #expect(fresh.outline(of: "Main.swift")?.first?.name == "Main", "Swift needs no ctags")
    }
}
