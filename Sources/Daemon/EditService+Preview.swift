import AidProtocol
import Context
import JSONRPC

extension EditService {
    /// `context/preview`: the context an `edit/propose` with the same params would send, item by
    /// item with token counts, and what was left out. Calls no model and records no session.
    func preview(_ params: ContextPreviewRequest, context: RequestContext) async throws -> ContextPreview {
        let state = try EditorState.resolve(params, connection: context.connection, method: ContextPreviewRequest.method)
        let plan = try plan(task: .edit, strategy: params.strategy, model: params.model)
        let gathered = try await gather(state, prompt: params.prompt, plan: plan, context: context, recordSession: false)
        let packed = gathered.packed
        func item(_ item: ContextItem, reason: String? = nil) -> ContextPreview.Item {
            ContextPreview.Item(provider: item.provider, title: item.title, path: item.path, reason: reason ?? item.reason,
                                tokens: item.tokenCount, stable: item.stability == .stable)
        }
        let dropped = packed.dropped.map { item($0.item, reason: $0.reason) }
        return ContextPreview(items: packed.items.map { item($0) }, totalTokens: packed.totalTokens,
                              budgetTokens: packed.budget.available, model: plan.budgetModel?.id ?? "none",
                              strategy: plan.strategy.id.description, dropped: dropped.isEmpty ? nil : dropped)
    }
}
