/// How often the proposals of one model, strategy and experiment arm were accepted, from
/// `edit/feedback`. A proposal counts once, with its latest feedback; `partial` counts as
/// accepted.
public struct MetricsAcceptance: Codable, Sendable, Equatable {
    public var model: String
    /// `name@version`.
    public var strategy: String
    /// `edit` or `chat`.
    public var task: String
    /// The experiment, when the proposals were in one.
    public var experiment: String?
    /// The experiment arm, when the proposals were in one.
    public var arm: String?
    /// Proposals made.
    public var proposals: Int
    /// Proposals with feedback.
    public var trials: Int
    /// Of those, accepted (fully or partly).
    public var accepted: Int
    /// `accepted / trials` (0 without trials).
    public var acceptanceRate: Double
    /// Proposals whose diff applied to the text the daemon saw.
    public var applying: Int
    /// Proposals that needed a repair round.
    public var repaired: Int
    /// Applied proposals (`edit/apply`, or accepted feedback with `appliedBy: editor`) whose
    /// workspace has finished a build since.
    public var builtAfterApply: Int
    /// Of those, the ones whose first build after the apply was green.
    public var greenAfterApply: Int

    public init(model: String, strategy: String, task: String, experiment: String? = nil, arm: String? = nil, proposals: Int,
                trials: Int, accepted: Int, acceptanceRate: Double, applying: Int, repaired: Int,
                builtAfterApply: Int = 0, greenAfterApply: Int = 0) {
        self.model = model
        self.strategy = strategy
        self.task = task
        self.experiment = experiment
        self.arm = arm
        self.proposals = proposals
        self.trials = trials
        self.accepted = accepted
        self.acceptanceRate = acceptanceRate
        self.applying = applying
        self.repaired = repaired
        self.builtAfterApply = builtAfterApply
        self.greenAfterApply = greenAfterApply
    }
}
