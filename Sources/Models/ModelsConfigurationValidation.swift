import AidProtocol

extension ModelsConfiguration {
    /// The top-level keys this module reads; other keys of the document belong to other parts.
    public static let topLevelKeys = ["models", "routes", "experiments", "gateway"]

    /// Reads and checks the `models`, `routes`, `experiments` and `gateway` tables of a
    /// configuration document. Returns the configuration when there is no issue, and every issue
    /// found, each naming its key path.
    ///
    /// ```toml
    /// [models.gpt-4o]
    /// provider = "openai"            # openai | anthropic | replay
    /// model = "gpt-4o-2024-08-06"   # name sent upstream, default: the id
    /// base_url = "https://api.openai.com/v1"
    /// api_key_env = "OPENAI_API_KEY" # or api_key_file = "~/.config/aid/openai.key"
    /// context_window = 128000
    /// max_output_tokens = 16384
    /// concurrency = 8
    /// price = { input = 2.5, output = 10.0, cached_input = 1.25 }
    ///
    /// [routes]
    /// edit = ["gpt-4o", "claude"]
    ///
    /// [experiments.edit-model]
    /// tasks = ["edit"]
    /// arms.control = { weight = 50 }
    /// arms.claude = { weight = 50, model = "claude", strategy = "whole-file" }
    /// ```
    public static func validate(_ document: JSONValue) -> (configuration: ModelsConfiguration?, issues: [ModelConfigIssue]) {
        var reader = ConfigReader()
        guard let root = reader.table(document, at: []) else { return (nil, reader.issues) }
        var models: [ModelDefinition] = []
        if let table = reader.table(root["models"], at: ["models"]) {
            for id in table.keys.sorted() {
                if let model = readModel(id: id, table[id]!, &reader) { models.append(model) }
            }
        }
        let modelsByID = Dictionary(models.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let knownIDs = Set(root["models"]?.objectValue?.keys.map { $0 } ?? [])
        var routes: [String: [String]] = [:]
        if let table = reader.table(root["routes"], at: ["routes"]) {
            for task in table.keys.sorted() {
                let path = ["routes", task]
                guard let chain = reader.strings(table[task]!, at: path) else { continue }
                if chain.isEmpty { reader.fail(path, "a route needs at least one model id") }
                for (index, id) in chain.enumerated() where !knownIDs.contains(id) {
                    reader.fail(path + ["\(index)"], "no model '\(id)' is configured; add a [models.\(id)] table or use one of: \(knownIDs.sorted().joined(separator: ", "))")
                }
                if Set(chain).count != chain.count { reader.fail(path, "a model appears twice in the route") }
                routes[task] = chain
            }
        }
        var experiments: [ExperimentDefinition] = []
        if let table = reader.table(root["experiments"], at: ["experiments"]) {
            for name in table.keys.sorted() {
                if let experiment = readExperiment(name: name, table[name]!, knownIDs: knownIDs, &reader) { experiments.append(experiment) }
            }
        }
        let gateway = readGateway(root["gateway"], &reader)
        guard reader.issues.isEmpty else { return (nil, reader.issues) }
        let configuration = ModelsConfiguration(models: Array(modelsByID.values), routes: routes, experiments: experiments, gateway: gateway)
        return (configuration, [])
    }

    /// The configuration in `document`, or `ModelConfigIssues` listing every problem.
    public init(validating document: JSONValue) throws {
        let result = Self.validate(document)
        guard let configuration = result.configuration else { throw ModelConfigIssues(issues: result.issues) }
        self = configuration
    }

    private static let modelKeys = [
        "provider", "model", "base_url", "api_key_env", "api_key_file", "replay_dir", "context_window",
        "max_output_tokens", "price", "concurrency", "first_token_timeout_ms", "idle_timeout_ms",
    ]

    private static func readModel(id: String, _ value: JSONValue, _ reader: inout ConfigReader) -> ModelDefinition? {
        let path = ["models", id]
        guard let table = reader.table(value, at: path) else { return nil }
        let before = reader.issues.count
        reader.checkKnown(table, modelKeys, at: path)
        var provider: ProviderKind?
        if let name = reader.string(table, "provider", at: path) {
            provider = ProviderKind(rawValue: name)
            if provider == nil { reader.fail(path + ["provider"], "expected one of \"openai\", \"anthropic\", \"replay\", got \(ConfigReader.describe(.string(name)))") }
        } else if table["provider"] == nil {
            reader.fail(path + ["provider"], "missing; set provider = \"openai\", \"anthropic\" or \"replay\"")
        }
        let upstream = reader.string(table, "model", at: path)
        let baseURL = reader.string(table, "base_url", at: path)
        let keyEnv = reader.string(table, "api_key_env", at: path)
        let keyFile = reader.string(table, "api_key_file", at: path)
        let replayDir = reader.string(table, "replay_dir", at: path)
        let contextWindow = reader.int(table, "context_window", 256...100_000_000, at: path)
        let maxOutput = reader.int(table, "max_output_tokens", 1...10_000_000, at: path)
        let concurrency = reader.int(table, "concurrency", 1...10_000, at: path)
        let firstToken = reader.milliseconds(table, "first_token_timeout_ms", 1...3_600_000, at: path)
        let idle = reader.milliseconds(table, "idle_timeout_ms", 1...3_600_000, at: path)
        let pricing = readPricing(table["price"], at: path + ["price"], &reader)

        var keySource = APIKeySource.none
        if keyEnv != nil, keyFile != nil {
            reader.fail(path + ["api_key_file"], "give api_key_env or api_key_file, not both")
        } else if let keyEnv {
            if keyEnv.hasPrefix("sk-") || keyEnv.count > 100 {
                reader.fail(path + ["api_key_env"], "looks like a key, not the name of an environment variable; put the key in the environment (for example OPENAI_API_KEY) and name the variable here")
            } else if !isEnvironmentName(keyEnv) {
                reader.fail(path + ["api_key_env"], "expected the name of an environment variable (letters, digits, underscores)")
            }
            keySource = .environment(keyEnv)
        } else if let keyFile {
            keySource = .file(keyFile)
        }
        guard let provider else { return nil }
        switch provider {
        case .replay:
            if replayDir == nil { reader.fail(path + ["replay_dir"], "missing; a replay model needs the directory of its recordings") }
            for key in ["base_url", "api_key_env", "api_key_file"] where table[key] != nil {
                reader.fail(path + [key], "a replay model calls no provider; remove this key")
            }
        case .openai, .anthropic:
            if replayDir != nil { reader.fail(path + ["replay_dir"], "only replay models read recordings; remove this key") }
            if provider == .anthropic, keySource == .none {
                reader.fail(path, "an anthropic model needs api_key_env or api_key_file")
            }
            let url = baseURL ?? ModelDefinition.defaultBaseURL(for: provider) ?? ""
            if let problem = urlProblem(url, sendsKey: keySource != .none) { reader.fail(path + ["base_url"], problem) }
            if provider == .openai, keySource == .none, url.hasPrefix("https://api.openai.com") {
                reader.fail(path, "api.openai.com needs a key: set api_key_env or api_key_file")
            }
        }
        guard reader.issues.count == before else { return nil }
        return ModelDefinition(
            id: id, provider: provider, upstreamModel: upstream, baseURL: baseURL, apiKey: keySource,
            replayDirectory: replayDir, contextWindow: contextWindow ?? 128_000, maxOutputTokens: maxOutput ?? 4096,
            pricing: pricing ?? Pricing(), concurrency: concurrency ?? 8, firstTokenTimeout: firstToken,
            idleTimeout: idle)
    }

    private static func readPricing(_ value: JSONValue?, at path: [String], _ reader: inout ConfigReader) -> Pricing? {
        guard let table = reader.table(value, at: path) else { return nil }
        reader.checkKnown(table, ["input", "output", "cached_input", "cache_write"], at: path)
        let input = reader.number(table, "input", minimum: 0, at: path)
        let output = reader.number(table, "output", minimum: 0, at: path)
        let cached = reader.number(table, "cached_input", minimum: 0, at: path)
        let write = reader.number(table, "cache_write", minimum: 0, at: path)
        return Pricing(inputPerMillion: input ?? 0, outputPerMillion: output ?? 0, cachedInputPerMillion: cached, cacheWritePerMillion: write)
    }

    private static func readExperiment(name: String, _ value: JSONValue, knownIDs: Set<String>, _ reader: inout ConfigReader) -> ExperimentDefinition? {
        let path = ["experiments", name]
        guard let table = reader.table(value, at: path) else { return nil }
        let before = reader.issues.count
        reader.checkKnown(table, ["enabled", "tasks", "arms", "control"], at: path)
        let enabled = reader.bool(table, "enabled", at: path) ?? true
        let tasks = reader.strings(table, "tasks", at: path) ?? []
        let control = reader.string(table, "control", at: path)
        var arms: [ExperimentArm] = []
        if let armTable = reader.table(table["arms"], at: path + ["arms"]) {
            for armName in armTable.keys.sorted() {
                let armPath = path + ["arms", armName]
                guard let arm = reader.table(armTable[armName]!, at: armPath) else { continue }
                reader.checkKnown(arm, ["weight", "model", "strategy"], at: armPath)
                let weight = reader.number(arm, "weight", minimum: 0, at: armPath)
                if arm["weight"] == nil { reader.fail(armPath + ["weight"], "missing; give the arm a weight (for example 50)") }
                let model = reader.string(arm, "model", at: armPath)
                if let model, !knownIDs.contains(model) {
                    reader.fail(armPath + ["model"], "no model '\(model)' is configured")
                }
                let strategy = reader.string(arm, "strategy", at: armPath)
                arms.append(ExperimentArm(name: armName, weight: weight ?? 0, model: model, strategy: strategy))
            }
        } else if table["arms"] == nil {
            reader.fail(path + ["arms"], "missing; an experiment needs arms, for example arms.control = { weight = 50 }")
        }
        if table["arms"] != nil, arms.reduce(0, { $0 + $1.weight }) <= 0, reader.issues.count == before {
            reader.fail(path + ["arms"], "the arms' weights add up to zero; give at least one arm a positive weight")
        }
        if let control, !arms.contains(where: { $0.name == control }) {
            reader.fail(path + ["control"], "no arm is named '\(control)'")
        }
        guard reader.issues.count == before else { return nil }
        return ExperimentDefinition(name: name, enabled: enabled, tasks: tasks, arms: arms, control: control)
    }

    private static let gatewayKeys = [
        "connect_timeout_ms", "first_token_timeout_ms", "idle_timeout_ms", "deadline_ms", "max_retries",
        "backoff_base_ms", "backoff_max_ms", "max_retry_after_ms", "circuit_failure_threshold",
        "circuit_cooldown_ms", "max_response_bytes",
    ]

    private static func readGateway(_ value: JSONValue?, _ reader: inout ConfigReader) -> GatewaySettings {
        var settings = GatewaySettings()
        let path = ["gateway"]
        guard let table = reader.table(value, at: path) else { return settings }
        reader.checkKnown(table, gatewayKeys, at: path)
        let hour = 3_600_000
        if let v = reader.milliseconds(table, "connect_timeout_ms", 1...hour, at: path) { settings.connectTimeout = v }
        if let v = reader.milliseconds(table, "first_token_timeout_ms", 1...hour, at: path) { settings.firstTokenTimeout = v }
        if let v = reader.milliseconds(table, "idle_timeout_ms", 1...hour, at: path) { settings.idleTimeout = v }
        if let v = reader.milliseconds(table, "deadline_ms", 1...hour, at: path) { settings.deadline = v }
        if let v = reader.int(table, "max_retries", 0...10, at: path) { settings.maxRetries = v }
        if let v = reader.milliseconds(table, "backoff_base_ms", 0...hour, at: path) { settings.backoffBase = v }
        if let v = reader.milliseconds(table, "backoff_max_ms", 0...hour, at: path) { settings.backoffMax = v }
        if let v = reader.milliseconds(table, "max_retry_after_ms", 0...hour, at: path) { settings.maxRetryAfter = v }
        if let v = reader.int(table, "circuit_failure_threshold", 1...1000, at: path) { settings.circuitFailureThreshold = v }
        if let v = reader.milliseconds(table, "circuit_cooldown_ms", 1...hour, at: path) { settings.circuitCooldown = v }
        if let v = reader.int(table, "max_response_bytes", 1024...(1 << 32), at: path) { settings.maxResponseBytes = v }
        if settings.backoffMax < settings.backoffBase {
            reader.fail(path + ["backoff_max_ms"], "must be at least backoff_base_ms")
        }
        return settings
    }

    private static func isEnvironmentName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    /// Why `url` cannot be a provider base URL, or `nil` when it can.
    private static func urlProblem(_ url: String, sendsKey: Bool) -> String? {
        guard let parsed = HTTPEndpointURL(url) else {
            return "expected an http:// or https:// URL such as https://api.openai.com/v1"
        }
        if sendsKey, !parsed.isHTTPS, !parsed.isLoopback {
            return "keys are only sent over https or to a loopback address (127.0.0.1, localhost, ::1); use https://"
        }
        return nil
    }
}
