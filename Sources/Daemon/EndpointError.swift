import NIOHTTP1

/// A request to the endpoint that cannot be served, answered in OpenAI's error format.
struct EndpointError: Error, Sendable {
    var status: HTTPResponseStatus
    var type: String
    var code: String?
    var message: String

    static func invalid(_ message: String, code: String? = nil) -> EndpointError {
        EndpointError(status: .badRequest, type: "invalid_request_error", code: code, message: message)
    }
}
