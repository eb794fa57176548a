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
    private let requestSink: @Sendable ([UInt8]) -> Void

    /// - Parameter requestSink: writes a message of this request's own (see ``send(_:)``);
    ///   by default straight to the connection.
    public init(id: JSONValue, method: String, connection: RPCConnection, logger: Logger, workDoneToken: JSONValue?,
                requestSink: (@Sendable ([UInt8]) -> Void)? = nil) {
        self.id = id
        self.method = method
        self.connection = connection
        self.baseLogger = logger
        self.workDoneToken = workDoneToken
        self.requestSink = requestSink ?? { [connection] body in connection.send(body: body) }
    }

    /// Sends a notification that belongs to this request, such as a piece of its streamed
    /// answer: written only while the request is unanswered. A request cancelled, or answered
    /// -32002 by a restart, may have a handler still running for a moment; nothing it sends
    /// then reaches the client after the answer, where it would be taken for part of the
    /// request sent again.
    public func send<N: RPCNotification>(_ notification: N) {
        guard let params = try? JSONCoding.encode(notification) else { return }
        requestSink(OutgoingMessage.notification(method: N.method, encodedParams: params))
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
        send(ProgressNotification(token: workDoneToken, value: value))
    }
}

/// What a notification handler knows.
public struct NotificationContext: Sendable {
    public let method: String
    public let connection: RPCConnection
    public let logger: Logger
}
