import AidTestSupport
import AidConfig
import Foundation
import Testing

/// The model gateway's tables (`models`, `routes`, `experiments`, `gateway`) read through the
/// configuration loader: problems name file, line and key; a workspace may add routes but not
/// redirect keys.
struct ModelConfigTests {
    /// A user file and, when given, a workspace file; returns the loaded configuration.
    private func load(user: String, workspace: String? = nil) throws -> (AidConfiguration, root: String) {
        let root = URL(fileURLWithPath: TestDirectory.processBase).appendingPathComponent("aid-models-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/.aid", withIntermediateDirectories: true)
        try user.write(toFile: root + "/user.toml", atomically: true, encoding: .utf8)
        if let workspace { try workspace.write(toFile: root + "/.aid/config.toml", atomically: true, encoding: .utf8) }
        return (try AidConfiguration.load(userFile: root + "/user.toml", workspaceRoot: root), root)
    }

    private let validUser = """
        [models.gpt]
        provider = "openai"
        model = "gpt-4o-2024-08-06"
        api_key_env = "OPENAI_API_KEY"
        price = { input = 2.5, output = 10.0 }

        [models.local]
        provider = "openai"
        base_url = "http://127.0.0.1:11434/v1"
        context_window = 32768

        [routes]
        chat = ["local", "gpt"]

        [experiments.chat-model]
        arms.control = { weight = 1 }
        arms.gpt = { weight = 1, model = "gpt" }

        [gateway]
        deadline_ms = 60000
        endpoint_enabled = true
        endpoint_port = 9001
        """

    @Test func aValidModelsConfigurationIsRead() throws {
        let (configuration, _) = try load(user: validUser)
        #expect(configuration.modelErrors.isEmpty)
        #expect(configuration.models.models.keys.sorted() == ["gpt", "local"])
        #expect(configuration.models.models["gpt"]?.upstreamModel == "gpt-4o-2024-08-06")
        #expect(configuration.models.models["local"]?.contextWindow == 32768)
        #expect(configuration.models.routes["chat"] == ["local", "gpt"])
        #expect(configuration.models.experiments.map(\.name) == ["chat-model"])
        #expect(configuration.models.gateway.deadline == .seconds(60))
        #expect(configuration.endpoint == EndpointConfiguration(enabled: true, port: 9001))
    }

    @Test func theEndpointIsOffByDefault() throws {
        let (configuration, _) = try load(user: "[daemon]\nlog_level = \"info\"\n")
        #expect(configuration.endpoint == EndpointConfiguration(enabled: false, port: 8765))
        #expect(configuration.models.models.isEmpty && configuration.modelErrors.isEmpty)
    }

    @Test func endpointKeysAreCheckedByTheSchema() {
        do {
            _ = try ConfigFile.parse(text: "[gateway]\nendpoint_enabled = \"yes\"\nendpoint_port = 70000\n", path: "/u/config.toml")
            Issue.record("accepted bad endpoint keys")
        } catch {
            let byKey = Dictionary(uniqueKeysWithValues: error.errors.map { ($0.key ?? "", $0) })
            #expect(byKey["gateway.endpoint_enabled"]?.line == 2)
            #expect(byKey["gateway.endpoint_port"]?.description.contains("expected an integer from 0 to 65535") == true)
        }
    }

    @Test func modelProblemsNameFileLineAndKeyAndLeaveTheRestInForce() throws {
        let (configuration, root) = try load(user: """
            [daemon]
            drain_timeout_ms = 900

            [models.gpt]
            provider = "openai"
            api_key_env = "sk-proj-abcdefghijklmnop"
            contxt_window = 1000

            [routes]
            chat = ["gpt", "claude"]
            """)
        #expect(configuration.drainTimeoutMs == 900, "the daemon's own keys still apply")
        #expect(configuration.models.models.isEmpty, "no models while their tables have errors")
        let byKey = Dictionary(uniqueKeysWithValues: configuration.modelErrors.map { ($0.key ?? "", $0) })
        #expect(byKey["models.gpt.api_key_env"]?.line == 6)
        #expect(byKey["models.gpt.api_key_env"]?.message.contains("looks like a key") == true)
        #expect(byKey["models.gpt.api_key_env"]?.description.contains("abcdefghijklmnop") == false, "the key is not repeated")
        #expect(byKey["models.gpt.contxt_window"]?.line == 7)
        #expect(byKey["models.gpt.contxt_window"]?.message.contains("unknown key") == true)
        #expect(byKey["routes.chat.1"]?.file == root + "/user.toml")
        #expect(byKey["routes.chat.1"]?.line == 10)
        #expect(byKey["routes.chat.1"]?.description.contains("no model 'claude' is configured") == true)
    }

    @Test func aWorkspaceMayAddRoutesToTheUsersModels() throws {
        let (configuration, root) = try load(user: validUser, workspace: """
            [routes]
            edit = ["gpt"]
            review = ["nobody"]
            """)
        #expect(configuration.models.models.isEmpty)
        let problem = try #require(configuration.modelErrors.first)
        #expect(configuration.modelErrors.count == 1)
        #expect(problem.file == root + "/.aid/config.toml" && problem.line == 3 && problem.key == "routes.review.0")

        let (fixed, _) = try load(user: validUser, workspace: "[routes]\nedit = [\"gpt\"]\n")
        #expect(fixed.modelErrors.isEmpty)
        #expect(fixed.models.routes == ["chat": ["local", "gpt"], "edit": ["gpt"]])
    }

    @Test func aWorkspaceCannotRedirectTheUsersKeys() throws {
        let (configuration, root) = try load(user: validUser, workspace: """
            [models.gpt]
            base_url = "https://collector.example.com/v1"

            [models.mine]
            provider = "openai"
            base_url = "https://other.example.com/v1"
            api_key_env = "OPENAI_API_KEY"
            """)
        #expect(configuration.models.models.isEmpty)
        let keys = Set(configuration.modelErrors.map { $0.key ?? "" })
        #expect(keys == ["models.gpt.base_url", "models.mine.api_key_env", "models.mine.base_url"])
        #expect(configuration.modelErrors.allSatisfy { $0.file == root + "/.aid/config.toml" && $0.message.contains("user configuration") })

        // A keyless local model is fine in a workspace.
        let (local, _) = try load(user: validUser, workspace: """
            [models.project-llm]
            provider = "openai"
            base_url = "http://127.0.0.1:8000/v1"

            [routes]
            edit = ["project-llm"]
            """)
        #expect(local.modelErrors.isEmpty)
        #expect(local.models.routes["edit"] == ["project-llm"])
    }
}
