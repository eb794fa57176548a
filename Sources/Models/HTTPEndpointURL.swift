import Foundation

/// A provider base URL, checked to be http(s) with a host.
struct HTTPEndpointURL: Sendable, Hashable {
    let text: String
    let isHTTPS: Bool
    let host: String

    init?(_ text: String) {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty
        else { return nil }
        self.text = text
        self.isHTTPS = scheme == "https"
        self.host = host.lowercased()
    }

    /// Whether the host is this machine.
    var isLoopback: Bool {
        host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
    }

    /// The URL of `path` under this base, with exactly one slash between them.
    func appending(_ path: String) -> String {
        var base = text
        while base.hasSuffix("/") { base.removeLast() }
        return base + (path.hasPrefix("/") ? path : "/" + path)
    }
}
