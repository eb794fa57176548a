import AidTestSupport
import Foundation
import Testing

@testable import Context

/// A small workspace where `RequestRouter` is defined once and `Logger` is
/// used everywhere while `Throttle` is used once.
let retrievalFiles: [String: String] = [
    "Sources/Net/RequestRouter.swift": """
        /// Routes requests to handlers.
        public final class RequestRouter {
            private var routes: [String: Handler] = [:]

            public func register(_ path: String, handler: Handler) {
                routes[path] = handler
            }

            public func route(_ request: Request) -> Response {
                Logger.shared.info("routing")
                return routes[request.path]?.handle(request) ?? .notFound
            }
        }
        """,
    "Sources/Net/Server.swift": """
        struct Server {
            let router: RequestRouter
            func start() { Logger.shared.info("start") }
        }
        """,
    "Sources/Net/Request.swift": """
        struct Request { var path: String }
        struct Response { static let notFound = Response() }
        protocol Handler { func handle(_ request: Request) -> Response }
        """,
    "Sources/Util/Logger.swift": """
        final class Logger {
            static let shared = Logger()
            func info(_ message: String) {}
        }
        """,
    "Sources/Util/Throttle.swift": """
        struct Throttle {
            var limit: Int
        }
        """,
    "Sources/App/main.swift": """
        let server = Server(router: RequestRouter())
        Logger.shared.info("boot")
        let throttle = Throttle(limit: 3)
        server.start()
        """,
    "Sources/App/Metrics.swift": """
        enum Metrics { static func record() { Logger.shared.info("metric") } }
        """,
    "scripts/deploy.py": """
        import logging

        def deploy(target):
            logging.info("deploying %s", target)
        """,
    "README.md": "# Demo\n\nA demo server with a request router.\n",
]

@Suite("Retrieval index")
struct RetrievalTests {
    @Test func definingFileRanksFirstForItsSymbol() async throws {
        let indexed = try await IndexedWorkspace(files: retrievalFiles)
        defer { indexed.remove() }
        let hits = indexed.index.search("RequestRouter")
        #expect(hits.first?.path == "Sources/Net/RequestRouter.swift")
        #expect(hits.first?.symbol == "RequestRouter")
        // Split identifiers: words of a camel-case name find it too.
        #expect(indexed.index.search("request router").first?.path == "Sources/Net/RequestRouter.swift")
        #expect(indexed.index.search("throttle limit").first?.path == "Sources/Util/Throttle.swift")
        #expect(indexed.index.search("deploy target").first?.path == "scripts/deploy.py")
        #expect(indexed.index.search("zzzunknownzzz").isEmpty)
    }

    @Test func excludedPathsAreLeftOut() async throws {
        let indexed = try await IndexedWorkspace(files: retrievalFiles)
        defer { indexed.remove() }
        let hits = indexed.index.search("RequestRouter", excluding: ["Sources/Net/RequestRouter.swift"])
        #expect(!hits.isEmpty)
        #expect(!hits.contains { $0.path == "Sources/Net/RequestRouter.swift" })
    }

    @Test func changedFileIsReindexedAndRetrievalFollows() async throws {
        let indexed = try await IndexedWorkspace(files: retrievalFiles)
        defer { indexed.remove() }
        #expect(indexed.index.search("CircuitBreaker").isEmpty)
        try indexed.workspace.write("Sources/Util/Throttle.swift", """
            struct CircuitBreaker {
                var failures: Int
                func trip() {}
            }
            """)
        let report = try await indexed.index.update(changedPaths: [indexed.workspace.path("Sources/Util/Throttle.swift")])
        #expect(report.indexed == 1)
        #expect(indexed.index.search("CircuitBreaker").first?.path == "Sources/Util/Throttle.swift")
        #expect(!indexed.index.search("throttle limit").contains { $0.path == "Sources/Util/Throttle.swift" && $0.symbol == "Throttle" })
        #expect(indexed.index.outline(of: "Sources/Util/Throttle.swift")?.first?.name == "CircuitBreaker")
        // Deletion.
        try indexed.workspace.delete("Sources/Util/Throttle.swift")
        let removal = try await indexed.index.update(changedPaths: ["Sources/Util/Throttle.swift"])
        #expect(removal.removed == 1)
        #expect(indexed.index.search("CircuitBreaker").isEmpty)
        // Unchanged contents with a new time are not re-analysed.
        try indexed.workspace.write("Sources/Util/Logger.swift", retrievalFiles["Sources/Util/Logger.swift"]!)
        let touched = try await indexed.index.update(changedPaths: ["Sources/Util/Logger.swift"])
        #expect(touched.indexed == 0 && touched.unchanged == 1)
    }

    @Test func directoryUpdatesCoverTheFilesBelow() async throws {
        let indexed = try await IndexedWorkspace(files: retrievalFiles)
        defer { indexed.remove() }
        try indexed.workspace.write("Sources/Cache/LRU.swift", "final class LeastRecentlyUsedCache {}\n")
        try indexed.workspace.write("Sources/Cache/Disk/Store.swift", "struct DiskStore {}\n")
        let added = try await indexed.index.update(changedPaths: ["Sources/Cache"])
        #expect(added.indexed == 2)
        #expect(indexed.index.search("LeastRecentlyUsedCache").first?.path == "Sources/Cache/LRU.swift")
        try FileManager.default.removeItem(atPath: indexed.workspace.path("Sources/Cache"))
        let removed = try await indexed.index.update(changedPaths: [indexed.workspace.path("Sources/Cache")])
        #expect(removed.removed == 2)
        #expect(indexed.index.search("DiskStore").isEmpty)
        await #expect(throws: ContextError.self) { try await indexed.index.update(changedPaths: ["/elsewhere/x.swift"]) }
        await #expect(throws: ContextError.self) { try await indexed.index.update(changedPaths: ["../outside.swift"]) }
        // The root itself stands for everything: a full rescan.
        let all = try await indexed.index.update(changedPaths: [indexed.workspace.root])
        #expect(all.unchanged == retrievalFiles.count)
    }

    @Test func indexPersistsAcrossReopen() async throws {
        let indexed = try await IndexedWorkspace(files: retrievalFiles)
        defer { indexed.remove() }
        try indexed.workspace.write("Sources/Util/Throttle.swift", "struct Debouncer { var delay: Int }\n")
        try await indexed.index.update(changedPaths: ["Sources/Util/Throttle.swift"])
        let before = indexed.index.search("request router handler")
        let reopened = try indexed.reopen()
        var expected = indexed.index.statistics(), actual = reopened.statistics()
        expected.postings = 0  // dead postings awaiting compaction are not persisted
        actual.postings = 0
        #expect(actual == expected)
        #expect(reopened.search("request router handler") == before)
        #expect(reopened.search("Debouncer").first?.path == "Sources/Util/Throttle.swift")
        #expect(reopened.outline(of: "Sources/Net/RequestRouter.swift") == indexed.index.outline(of: "Sources/Net/RequestRouter.swift"))
        let report = try await reopened.build()
        #expect(report.indexed == 0)
        #expect(report.unchanged == retrievalFiles.count)
    }

    @Test func coldBuildReportsProgress() async throws {
        let workspace = try TemporaryWorkspace()
        defer { workspace.remove() }
        for index in 0..<150 { try workspace.write("f\(index).swift", "struct Type\(index) { func run() {} }\n") }
        let database = try IndexDatabase.open(path: TestDirectory.processBase + "/\(UUID().uuidString).sqlite")
        var configuration = IndexConfiguration()
        configuration.batchSize = 16
        let index = try WorkspaceIndex(root: workspace.root, database: database, configuration: configuration)
        let events = Protected<[(Int, Int, String)]>([])
        let report = try await index.build { done, total, message in events.withLock { $0.append((done, total, message)) } }
        #expect(report.indexed == 150)
        let recorded = events.withLock { $0 }
        #expect(recorded.count >= 150 / 16 + 2)
        #expect(recorded.last?.0 == 150 && recorded.last?.1 == 150)
        let dones = recorded.map(\.0)
        #expect(dones == dones.sorted(), "progress never goes backwards")
    }

    @Test func largeUpdatesTakeTheParallelPath() async throws {
        var configuration = IndexConfiguration()
        configuration.batchSize = 8
        let indexed = try await IndexedWorkspace(files: retrievalFiles, configuration: configuration)
        defer { indexed.remove() }
        let paths = (0..<40).map { "Sources/Gen/G\($0).swift" }
        for (index, path) in paths.enumerated() { try indexed.workspace.write(path, "struct Generated\(index) {}\n") }
        let report = try await indexed.index.update(changedPaths: paths + ["Sources/Util/Missing.swift"])
        #expect(report.indexed == 40)
        #expect(indexed.index.search("Generated39").first?.path == "Sources/Gen/G39.swift")
    }

    @Test func queryTermsSplitIdentifiers() {
        let terms = Dictionary(uniqueKeysWithValues: WorkspaceIndex.queryTerms("HTTPServer read_u32_le sha256Hash the"))
        #expect(terms["httpserver"] == 1)
        #expect(terms["http"] == 0.6 && terms["server"] == 0.6)
        #expect(terms["read_u32_le"] == 1 && terms["u32"] == 0.6 && terms["le"] == 0.6)
        #expect(terms["sha256"] == 0.6 && terms["hash"] == 0.6)
        #expect(terms["the"] == nil, "stop word")
    }
}

@Suite("Repo map ranking")
struct RepoMapRankingTests {
    @Test func widelyReferencedSymbolOutranksRarelyReferencedOne() async throws {
        let indexed = try await IndexedWorkspace(files: retrievalFiles)
        defer { indexed.remove() }
        let ranked = indexed.index.rankedSymbols(limit: 50)
        let logger = try #require(ranked.firstIndex { $0.symbol.name == "Logger" })
        let throttle = try #require(ranked.firstIndex { $0.symbol.name == "Throttle" })
        #expect(logger < throttle)
        #expect(ranked[logger].referencingFiles == 4)
        #expect(ranked[throttle].referencingFiles == 1)
        #expect(ranked[logger].path == "Sources/Util/Logger.swift")
    }

    @Test func rankingFollowsUpdates() async throws {
        let indexed = try await IndexedWorkspace(files: retrievalFiles)
        defer { indexed.remove() }
        for index in 0..<6 { try indexed.workspace.write("Sources/Extra/U\(index).swift", "let t\(index) = Throttle(limit: \(index))\n") }
        try await indexed.index.update(changedPaths: (0..<6).map { "Sources/Extra/U\($0).swift" })
        let ranked = indexed.index.rankedSymbols(limit: 50)
        let logger = try #require(ranked.firstIndex { $0.symbol.name == "Logger" })
        let throttle = try #require(ranked.firstIndex { $0.symbol.name == "Throttle" })
        #expect(throttle < logger)
    }
}
