/// The error codes of the protocol: JSON-RPC's standard ones and Aid's own in -32000...-32099.
/// Each is listed with its meaning in `protocol/openrpc.json`.
public struct ErrorCode: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// The frame's body is not valid JSON, or a frame header is malformed.
    public static let parseError = ErrorCode(rawValue: -32700)
    /// The JSON is not a valid JSON-RPC 2.0 request.
    public static let invalidRequest = ErrorCode(rawValue: -32600)
    /// No such method.
    public static let methodNotFound = ErrorCode(rawValue: -32601)
    /// The params do not match the method's schema; the message names the field.
    public static let invalidParams = ErrorCode(rawValue: -32602)
    /// A bug in the daemon; the log has the details under the request id.
    public static let internalError = ErrorCode(rawValue: -32603)
    /// The client cancelled the request with `$/cancelRequest`.
    public static let requestCancelled = ErrorCode(rawValue: -32800)

    /// A frame's Content-Length exceeds the daemon's maximum frame size; the connection is closed.
    public static let frameTooLarge = ErrorCode(rawValue: -32001)
    /// The daemon is restarting or shutting down and could not finish this request in time; send it again.
    public static let daemonRestarting = ErrorCode(rawValue: -32002)
    /// A configuration file is invalid; the message names the file, the key and what is expected.
    public static let configInvalid = ErrorCode(rawValue: -32003)
    /// The request names a workspace the daemon does not know.
    public static let workspaceUnknown = ErrorCode(rawValue: -32004)
    /// The connection is writing responses faster than the client reads them.
    public static let clientTooSlow = ErrorCode(rawValue: -32005)
    /// No model could answer: every model of the route failed (the error's data lists each
    /// attempt and why it failed), or no model is configured for the task.
    public static let modelUnavailable = ErrorCode(rawValue: -32006)
    /// A diff does not apply to the files as they are: the error's data names the `path`, the
    /// 1-based `hunk` and the `reason`.
    public static let diffDoesNotApply = ErrorCode(rawValue: -32007)
    /// A path lies outside the workspace (absolute, `..`, a symbolic link leading out, `.git`).
    public static let pathOutsideWorkspace = ErrorCode(rawValue: -32008)
    /// No proposal with that id is recorded.
    public static let proposalUnknown = ErrorCode(rawValue: -32009)

    public var description: String { String(rawValue) }
}
