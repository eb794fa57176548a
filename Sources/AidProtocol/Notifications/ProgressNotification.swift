/// `$/progress`: the daemon reports progress of long work, as in LSP. A request opts in by
/// carrying a `workDoneToken` in its params; notifications then carry that token.
public struct ProgressNotification: RPCNotification {
    public static let method = "$/progress"
    /// The `workDoneToken` of the request the progress belongs to.
    public var token: JSONValue
    /// What happened.
    public var value: Value

    public init(token: JSONValue, value: Value) {
        self.token = token
        self.value = value
    }

    /// One step of progress: `begin` once, any number of `report`, `end` once.
    public struct Value: Codable, Sendable, Equatable {
        public enum Kind: String, Codable, Sendable { case begin, report, end }
        public var kind: Kind
        /// Shown by editors as the name of the work (only on `begin`).
        public var title: String?
        /// What is happening now.
        public var message: String?
        /// 0...100 when known.
        public var percentage: Int?

        public init(kind: Kind, title: String? = nil, message: String? = nil, percentage: Int? = nil) {
            self.kind = kind
            self.title = title
            self.message = message
            self.percentage = percentage
        }
    }
}
