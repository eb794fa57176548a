import AidProtocol
import AidStore
import Context
import Foundation
import JSONRPC
import Logging
import Models
import Prompts

/// The main job: turns a developer's request into a checked proposal (`edit/propose`), writes
/// proposals to the workspace (`edit/apply`), records what became of them (`edit/feedback`),
/// answers chat turns with proposals (`chat/send`) and shows the context it would send
/// (`context/preview`).
///
/// The pipeline of a proposal: editor state → context (unsaved buffers over the disk) →
/// strategy → model (streamed as `edit/delta`) → parse → apply in memory → at most one repair
/// round with the apply error → whole-line edits and a diff → record.
final class EditService: Sendable {
    let models: ModelService
    let contexts: WorkspaceContexts
    let records: EditRecords
    let buildHistory: BuildHistory
    let registry: StrategyRegistry
    let conversations: ChatConversations
    let logger: Logger

    init(models: ModelService, contexts: WorkspaceContexts, store: AidStore, buildHistory: BuildHistory, logger: Logger) {
        self.models = models
        self.contexts = contexts
        records = EditRecords(store: store)
        conversations = ChatConversations(store: store, logger: logger)
        self.buildHistory = buildHistory
        registry = StrategyRegistry.standard
        self.logger = logger
    }

    // MARK: Choosing strategy and model

    /// What a request runs with.
    struct Plan: Sendable {
        var strategy: PromptStrategy
        /// Whether an experiment arm chose the strategy (it is then part of the model request).
        var strategyFromArm: Bool
        var assignment: ExperimentAssignment?
        /// The model whose window bounds the context: the forced one, the arm's, else the route's first.
        var budgetModel: ModelDefinition?

        var budget: TokenBudget {
            guard let model = budgetModel else { return TokenBudget() }
            return TokenBudget(contextWindow: model.contextWindow, outputReserve: min(model.maxOutputTokens, model.contextWindow / 2))
        }
    }

    /// The strategy (the request's, else the experiment arm's, else the task's default) and the
    /// model whose window is the budget; -32602 for an unknown strategy or model.
    func plan(task: PromptTask, strategy requested: String?, model forced: String?) throws -> Plan {
        let configuration = models.configuration
        if let forced, configuration.models[forced] == nil {
            let known = configuration.models.keys.sorted().joined(separator: ", ")
            throw ResponseError(.invalidParams, "params.model: no model '\(forced)' is configured; configured models: \(known.isEmpty ? "none" : known)")
        }
        let assignment = forced == nil ? models.userID.flatMap { models.gateway.assignment(task: task.rawValue, userID: $0) } : nil
        var strategy: PromptStrategy
        var fromArm = false
        if let requested {
            do {
                strategy = try registry.strategy(named: requested)
            } catch {
                throw ResponseError(.invalidParams, "params.strategy: \(error.description)")
            }
            guard strategy.task == task else {
                let fitting = registry.strategies.filter { $0.task == task }.map(\.id.name)
                throw ResponseError(.invalidParams, "params.strategy: \(strategy.id) is a \(strategy.task) strategy; \(task) requests take \(fitting.joined(separator: ", "))")
            }
        } else if let armStrategy = assignment?.arm.strategy, let chosen = try? registry.strategy(named: armStrategy), chosen.task == task {
            strategy = chosen
            fromArm = true
        } else {
            guard let standard = registry.defaultStrategy(for: task) else {
                throw ResponseError(.internalError, "no prompt strategy for \(task) requests")
            }
            strategy = standard
        }
        let budgetModelID = forced ?? assignment?.arm.model ?? configuration.route(for: task.rawValue)?.models.first
        return Plan(strategy: strategy, strategyFromArm: fromArm, assignment: assignment,
                    budgetModel: budgetModelID.flatMap { configuration.models[$0] })
    }

    // MARK: Context

    /// The packed context of a request and how long gathering it took.
    struct GatheredContext: Sendable {
        var packed: PackedContext
        var milliseconds: Double
    }

    /// Opens the workspace (reporting a cold index as `$/progress`) and packs the context.
    func gather(_ state: EditorState, prompt: String, plan: Plan, context: RequestContext, recordSession: Bool) async throws -> GatheredContext {
        let started = ContinuousClock.now
        let workspace: WorkspaceContext
        do {
            workspace = try await contexts.context(for: state.root, progress: context)
        } catch let error as ResponseError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw ResponseError(.workspaceUnknown, "the workspace \(state.root) cannot be indexed: \(error)")
        }
        let session = recordSession ? Self.sessionID(root: state.root, connection: context.connection) : nil
        let packed: PackedContext
        do {
            packed = try await workspace.engine.pack(state.contextRequest(prompt: prompt, budget: plan.budget, sessionID: session))
        } catch let error as ContextError {
            throw ResponseError(.pathOutsideWorkspace, error.description)
        }
        for problem in packed.problems { context.logger.notice("Context: \(problem)") }
        let milliseconds = ModelService.milliseconds(ContinuousClock.now - started)
        context.logger.debug("Context: gathered in \(String(format: "%.1f", milliseconds)) ms (\(packed.timings.map { "\($0.name) \(String(format: "%.1f", $0.milliseconds))" }.joined(separator: ", ")) ms).")
        return GatheredContext(packed: packed, milliseconds: milliseconds)
    }

    /// Consecutive requests of one client in one workspace form a session (for the shared prefix).
    static func sessionID(root: String, connection: RPCConnection) -> String {
        "\(root)\u{1F}\(connection.clientInfo?.name ?? "connection-\(connection.id)")"
    }

    /// The packed context as the prompt's background: without the prompt and instructions (the
    /// template places those) and without excerpts of the files sent whole.
    static func promptItems(_ packed: PackedContext, files: [EditableFile]) -> [PromptContextItem] {
        let whole = Set(files.map(\.path))
        let excerptKinds: Set<ContextItemKind> = [.cursor, .selection, .unsavedBuffer, .retrieval, .relatedFile]
        return packed.items.compactMap { item in
            if item.kind == .prompt || item.kind == .instructions { return nil }
            if let path = item.path, whole.contains(path), excerptKinds.contains(item.kind) { return nil }
            return PromptContextItem(title: item.title, path: item.path, text: item.text, stable: item.stability == .stable)
        }
    }

    /// The gateway request for rendered prompt messages.
    static func chatRequest(_ messages: [PromptMessage], task: PromptTask, plan: Plan) -> ChatRequest {
        let converted = messages.map { message in
            ChatMessage(role: ChatRole(rawValue: message.role.rawValue) ?? .user, content: message.content, stable: message.stable)
        }
        return ChatRequest(messages: converted, task: task.rawValue, strategy: plan.strategyFromArm ? plan.strategy.id.description : nil)
    }
}
