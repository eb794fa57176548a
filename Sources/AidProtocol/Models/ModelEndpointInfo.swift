/// The local OpenAI-compatible HTTP endpoint.
public struct ModelEndpointInfo: Codable, Sendable, Equatable {
    /// Whether it serves (`gateway.endpoint_enabled`).
    public var enabled: Bool
    /// Its base URL (`http://127.0.0.1:PORT/v1`) while it serves.
    public var url: String?
    /// The file holding the bearer token every request must send.
    public var tokenFile: String?

    public init(enabled: Bool, url: String? = nil, tokenFile: String? = nil) {
        self.enabled = enabled
        self.url = url
        self.tokenFile = tokenFile
    }
}
