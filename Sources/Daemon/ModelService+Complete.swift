import AidProtocol
import JSONRPC
import Models

extension ModelService {
    /// `models/complete`: checks the params, runs the request, streams `models/delta` to the
    /// requesting client, and answers with the whole text, usage and timings.
    func complete(_ params: ModelsCompleteRequest, context: RequestContext) async throws -> ModelCompletion {
        try checkUsable()
        var request = try Self.chatRequest(params, configuration: configuration)
        let streaming = params.stream ?? true
        // `stream: false` needs no deltas, so the upstream call is not streamed either.
        request.stream = streaming
        let token = params.streamToken ?? context.id
        do {
            let run = try await run(request, forcedModel: params.model, via: "rpc") { event in
                guard streaming, case .delta(let text) = event else { return }
                context.send(ModelDeltaNotification(token: token, text: text))
            }
            return ModelCompletion(
                requestId: run.requestID, text: run.text, model: run.model, provider: run.provider.rawValue,
                experiment: run.assignment?.experiment, arm: run.assignment?.arm, finishReason: run.finishReason.name,
                usage: ModelUsage(inputTokens: run.usage.inputTokens, outputTokens: run.usage.outputTokens, cachedInputTokens: run.usage.cachedInputTokens),
                timings: ModelTimings(firstTokenMs: run.firstTokenMs, totalMs: run.totalMs), attempts: run.attempts.count)
        } catch let failure as ModelRunFailure {
            throw failure.responseError
        }
    }

    /// Throws when the gateway cannot serve anything: configuration errors, or no model at all.
    func checkUsable() throws {
        if !configurationProblems.isEmpty {
            throw ResponseError(.configInvalid, "the models configuration has errors, so no model is available: \(configurationProblems.joined(separator: "; ")); fix them (`aid config check` shows them all) and run `aid restart`")
        }
        if configuration.models.isEmpty {
            throw ResponseError(.modelUnavailable, "no models are configured; add a [models.<id>] table and a [routes] table to your config.toml and run `aid restart` (see \"Models\" in the README)")
        }
    }

    /// The gateway request for `params`; throws -32602 naming the field that is wrong.
    static func chatRequest(_ params: ModelsCompleteRequest, configuration: ModelsConfiguration) throws -> ChatRequest {
        let task = params.task ?? "chat"
        guard !task.isEmpty else { throw ResponseError(.invalidParams, "params.task must not be empty; leave it out for \"chat\"") }
        guard !params.messages.isEmpty else {
            throw ResponseError(.invalidParams, "params.messages must hold at least one message, for example {\"role\": \"user\", \"content\": \"...\"}")
        }
        var messages: [ChatMessage] = []
        for (index, message) in params.messages.enumerated() {
            guard let role = ChatRole(rawValue: message.role) else {
                throw ResponseError(.invalidParams, "params.messages[\(index)].role must be \"system\", \"user\" or \"assistant\", got \"\(message.role)\"")
            }
            messages.append(ChatMessage(role: role, content: message.content, stable: role == .system && index == 0))
        }
        if let maxTokens = params.maxTokens, maxTokens < 1 {
            throw ResponseError(.invalidParams, "params.maxTokens must be at least 1, got \(maxTokens)")
        }
        if let temperature = params.temperature, !(0...2).contains(temperature) {
            throw ResponseError(.invalidParams, "params.temperature must be from 0 to 2, got \(temperature)")
        }
        if let model = params.model, configuration.models[model] == nil {
            throw ResponseError(.invalidParams, "params.model: no model '\(model)' is configured; configured models: \(configuration.models.keys.sorted().joined(separator: ", "))")
        }
        return ChatRequest(messages: messages, task: task, maxTokens: params.maxTokens, temperature: params.temperature)
    }
}

extension ModelRunFailure {
    /// The answer for a request no model could serve: -32006 with every attempt and why it
    /// failed in `data`.
    var responseError: ResponseError {
        ResponseError(.modelUnavailable, error.message, data: .object([
            "kind": .string(error.kind.rawValue),
            "attempts": .array(attemptDescriptions),
        ]))
    }

    /// One entry per call made (and per model skipped because its circuit was open): model,
    /// provider, attempt number, error class, HTTP status and the gateway's message.
    var attemptDescriptions: [JSONValue] {
        let failures = error.failures.isEmpty ? [error] : error.failures
        var messages: [String: String] = [:]
        for failure in failures { if let model = failure.model { messages[model] = failure.message } }
        var entries: [JSONValue] = attempts.map { record in
            var entry: [String: JSONValue] = [
                "model": .string(record.model), "provider": .string(record.provider.rawValue),
                "attempt": .int(record.attempt), "outcome": .string(record.outcome.rawValue),
            ]
            if let errorClass = record.errorClass { entry["error"] = .string(errorClass) }
            if let status = record.httpStatus { entry["httpStatus"] = .int(status) }
            if record.outcome == .failure, let message = messages[record.model] { entry["message"] = .string(message) }
            return .object(entry)
        }
        let tried = Set(attempts.map(\.model))
        for failure in failures where failure.kind == .circuitOpen {
            guard let model = failure.model, !tried.contains(model) else { continue }
            entries.append(.object(["model": .string(model), "error": .string(failure.kind.rawValue), "message": .string(failure.message)]))
        }
        return entries
    }
}
