import AidProtocol
import Logging

/// What a request handler knows about the request it serves.
public struct RequestContext: Sendable {
    /// The request's id as the client sent it.
    public let id: JSONValue
    public let method: String
    /// The connection the request came on.
    public let connection: RPCConnection
    private let baseLogger: Logger
    /// The token under which `$/progress` is reported, when the client asked for progress.
    public let workDoneToken: JSONValue?

    public init(id: JSONValue, method: String, connection: RPCConnection, logger: Logger, workDoneToken: JSONValue?) {
        self.id = id
        self.method = method
        self.connection = connection
        self.baseLogger = logger
        self.workDoneToken = workDoneToken
    }

    /// A logger whose every line carries this request's id (`[connection:id]`); made when
    /// asked for, since most requests log nothing.
    public var logger: Logger {
        var logger = baseLogger
        logger[metadataKey: "request"] = "\(connection.id):\(JSONWriter.string(id))"
        return logger
    }

    /// Reports progress to the client with `$/progress`, if it asked for it.
    public func progress(_ value: ProgressNotification.Value) {
        guard let workDoneToken else { return }
        connection.send(ProgressNotification(token: workDoneToken, value: value))
    }
}

/// What a notification handler knows.
public struct NotificationContext: Sendable {
    public let method: String
    public let connection: RPCConnection
    public let logger: Logger
}
