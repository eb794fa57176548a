import Foundation
import Testing

@testable import Context

@Suite("Context engine")
struct EngineTests {
    private func engine(_ indexed: IndexedWorkspace, diagnostics: [ContextDiagnostic] = []) -> ContextEngine {
        ContextEngine(index: indexed.index, tokenCounter: ApproximateTokenCounter(),
                      diagnostics: ClosureDiagnosticsSource { diagnostics })
    }

    @Test func unsavedBufferTextOverridesDisk() async throws {
        let indexed = try await IndexedWorkspace(files: retrievalFiles)
        defer { indexed.remove() }
        let path = "Sources/Net/RequestRouter.swift"
        var edited = retrievalFiles[path]!.replacingOccurrences(of: "Logger.shared.info(\"routing\")",
                                                                with: "Logger.shared.info(\"routing v2 UNSAVED\")")
        edited = edited.replacingOccurrences(of: "public func register", with: "public func registerRoute")
        let request = ContextRequest(prompt: "how does RequestRouter route requests", currentFile: path,
                                     cursor: Position(line: 10), unsavedBuffers: [indexed.workspace.path(path): edited])
        let items = try await engine(indexed).preview(request)
        let cursor = try #require(items.first { $0.kind == .cursor })
        #expect(cursor.text.contains("UNSAVED"), "the cursor window shows the buffer, not the disk")
        #expect(cursor.reason.contains("unsaved"))
        // The changed region may be dropped as a duplicate of the cursor window; ask the provider directly.
        let direct = try await UnsavedBuffersProvider(root: indexed.index.root).items(for: request)
        let unsaved = try #require(direct.first)
        #expect(unsaved.text.contains("registerRoute"))
        #expect(!items.contains { $0.text.contains("info(\"routing\")") }, "no item shows the stale disk text")
        // Retrieval hits in an overridden file are read from the buffer too.
        let retrieval = try await RetrievalProvider(index: indexed.index).items(for: request)
        let hit = try #require(retrieval.first { $0.path == path })
        #expect(hit.text.contains("UNSAVED"))
    }

    @Test func previewCountsTokensOfWhatIsSent() async throws {
        let indexed = try await IndexedWorkspace(files: retrievalFiles)
        defer { indexed.remove() }
        let counter = ApproximateTokenCounter()
        let engine = ContextEngine(index: indexed.index, tokenCounter: counter)
        let request = ContextRequest(prompt: "Where is the Throttle limit used?", instructions: "Answer with a diff.",
                                     currentFile: "Sources/App/main.swift", cursor: Position(line: 3))
        let items = try await engine.preview(request)
        #expect(items.first?.kind == .instructions)
        #expect(items.last?.kind == .prompt)
        #expect(items.contains { $0.kind == .retrieval && $0.path == "Sources/Util/Throttle.swift" })
        #expect(items.contains { $0.kind == .repoMap })
        #expect(items.contains { $0.kind == .relatedFile })
        for item in items {
            #expect(item.tokenCount == counter.count(item.rendered))
            #expect(!item.reason.isEmpty)
        }
        await #expect(throws: ContextError.self) {
            _ = try await engine.preview(ContextRequest(prompt: "x", currentFile: "/etc/passwd"))
        }
    }

    @Test func consecutiveRequestsShareTheStablePrefix() async throws {
        let indexed = try await IndexedWorkspace(git: true, files: polyglotFiles)
        defer { indexed.remove() }
        try indexed.workspace.git("add", "-A")
        try indexed.workspace.git("-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "init")
        let engine = engine(indexed, diagnostics: [ContextDiagnostic(path: "Sources/App/App.swift", line: 4, message: "boom")])
        var request = ContextRequest(sessionID: "s1", prompt: "add logging to the router", instructions: "Be brief.",
                                     currentFile: "Sources/App/App.swift", cursor: Position(line: 4))
        let first = try await engine.pack(request)
        #expect(first.sharedPrefixTokens == nil)
        request.prompt = "now make the router thread-safe"
        let second = try await engine.pack(request)
        #expect(second.stableTokens > 0)
        let shared = try #require(second.sharedPrefixTokens)
        #expect(shared >= second.stableTokens, "all stable items are in the shared prefix")
        #expect(second.items.prefix { $0.stability == .stable }.map(\.kind).contains(.repoMap))
        #expect(second.items.contains { $0.kind == .diagnostics && $0.text.contains("boom") })
        // Another session does not share.
        request.sessionID = "s2"
        #expect(try await engine.pack(request).sharedPrefixTokens == nil)
    }

    @Test func workingTreeDiffIsOfferedPerFile() async throws {
        let indexed = try await IndexedWorkspace(git: true, files: retrievalFiles)
        defer { indexed.remove() }
        try indexed.workspace.git("add", "-A")
        try indexed.workspace.git("-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "init")
        try indexed.workspace.write("Sources/Util/Throttle.swift", "struct Throttle {\n    var limit: Int\n    var burst: Int\n}\n")
        try await indexed.index.update(changedPaths: ["Sources/Util/Throttle.swift"])
        let items = try await WorkingTreeDiffProvider(index: indexed.index).items(for: ContextRequest(prompt: ""))
        #expect(items.count == 1)
        #expect(items.first?.path == "Sources/Util/Throttle.swift")
        #expect(items.first?.text.contains("+    var burst: Int") == true)
    }

    @Test func failingProviderIsReportedNotFatal() async throws {
        struct Broken: ContextProvider {
            let name = "broken"
            func items(for request: ContextRequest) async throws -> [ContextItem] { throw ContextError.storage("broken on purpose") }
        }
        let indexed = try await IndexedWorkspace(files: retrievalFiles)
        defer { indexed.remove() }
        let engine = engine(indexed)
        engine.register(Broken())
        #expect(engine.providerNames.contains("broken"))
        let packed = try await engine.pack(ContextRequest(prompt: "router"))
        #expect(packed.problems.count == 1 && packed.problems[0].contains("broken on purpose"))
        #expect(packed.items.contains { $0.kind == .prompt })
        // Only the named providers run when a request lists them.
        let only = try await engine.pack(ContextRequest(prompt: "router", providers: ["prompt"]))
        #expect(only.items.map(\.kind) == [.prompt])
    }
}
