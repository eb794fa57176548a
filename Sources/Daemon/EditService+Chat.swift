import AidProtocol
import Foundation
import JSONRPC
import Models
import Prompts

extension EditService {
    /// `chat/send`: one turn of a conversation, with the workspace's context, streamed as
    /// `chat/delta`; each file a diff in the answer changes becomes a checked ``Proposal``.
    func chat(_ params: ChatSendRequest, context: RequestContext) async throws -> ChatReply {
        let started = ContinuousClock.now
        guard !params.message.allSatisfy(\.isWhitespace) else {
            throw ResponseError(.invalidParams, "params.message must not be empty")
        }
        for (index, turn) in (params.history ?? []).enumerated() where turn.role != "user" && turn.role != "assistant" {
            throw ResponseError(.invalidParams, "params.history[\(index)].role must be \"user\" or \"assistant\", got \"\(turn.role)\"")
        }
        try models.checkUsable()
        let state = try EditorState.resolve(params, connection: context.connection, method: ChatSendRequest.method)
        let plan = try plan(task: .chat, strategy: nil, model: params.model)
        let conversationId = params.conversationId ?? UUID.newIdentifier()
        let earlier = params.conversationId.flatMap(conversations.history) ?? params.history ?? []
        let gathered = try await gather(state, prompt: params.message, plan: plan, context: context, recordSession: true)
        let files = state.editableFiles
        let input = PromptInput(contextItems: Self.promptItems(gathered.packed, files: files), prompt: params.message,
                                files: files, cursor: state.cursorRegion)
        let rendered: [PromptMessage]
        do {
            rendered = try plan.strategy.messages(for: input)
        } catch {
            throw ResponseError(.invalidParams, error.description)
        }
        var request = Self.chatRequest(rendered, task: .chat, plan: plan)
        // The earlier turns go between the leading system messages and this turn.
        let position = request.messages.prefix { $0.role == .system }.count
        request.messages.insert(contentsOf: earlier.map { ChatMessage(role: ChatRole(rawValue: $0.role) ?? .user, content: $0.content) },
                                at: position)
        let requestID = UUID.newIdentifier()
        let token = params.streamToken ?? context.id
        var rounds = ModelRounds(started: started)
        let run = try await rounds.run(request, models: models, forcedModel: params.model, via: "chat", requestID: requestID) { text in
            context.send(ChatDeltaNotification(token: token, text: text))
        }
        let parsed = (try? plan.strategy.parse(run.text, files: files)) ?? ParsedEdits(prose: run.text)
        var proposals: [Proposal] = []
        for patch in parsed.filePatches {
            let checked = CheckedAnswer.check([patch], state: state)
            let proposal = rounds.proposal(id: UUID.newIdentifier(), checked: checked, plan: plan, gathered: gathered)
            record(proposal, task: .chat, prompt: params.message, state: state, context: context, modelRequestId: requestID,
                   conversationId: conversationId)
            proposals.append(proposal)
        }
        conversations.append(conversationId, message: params.message, answer: run.text, startingFrom: earlier)
        let summary = rounds.proposal(id: requestID, checked: CheckedAnswer(patches: [], files: [], diff: "", error: nil), plan: plan, gathered: gathered)
        return ChatReply(conversationId: conversationId, text: run.text, proposals: proposals, model: summary.model,
                         provider: summary.provider, experiment: summary.experiment, arm: summary.arm, usage: summary.usage,
                         timings: summary.timings)
    }
}
