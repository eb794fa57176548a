import Foundation

/// What became of one attempt to call a model.
public enum CallOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    /// The answer completed.
    case success
    /// The attempt failed; `errorClass` says how.
    case failure
    /// The caller cancelled the request during this attempt.
    case cancelled
}

/// One attempt of one request to one model, as given to `ModelCallObserver`s and stored in the
/// `model_call` table. It never holds a key, a prompt or an answer.
public struct ModelCallRecord: Sendable, Hashable {
    /// The caller's id of the request; every attempt of a request shares it.
    public var requestID: String
    /// When the attempt started.
    public var startedAt: Date
    /// The request's task.
    public var task: String
    /// The route followed: its name (the task, or `default`).
    public var route: String
    /// The model id.
    public var model: String
    public var provider: ProviderKind
    /// The experiment the request was assigned in, if any.
    public var experiment: String?
    /// The arm of that experiment.
    public var arm: String?
    /// A pseudonym of the user (see `ExperimentAssigner.userHash`), when the request had a user.
    public var userHash: String?
    /// 1 for the first attempt of the request, counting retries and fallbacks.
    public var attempt: Int
    /// The model's place in the route (0 for the first model).
    public var fallbackIndex: Int
    public var outcome: CallOutcome
    /// The failure class (`ModelError.Kind.rawValue`) when the attempt failed.
    public var errorClass: String?
    /// The HTTP status of a failed HTTP attempt.
    public var httpStatus: Int?
    /// Seconds from the start of the attempt to its first token. For a non-streamed call
    /// (`ChatRequest.stream` false) the first token comes with the whole answer, so this is the
    /// time to the whole answer.
    public var timeToFirstToken: Double?
    /// Seconds the attempt took.
    public var totalTime: Double
    public var inputTokens: Int
    public var outputTokens: Int
    public var cachedInputTokens: Int
    public var cacheCreationTokens: Int
    /// Estimated cost in US dollars, from the model's prices.
    public var costEstimate: Double

    public init(
        requestID: String, startedAt: Date, task: String, route: String, model: String, provider: ProviderKind,
        experiment: String? = nil, arm: String? = nil, userHash: String? = nil, attempt: Int, fallbackIndex: Int,
        outcome: CallOutcome, errorClass: String? = nil, httpStatus: Int? = nil, timeToFirstToken: Double? = nil,
        totalTime: Double, usage: Usage = Usage(), costEstimate: Double = 0
    ) {
        self.requestID = requestID
        self.startedAt = startedAt
        self.task = task
        self.route = route
        self.model = model
        self.provider = provider
        self.experiment = experiment
        self.arm = arm
        self.userHash = userHash
        self.attempt = attempt
        self.fallbackIndex = fallbackIndex
        self.outcome = outcome
        self.errorClass = errorClass
        self.httpStatus = httpStatus
        self.timeToFirstToken = timeToFirstToken
        self.totalTime = totalTime
        self.inputTokens = usage.inputTokens
        self.outputTokens = usage.outputTokens
        self.cachedInputTokens = usage.cachedInputTokens
        self.cacheCreationTokens = usage.cacheCreationTokens
        self.costEstimate = costEstimate
    }

    /// The tokens of the attempt.
    public var usage: Usage {
        Usage(inputTokens: inputTokens, outputTokens: outputTokens, cachedInputTokens: cachedInputTokens, cacheCreationTokens: cacheCreationTokens)
    }
}

/// Receives one record per attempt, as soon as the attempt ends. Called from the request's task:
/// keep it quick (hand the record to a queue or a database writer).
public protocol ModelCallObserver: Sendable {
    func modelCallFinished(_ record: ModelCallRecord)
}

/// Keeps records in memory; for tests and for short-lived tools.
public final class ModelCallCollector: ModelCallObserver {
    private let storage = NIOLockedBox<[ModelCallRecord]>([])

    public init() {}

    public func modelCallFinished(_ record: ModelCallRecord) {
        storage.append(record)
    }

    /// Every record received, in order.
    public var records: [ModelCallRecord] { storage.value }
}
