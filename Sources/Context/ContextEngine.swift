/// The context engine: asks every provider for candidate items, counts
/// their tokens, and packs them into the model's budget.
///
///     let index = try WorkspaceIndex(root: root, database: pool)
///     try await index.build()
///     let engine = ContextEngine(index: index, tokenCounter: TokenCounterFactory.make())
///     let items = try await engine.preview(request)   // what would be sent
public final class ContextEngine: Sendable {
    /// The workspace index the providers draw on.
    public let index: WorkspaceIndex
    /// The tokenizer used for every count.
    public let tokenCounter: any TokenCounter
    private let providers: Protected<[any ContextProvider]>
    private let packer: TokenBudgetPacker
    private let prefixes = PrefixTracker()
    private let tokenCache = TokenCountCache()

    /// An engine with the default providers (see ``defaultProviders(index:tokenCounter:diagnostics:)``).
    public convenience init(index: WorkspaceIndex, tokenCounter: any TokenCounter,
                            diagnostics: (any DiagnosticsSource)? = nil) {
        self.init(index: index, tokenCounter: tokenCounter,
                  providers: Self.defaultProviders(index: index, tokenCounter: tokenCounter, diagnostics: diagnostics))
    }

    /// An engine with exactly `providers`.
    public init(index: WorkspaceIndex, tokenCounter: any TokenCounter, providers: [any ContextProvider],
                packer: TokenBudgetPacker = TokenBudgetPacker()) {
        self.index = index
        self.tokenCounter = tokenCounter
        self.providers = Protected(providers)
        self.packer = packer
    }

    /// instructions, prompt, cursor, selection, unsaved, recentEdits,
    /// diagnostics (when a source is given), retrieval, related, repoMap, diff.
    public static func defaultProviders(index: WorkspaceIndex, tokenCounter: any TokenCounter,
                                        diagnostics: (any DiagnosticsSource)?) -> [any ContextProvider] {
        var providers: [any ContextProvider] = [
            InstructionsProvider(), PromptProvider(), CursorWindowProvider(index: index),
            SelectionProvider(root: index.root), UnsavedBuffersProvider(root: index.root),
            RecentEditsProvider(root: index.root), RetrievalProvider(index: index),
            RelatedFilesProvider(index: index, tokenCounter: tokenCounter),
            RepoMapProvider(index: index, tokenCounter: tokenCounter), WorkingTreeDiffProvider(index: index),
        ]
        if let diagnostics { providers.append(DiagnosticsContextProvider(root: index.root, source: diagnostics)) }
        return providers
    }

    /// Adds a provider, replacing any with the same name.
    public func register(_ provider: any ContextProvider) {
        providers.withLock { list in
            list.removeAll { $0.name == provider.name }
            list.append(provider)
        }
    }

    /// Removes the provider named `name`.
    public func unregister(_ name: String) {
        providers.withLock { $0.removeAll { $0.name == name } }
    }

    /// Names of the registered providers, in registration order.
    public var providerNames: [String] { providers.withLock { $0.map(\.name) } }

    private func validate(_ request: ContextRequest) throws {
        if let file = request.currentFile, SourceReader(root: index.root).relative(file) == nil {
            throw ContextError.outsideWorkspace(path: file, root: index.root)
        }
    }

    /// Every candidate item for `request` with its token count, and the
    /// failures of providers that threw (the others still contribute).
    public func candidates(for request: ContextRequest) async -> (items: [ContextItem], problems: [String]) {
        let (items, problems, _) = await timedCandidates(for: request)
        return (items, problems)
    }

    /// ``candidates(for:)`` with the time each provider took, and the token counting.
    func timedCandidates(for request: ContextRequest) async -> (items: [ContextItem], problems: [String], timings: [ProviderTiming]) {
        let active = providers.withLock { list in list.filter { request.providers?.contains($0.name) ?? true } }
        var items: [ContextItem] = []
        var problems: [String] = []
        var timings: [ProviderTiming] = []
        await withTaskGroup(of: (Int, Result<[ContextItem], any Error>, Duration).self) { group in
            for (position, provider) in active.enumerated() {
                group.addTask {
                    let started = ContinuousClock.now
                    do {
                        let list = try await provider.items(for: request)
                        return (position, .success(list), ContinuousClock.now - started)
                    } catch {
                        return (position, .failure(error), ContinuousClock.now - started)
                    }
                }
            }
            var results: [(Int, Result<[ContextItem], any Error>, Duration)] = []
            for await result in group { results.append(result) }
            for (position, result, elapsed) in results.sorted(by: { $0.0 < $1.0 }) {
                timings.append(ProviderTiming(name: active[position].name, milliseconds: Self.milliseconds(elapsed)))
                switch result {
                case .success(let list): items += list
                case .failure(let error): problems.append("provider \(active[position].name) failed: \(error)")
                }
            }
        }
        let counting = ContinuousClock.now
        for index in items.indices {
            items[index].tokenCount = tokenCache.count(items[index].rendered, with: tokenCounter)
        }
        timings.append(ProviderTiming(name: "tokens", milliseconds: Self.milliseconds(ContinuousClock.now - counting)))
        return (items, problems, timings)
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    /// Packs `request`'s context into its budget. With a session id, the
    /// result is remembered and ``PackedContext/sharedPrefixTokens`` tells
    /// how much of it repeats the session's previous request.
    /// - Throws: ``ContextError/outsideWorkspace(path:root:)`` when the current file lies outside the root.
    public func pack(_ request: ContextRequest) async throws -> PackedContext {
        try validate(request)
        let (items, problems, timings) = await timedCandidates(for: request)
        let packing = ContinuousClock.now
        var packed = packer.pack(items, budget: request.budget)
        packed.problems = problems
        packed.timings = timings + [ProviderTiming(name: "pack", milliseconds: Self.milliseconds(ContinuousClock.now - packing))]
        if let session = request.sessionID {
            packed.sharedPrefixTokens = prefixes.record(session: session, items: packed.items)
        }
        return packed
    }

    /// What would be sent for `request`, item by item in order, with token
    /// counts; records nothing for the session.
    /// - Throws: ``ContextError/outsideWorkspace(path:root:)`` when the current file lies outside the root.
    public func preview(_ request: ContextRequest) async throws -> [ContextItem] {
        try validate(request)
        let (items, _) = await candidates(for: request)
        return packer.pack(items, budget: request.budget).items
    }
}
