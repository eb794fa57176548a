/// The models a task's requests try, in order.
public struct ModelRoute: Codable, Sendable, Equatable {
    /// The task (`default` serves tasks without a route of their own).
    public var task: String
    /// Model ids, first tried first.
    public var models: [String]

    public init(task: String, models: [String]) {
        self.task = task
        self.models = models
    }
}
