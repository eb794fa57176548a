import AidProtocol
import Foundation
import Models

/// The configuration in force: the user's file overlaid by the workspace's, with defaults for
/// everything not set.
public struct AidConfiguration: Sendable, Equatable {
    public var logLevel = "info"
    public var logMaxBytes = 10 << 20
    public var logFiles = 3
    public var maximumFrameBytes = 64 << 20
    public var maximumQueuedBytes = 64 << 20
    public var drainTimeoutMs = 5_000
    /// `build.*`: how workspaces are built.
    public var build = BuildConfiguration()
    /// `models`, `routes`, `experiments` and `gateway`: the model gateway's configuration. Empty
    /// (no models) when those tables are absent or have errors (see `modelErrors`).
    public var models = ModelsConfiguration(models: [], routes: [:])
    /// Problems in the model gateway's tables, each naming its file, line and key. The rest of the
    /// configuration applies; the gateway runs without models.
    public var modelErrors: [ConfigError] = []
    /// `gateway.endpoint_*`: the local OpenAI-compatible HTTP endpoint.
    public var endpoint = EndpointConfiguration()

    /// The files this configuration was read from, user file first.
    public var sources: [String] = []

    public init() {}

    /// Loads the user's configuration, then the workspace's on top of it when given.
    public static func load(userFile: String, workspaceRoot: String? = nil) throws(ConfigErrors) -> AidConfiguration {
        var files = [try ConfigFile.load(path: userFile)]
        if let workspaceRoot {
            files.append(try ConfigFile.load(path: workspaceFile(root: workspaceRoot)))
        }
        var merged: JSONValue = .object([:])
        for file in files { merged = overlay(merged, file.document) }
        var configuration = AidConfiguration()
        configuration.apply(merged)
        configuration.applyModels(merged, files: files)
        configuration.sources = files.map(\.path).filter { FileManager.default.fileExists(atPath: $0) }
        return configuration
    }

    /// `<root>/.aid/config.toml`.
    public static func workspaceFile(root: String) -> String {
        URL(fileURLWithPath: root).appendingPathComponent(".aid/config.toml").path
    }

    private mutating func apply(_ document: JSONValue) {
        let daemon = document["daemon"]
        if let v = daemon?["log_level"]?.stringValue { logLevel = v }
        if let v = daemon?["log_max_bytes"]?.intValue { logMaxBytes = v }
        if let v = daemon?["log_files"]?.intValue { logFiles = v }
        if let v = daemon?["max_frame_bytes"]?.intValue { maximumFrameBytes = v }
        if let v = daemon?["max_queued_bytes"]?.intValue { maximumQueuedBytes = v }
        if let v = daemon?["drain_timeout_ms"]?.intValue { drainTimeoutMs = v }
        if let table = document["build"] { build.apply(table) }
    }

    /// Tables merge key by key; any other value in `top` replaces the one in `base`.
    static func overlay(_ base: JSONValue, _ top: JSONValue) -> JSONValue {
        guard case .object(var merged) = base, case .object(let overrides) = top else { return top }
        for (key, value) in overrides { merged[key] = overlay(merged[key] ?? .null, value) }
        return .object(merged)
    }
}
