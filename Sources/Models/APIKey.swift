import Foundation

/// An API key read for one call. It prints as `<redacted>` everywhere (descriptions, dumps,
/// reflection), is never stored by the gateway, and is only handed to the HTTP header of its own
/// provider.
public struct APIKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The secret itself; internal so that only provider code can put it in a header.
    let secret: String

    init(secret: String) { self.secret = secret }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// Removes every occurrence of the key from `text` (provider error messages sometimes quote
    /// part of the key they rejected).
    func redact(_ text: String) -> String {
        guard !secret.isEmpty else { return text }
        var result = text.replacingOccurrences(of: secret, with: "<redacted>")
        // Providers also echo a shortened key such as "sk-test-...abcd"; drop any long enough
        // fragment of it.
        if secret.count >= 12 {
            let tail = String(secret.suffix(8))
            let head = String(secret.prefix(8))
            result = result.replacingOccurrences(of: tail, with: "<redacted>").replacingOccurrences(of: head, with: "<redacted>")
        }
        return result
    }
}

extension APIKeySource {
    /// Reads the key now (for one call; do not keep it). `environment` looks up environment variables.
    /// Returns `nil` for `.none`; throws `missingKey` naming the variable or file to fix.
    public func resolve(model: String, environment: (String) -> String?) throws -> APIKey? {
        switch self {
        case .none:
            return nil
        case .environment(let name):
            guard let value = environment(name)?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
                throw ModelError(.missingKey, "the environment variable \(name) is not set or is empty; export the provider's key in it before starting the daemon, or set api_key_file", model: model)
            }
            return APIKey(secret: value)
        case .file(let path):
            let expanded = (path as NSString).expandingTildeInPath
            guard let data = FileManager.default.contents(atPath: expanded) else {
                throw ModelError(.missingKey, "cannot read the key file \(path); create it with the provider's key (readable by this user only)", model: model)
            }
            let value = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !value.isEmpty else {
                throw ModelError(.missingKey, "the key file \(path) is empty; write the provider's key in it", model: model)
            }
            return APIKey(secret: value)
        }
    }
}
