/// An A/B experiment, as `models/list` shows it: users are split between arms by weight, each
/// user always in the same arm.
public struct ModelExperiment: Codable, Sendable, Equatable {
    public var name: String
    /// Whether requests are being assigned to arms.
    public var enabled: Bool
    /// The tasks it applies to; empty means every task.
    public var tasks: [String]
    /// The arm the others are compared with.
    public var control: String
    /// The arms, ordered by name.
    public var arms: [Arm]
    /// The arm the daemon's user is in.
    public var assignedArm: String?

    public init(name: String, enabled: Bool, tasks: [String], control: String, arms: [Arm], assignedArm: String?) {
        self.name = name
        self.enabled = enabled
        self.tasks = tasks
        self.control = control
        self.arms = arms
        self.assignedArm = assignedArm
    }

    /// One arm of an experiment.
    public struct Arm: Codable, Sendable, Equatable {
        public var name: String
        /// Relative weight: arms get users in proportion to their weights.
        public var weight: Double
        /// The model this arm tries first, if any.
        public var model: String?
        /// The prompt strategy this arm uses, if any.
        public var strategy: String?

        public init(name: String, weight: Double, model: String? = nil, strategy: String? = nil) {
            self.name = name
            self.weight = weight
            self.model = model
            self.strategy = strategy
        }
    }
}
