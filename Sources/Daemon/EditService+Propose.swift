import AidProtocol
import AidStore
import Foundation
import JSONRPC
import Models
import Prompts

extension EditService {
    /// `edit/propose`: the whole pipeline, with one repair round when the first answer cannot be
    /// read or does not apply.
    func propose(_ params: EditProposeRequest, context: RequestContext) async throws -> Proposal {
        let started = ContinuousClock.now
        guard !params.prompt.allSatisfy(\.isWhitespace) else {
            throw ResponseError(.invalidParams, "params.prompt must say what should change; it is empty")
        }
        try models.checkUsable()
        let state = try EditorState.resolve(params, connection: context.connection, method: EditProposeRequest.method)
        let plan = try plan(task: .edit, strategy: params.strategy, model: params.model)
        let gathered = try await gather(state, prompt: params.prompt, plan: plan, context: context, recordSession: true)
        let files = state.editableFiles
        var input = PromptInput(contextItems: Self.promptItems(gathered.packed, files: files), prompt: params.prompt,
                                files: files, cursor: state.cursorRegion)
        let proposalId = UUID.newIdentifier()
        let token = params.streamToken ?? context.id
        var rounds = ModelRounds(started: started)
        var checked = CheckedAnswer(patches: [], files: [], diff: "", error: nil)
        for round in 0...1 {
            let messages: [PromptMessage]
            do {
                messages = try plan.strategy.messages(for: input)
            } catch {
                throw ResponseError(.invalidParams, error.description)
            }
            let run = try await rounds.run(Self.chatRequest(messages, task: .edit, plan: plan), models: models, forcedModel: params.model,
                                           via: "edit", requestID: proposalId) { text in
                context.send(EditDeltaNotification(token: token, text: text, round: round))
            }
            checked = CheckedAnswer.check(run.text, strategy: plan.strategy, files: files, state: state)
            guard let error = checked.error, round == 0 else { break }
            context.logger.info("Edit \(proposalId): the answer does not apply (\(error)); asking again once.")
            input.repairNote = error
        }
        let proposal = rounds.proposal(id: proposalId, checked: checked, plan: plan, gathered: gathered)
        record(proposal, task: .edit, prompt: params.prompt, state: state, context: context, modelRequestId: proposalId, conversationId: nil)
        return proposal
    }

    /// Stores a proposal; a failure is logged, never thrown at the request.
    func record(_ proposal: Proposal, task: PromptTask, prompt: String, state: EditorState, context: RequestContext,
                modelRequestId: String, conversationId: String?) {
        let record = ProposalRecord(
            id: proposal.proposalId, createdAt: Date().timeIntervalSince1970, requestId: JSONWriter.string(context.id),
            modelRequestId: modelRequestId, task: task.rawValue, workspace: state.root, client: context.connection.clientInfo?.name, conversationId: conversationId,
            promptHash: SHA256Digest.hash(prompt).hex, strategy: proposal.strategy, model: proposal.model, provider: proposal.provider,
            experiment: proposal.experiment, arm: proposal.arm, diff: proposal.diff, applies: proposal.applies,
            applyError: proposal.applyError, repaired: proposal.repaired, inputTokens: proposal.usage.inputTokens,
            outputTokens: proposal.usage.outputTokens, cachedInputTokens: proposal.usage.cachedInputTokens,
            contextMs: proposal.timings.contextMs, firstTokenMs: proposal.timings.firstTokenMs, totalMs: proposal.timings.totalMs,
            contextItems: proposal.context.items, contextTokens: proposal.context.tokens,
            sharedPrefixTokens: proposal.context.sharedPrefixTokens)
        do {
            try records.insert(record)
        } catch {
            context.logger.error("Could not record proposal \(proposal.proposalId): \(error)")
        }
    }
}

/// The model calls of one request (an answer and its repair round): their text, usage and
/// timings added up.
struct ModelRounds {
    let started: ContinuousClock.Instant
    private(set) var runs: [ModelRun] = []
    private(set) var firstTokenMs: Double?

    init(started: ContinuousClock.Instant) {
        self.started = started
    }

    /// Runs one round, passing each piece of text to `onText` as it arrives.
    mutating func run(_ request: ChatRequest, models: ModelService, forcedModel: String?, via: String, requestID: String,
                      onText: (String) -> Void) async throws -> ModelRun {
        var firstToken: ContinuousClock.Instant?
        do {
            let run = try await models.run(request, forcedModel: forcedModel, via: via, requestID: requestID) { event in
                guard case .delta(let text) = event else { return }
                if firstToken == nil { firstToken = .now }
                onText(text)
            }
            if firstTokenMs == nil, let firstToken { firstTokenMs = ModelService.milliseconds(firstToken - started) }
            runs.append(run)
            return run
        } catch let failure as ModelRunFailure {
            throw failure.responseError
        }
    }

    /// Tokens of every round.
    var usage: ModelUsage {
        ModelUsage(inputTokens: runs.reduce(0) { $0 + $1.usage.inputTokens },
                   outputTokens: runs.reduce(0) { $0 + $1.usage.outputTokens },
                   cachedInputTokens: runs.reduce(0) { $0 + $1.usage.cachedInputTokens })
    }

    /// The proposal made of the last round's answer and `checked`.
    func proposal(id: String, checked: CheckedAnswer, plan: EditService.Plan, gathered: EditService.GatheredContext) -> Proposal {
        let last = runs.last!
        let assignment = runs.compactMap(\.assignment).first
        return Proposal(
            proposalId: id, text: last.text, diff: checked.diff, files: checked.files, applies: checked.applies,
            applyError: checked.error, repaired: runs.count > 1, model: last.model, provider: last.provider.rawValue,
            strategy: plan.strategy.id.description, experiment: assignment?.experiment, arm: assignment?.arm, usage: usage,
            timings: ProposalTimings(contextMs: gathered.milliseconds, firstTokenMs: firstTokenMs,
                                     totalMs: ModelService.milliseconds(ContinuousClock.now - started)),
            context: ProposalContextStats(items: gathered.packed.items.count, tokens: gathered.packed.totalTokens,
                                          sharedPrefixTokens: gathered.packed.sharedPrefixTokens ?? 0))
    }
}
