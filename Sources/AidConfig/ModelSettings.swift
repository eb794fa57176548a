import AidProtocol
import Models

/// `gateway.endpoint_enabled` and `gateway.endpoint_port`: the local OpenAI-compatible HTTP
/// endpoint the daemon serves on 127.0.0.1 when enabled.
public struct EndpointConfiguration: Sendable, Equatable {
    /// Off unless the user turns it on.
    public var enabled = false
    /// The TCP port on 127.0.0.1; 0 lets the system choose a free one.
    public var port = 8765

    public init(enabled: Bool = false, port: Int = 8765) {
        self.enabled = enabled
        self.port = port
    }
}

extension AidConfiguration {
    /// The keys of the `gateway` table that belong to the daemon's HTTP endpoint rather than to
    /// the gateway itself.
    static let endpointKeys = ["endpoint_enabled", "endpoint_port"]

    /// Keys a workspace file may not set: a cloned repository must not be able to send the
    /// user's keys to a server of its choosing.
    static let keyRoutingKeys = ["api_key_env", "api_key_file"]

    /// Reads the model gateway's tables of the merged document through
    /// `ModelsConfiguration.validate`, pointing each problem at the file and line that set it.
    mutating func applyModels(_ merged: JSONValue, files: [ConfigFile]) {
        let gateway = merged["gateway"]
        if case .bool(let enabled)? = gateway?["endpoint_enabled"] { endpoint.enabled = enabled }
        if let port = gateway?["endpoint_port"]?.intValue { endpoint.port = port }

        var tables: [String: JSONValue] = [:]
        for key in ModelsConfiguration.topLevelKeys { if let value = merged[key] { tables[key] = value } }
        if case .object(var members)? = tables["gateway"] {
            for key in Self.endpointKeys { members[key] = nil }
            tables["gateway"] = .object(members)
        }
        guard !tables.isEmpty else { return }
        let (configuration, issues) = ModelsConfiguration.validate(.object(tables))
        var errors = issues.map { Self.locate($0, in: files) }
        errors += Self.workspaceKeyProblems(files: files, merged: merged)
        if let configuration, errors.isEmpty {
            models = configuration
        } else {
            modelErrors = errors
        }
    }

    /// The error for `issue`, in the file that sets the deepest part of its key (the later file,
    /// which overrides, when two set as much of it).
    static func locate(_ issue: ModelConfigIssue, in files: [ConfigFile]) -> ConfigError {
        var best: ConfigFile?
        var bestDepth = 0
        for file in files {
            let depth = depth(of: issue.path, in: file.document)
            if depth > 0, depth >= bestDepth {
                best = file
                bestDepth = depth
            }
        }
        guard let file = best ?? files.first else {
            return ConfigError(file: "configuration", key: issue.keyPath, message: issue.message)
        }
        return ConfigError(file: file.path, line: file.keyLines.line(of: issue.path), key: issue.keyPath, message: issue.message)
    }

    /// How many leading components of `path` `document` contains.
    private static func depth(of path: [String], in document: JSONValue) -> Int {
        var value = document
        var depth = 0
        for component in path {
            if let member = value[component] {
                value = member
            } else if let index = Int(component), let elements = value.arrayValue, elements.indices.contains(index) {
                value = elements[index]
            } else {
                break
            }
            depth += 1
        }
        return depth
    }

    /// Model keys the workspace files (every file after the user's) may not set: where a key is
    /// read from, and where a model that sends a key is reached.
    static func workspaceKeyProblems(files: [ConfigFile], merged: JSONValue) -> [ConfigError] {
        var errors: [ConfigError] = []
        for file in files.dropFirst() {
            guard let models = file.document["models"]?.objectValue else { continue }
            for id in models.keys.sorted() {
                guard let table = models[id]?.objectValue else { continue }
                for key in keyRoutingKeys where table[key] != nil {
                    let path = ["models", id, key]
                    errors.append(ConfigError(
                        file: file.path, line: file.keyLines.line(of: path), key: path.joined(separator: "."),
                        message: "a workspace configuration cannot choose where keys come from (a cloned repository could send your key elsewhere); set it in your user configuration"))
                }
                let sendsKey = keyRoutingKeys.contains { merged["models"]?[id]?[$0] != nil }
                if table["base_url"] != nil, sendsKey {
                    let path = ["models", id, "base_url"]
                    errors.append(ConfigError(
                        file: file.path, line: file.keyLines.line(of: path), key: path.joined(separator: "."),
                        message: "a workspace configuration cannot change the URL of a model that sends a key (a cloned repository could send your key elsewhere); set it in your user configuration, or define a keyless model here"))
                }
            }
        }
        return errors
    }
}
