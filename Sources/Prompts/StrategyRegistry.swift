/// The prompt strategies available, looked up by `name@version` (or by name for
/// the newest version), with a default strategy per task.
///
/// ```swift
/// var registry = StrategyRegistry.standard
/// let report = try registry.loadTemplateOverrides(from: templatesDirectory)
/// let strategy = try registry.strategy(named: "search-replace@1")
/// ```
public struct StrategyRegistry: Sendable {
    private var byID: [StrategyID: PromptStrategy] = [:]
    private var defaults: [PromptTask: StrategyID] = [:]

    /// An empty registry.
    public init() {}

    /// The built-in strategies, with `unified-diff@1` for edits and `chat@1` for chat.
    public static var standard: StrategyRegistry {
        var registry = StrategyRegistry()
        for strategy in PromptStrategy.builtIns { registry.register(strategy) }
        registry.defaults[.edit] = PromptStrategy.unifiedDiff.id
        registry.defaults[.chat] = PromptStrategy.chat.id
        return registry
    }

    /// All strategies, ordered by name and version.
    public var strategies: [PromptStrategy] {
        byID.keys.sorted().compactMap { byID[$0] }
    }

    /// Adds `strategy`, replacing one with the same id. The first strategy
    /// registered for a task becomes its default.
    public mutating func register(_ strategy: PromptStrategy) {
        byID[strategy.id] = strategy
        if defaults[strategy.task] == nil { defaults[strategy.task] = strategy.id }
    }

    /// The strategy with exactly this id.
    public func strategy(_ id: StrategyID) -> PromptStrategy? {
        byID[id]
    }

    /// The strategy called `name@version`, or the newest version of `name`.
    ///
    /// - Throws: `StrategyLookupError` listing the known strategies.
    public func strategy(named text: String) throws(StrategyLookupError) -> PromptStrategy {
        let trimmed = LineSplitter.trimmed(text)
        if trimmed.contains("@") {
            guard let id = StrategyID(trimmed) else {
                throw StrategyLookupError(name: trimmed, known: knownNames, malformed: true)
            }
            guard let strategy = byID[id] else { throw StrategyLookupError(name: trimmed, known: knownNames) }
            return strategy
        }
        guard let id = byID.keys.filter({ $0.name == trimmed }).max(), let strategy = byID[id] else {
            throw StrategyLookupError(name: trimmed, known: knownNames)
        }
        return strategy
    }

    /// The default strategy for `task`, if the task has one.
    public func defaultStrategy(for task: PromptTask) -> PromptStrategy? {
        defaults[task].flatMap { byID[$0] }
    }

    /// Makes the strategy `name@version` (or the newest `name`) the default for `task`.
    ///
    /// - Throws: `StrategyLookupError` when no such strategy is registered.
    public mutating func setDefault(_ name: String, for task: PromptTask) throws(StrategyLookupError) {
        defaults[task] = try strategy(named: name).id
    }

    /// Replaces a strategy's template; used when loading overrides.
    mutating func useTemplate(_ template: PromptTemplate, for id: StrategyID) throws(PromptTemplateError) {
        try byID[id]?.useTemplate(template)
    }

    private var knownNames: [String] { byID.keys.sorted().map(\.description) }
}
