/// The arm of an experiment a request was put in.
public struct ExperimentAssignment: Sendable, Hashable {
    public var experiment: String
    public var arm: ExperimentArm
    /// A pseudonym of the user (hex of a hash), for storing without the user id.
    public var userHash: String
}

/// Sticky, weighted A/B assignment: a user's arm depends only on a hash of the user and the
/// experiment's name, so the same user always gets the same arm (while the arms stay the same),
/// and different experiments split users independently.
public enum ExperimentAssigner {
    /// A number in [0, 1) that is uniform over users and fixed for each user and experiment.
    public static func bucket(user: String, experiment: String) -> Double {
        let digest = SHA256Digest.hash("\(experiment)\u{1F}\(user)")
        return Double(digest.prefix64 >> 11) / Double(UInt64(1) << 53)
    }

    /// The arm of `experiment` for `user`, by weights; `nil` when the arms weigh nothing.
    public static func arm(for user: String, in experiment: ExperimentDefinition) -> ExperimentArm? {
        let total = experiment.arms.reduce(0) { $0 + max(0, $1.weight) }
        guard total > 0 else { return nil }
        let point = bucket(user: user, experiment: experiment.name) * total
        var cumulative = 0.0
        for arm in experiment.arms where arm.weight > 0 {
            cumulative += arm.weight
            if point < cumulative { return arm }
        }
        return experiment.arms.last { $0.weight > 0 }
    }

    /// The assignment for a request of `task` by `user`: the first enabled experiment (by name)
    /// that applies to the task, or `nil`.
    public static func assignment(task: String, user: String, experiments: [ExperimentDefinition]) -> ExperimentAssignment? {
        for experiment in experiments.sorted(by: { $0.name < $1.name }) where experiment.applies(to: task) {
            if let arm = arm(for: user, in: experiment) {
                return ExperimentAssignment(experiment: experiment.name, arm: arm, userHash: userHash(user))
            }
        }
        return nil
    }

    /// A pseudonym for `user`: 16 hex digits of a hash.
    public static func userHash(_ user: String) -> String {
        String(SHA256Digest.hash("aid-user\u{1F}\(user)").hex.prefix(16))
    }
}
