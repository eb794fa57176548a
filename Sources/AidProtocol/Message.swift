/// A request a client sends to the daemon: one type per method, holding the method name,
/// the params (the type's own stored properties, encoded by name) and the result type.
///
/// Adding a method: see `protocol/CHECKLIST.md`.
public protocol RPCRequest: Codable, Sendable, Equatable {
    /// What the daemon answers with.
    associatedtype Result: Codable, Sendable, Equatable
    /// The JSON-RPC method name, as in `protocol/openrpc.json`.
    static var method: String { get }
}

/// A notification: a message without id that is never answered.
public protocol RPCNotification: Codable, Sendable, Equatable {
    /// The JSON-RPC method name, as in `protocol/openrpc.json`.
    static var method: String { get }
}

/// A result that carries nothing but the fact that the request was accepted.
public struct Acknowledgement: Codable, Sendable, Equatable {
    public var accepted: Bool
    public init(accepted: Bool = true) { self.accepted = accepted }
}

/// Every message type of the protocol, so that tests can check them against the document.
public enum ProtocolMessages {
    /// The version of the wire protocol described by `protocol/openrpc.json`.
    public static let protocolVersion = "1.0"

    public static let requests: [any RPCRequest.Type] = [
        InitializeRequest.self,
        DiscoverRequest.self,
        DaemonStatusRequest.self,
        DaemonRestartRequest.self,
        DaemonShutdownRequest.self,
        BuildStatusRequest.self,
        BuildRunRequest.self,
        ModelsListRequest.self,
        ModelsCompleteRequest.self,
        MetricsSummaryRequest.self,
        EditProposeRequest.self,
        EditApplyRequest.self,
        EditFeedbackRequest.self,
        ChatSendRequest.self,
        ContextPreviewRequest.self,
    ]

    public static let notifications: [any RPCNotification.Type] = [
        CancelRequestNotification.self,
        ProgressNotification.self,
        BuildStatusChangedNotification.self,
        ModelDeltaNotification.self,
        EditDeltaNotification.self,
        ChatDeltaNotification.self,
    ]
}
