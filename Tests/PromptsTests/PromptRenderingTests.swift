import Foundation
import Testing
@testable import Prompts

@Suite("Prompt rendering")
struct PromptRenderingTests {
    static let input = PromptInput(
        instructions: "Use tabs? No: four spaces.",
        contextItems: [
            PromptContextItem(title: "Project overview", text: "Aid is a daemon.", stable: true),
            PromptContextItem(title: "Recent build error", path: "build.log", text: "error: x", stable: false),
            PromptContextItem(title: "Definition of Greeter", path: "Sources/App/Greeter.swift", text: "struct Greeter {}", stable: true),
        ],
        prompt: "Rename greet() to welcome().",
        files: Fixtures.files,
        cursor: CursorRegion(path: Fixtures.mainPath, lines: 2...3),
        repairNote: "hunk 1 did not apply"
    )

    @Test("stable parts come first: system, then stable context in order, then the volatile rest", arguments: PromptStrategy.builtIns)
    func stableFirst(strategy: PromptStrategy) throws {
        let messages = try strategy.messages(for: Self.input)
        #expect(messages.map(\.role) == [.system, .user, .user])
        #expect(messages.map(\.stable) == [true, true, false])
        #expect(messages[0].content.contains("Use tabs? No: four spaces."))
        let stable = messages[1].content
        let overview = try #require(stable.range(of: "Project overview"))
        let definition = try #require(stable.range(of: "Definition of Greeter"))
        #expect(overview.lowerBound < definition.lowerBound)
        #expect(!stable.contains("Recent build error"))

        let volatile = messages[2].content
        let order = ["Recent build error", "### `Sources/App/Config.swift`", "## Cursor", "Rename greet() to welcome().",
                     "hunk 1 did not apply"].map { volatile.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil })
        #expect(order.compactMap { $0 } == order.compactMap { $0 }.sorted())
        #expect(volatile.contains("at lines 2-3, which reads:\n\n```swift\nprint(greeter.greet())\nprint(greeter.farewell())\n```"))
        #expect(!volatile.contains("{{"))
    }

    @Test("absent parts leave no empty headings or messages")
    func minimalInput() throws {
        let input = PromptInput(prompt: "Explain Greeter.", files: [])
        let messages = try PromptStrategy.chat.messages(for: input)
        #expect(messages.map(\.role) == [.system, .user])
        #expect(messages.map(\.stable) == [true, false])
        #expect(messages[1].content == "## Question\n\nExplain Greeter.")
    }

    @Test("the system message is the same whatever the request")
    func systemIsStable() throws {
        let first = try PromptStrategy.unifiedDiff.messages(for: PromptInput(prompt: "A", files: Fixtures.files))
        let second = try PromptStrategy.unifiedDiff.messages(for: PromptInput(prompt: "B", files: []))
        #expect(first[0] == second[0])
    }

    @Test("default instructions state the format with an example")
    func defaultInstructions() throws {
        let diff = try PromptStrategy.unifiedDiff.messages(for: PromptInput(prompt: "x"))[0].content
        #expect(diff.contains("```diff") && diff.contains("--- a/Sources/App/Greeter.swift") && diff.contains("Never abbreviate"))
        let blocks = try PromptStrategy.searchReplace.messages(for: PromptInput(prompt: "x"))[0].content
        #expect(blocks.contains("<<<<<<< SEARCH") && blocks.contains("exactly one place"))
        let whole = try PromptStrategy.wholeFile.messages(for: PromptInput(prompt: "x"))[0].content
        #expect(whole.contains("up to 400 lines"))
        // The example in each built-in template parses with its own parser.
        let greeter = [EditableFile(path: "Sources/App/main.swift", text: "let greeter = Greeter(name: \"World\")\nprint(greeter.greet())\nprint(\"Done\")\n")]
        let proposals = try PromptStrategy.chat.parse(try PromptStrategy.chat.messages(for: PromptInput(prompt: "x"))[0].content, files: greeter)
        #expect(proposals.filePatches.count == 1)
    }

    @Test("file content with fences gets a longer fence")
    func fenceLength() throws {
        let readme = EditableFile(path: "README.md", text: "# Title\n\n```sh\nmake\n```\n")
        let messages = try PromptStrategy.unifiedDiff.messages(for: PromptInput(prompt: "x", files: [readme]))
        #expect(messages.last?.content.contains("````markdown\n# Title\n\n```sh\nmake\n```\n````") == true)
    }

    @Test("an empty request is refused")
    func emptyPrompt() {
        #expect(throws: PromptError.self) { try PromptStrategy.chat.messages(for: PromptInput(prompt: "  ")) }
    }
}

@Suite("Templates and registry")
struct TemplateTests {
    func withDirectory(_ files: [String: String], _ body: (URL) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prompt-templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, text) in files {
            try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try body(directory)
    }

    @Test("lookup by name@version or name, defaults per task, clear errors")
    func registryLookup() throws {
        let registry = StrategyRegistry.standard
        #expect(try registry.strategy(named: "search-replace@1").id == StrategyID(name: "search-replace", version: 1))
        #expect(try registry.strategy(named: "whole-file").id.description == "whole-file@1")
        #expect(registry.defaultStrategy(for: .edit)?.id.description == "unified-diff@1")
        #expect(registry.defaultStrategy(for: .chat)?.id.description == "chat@1")
        #expect(registry.defaultStrategy(for: PromptTask(rawValue: "describe")) == nil)
        #expect(registry.strategies.map(\.id.description) == ["chat@1", "search-replace@1", "unified-diff@1", "whole-file@1"])
        #expect {
            try registry.strategy(named: "unifed-diff@1")
        } throws: { error in
            "\(error)" == "Unknown prompt strategy 'unifed-diff@1'. Known strategies: chat@1, search-replace@1, unified-diff@1, whole-file@1."
        }
        #expect(throws: StrategyLookupError.self) { try registry.strategy(named: "unified-diff@0") }
        var custom = registry
        try custom.setDefault("search-replace@1", for: .edit)
        #expect(custom.defaultStrategy(for: .edit)?.id.description == "search-replace@1")
    }

    @Test("overrides load by name and by name@version; other files are reported")
    func loadOverrides() throws {
        let diffTemplate = "{{#system}}\nHOUSE RULES {{strategy}}\n{{#user}}\n{{files}}\n{{prompt}}\n"
        let chatTemplate = "{{#system}}\nCHAT RULES\n{{#user}}\n{{prompt}}\n"
        try withDirectory([
            "unified-diff.txt": diffTemplate, "chat@1.txt": chatTemplate, "chat.txt": "{{#system}}\nIGNORED\n{{#user}}\n{{prompt}}\n",
            "unified_diff.txt": "x", "notes.md": "y",
        ]) { directory in
            var registry = StrategyRegistry.standard
            let report = try registry.loadTemplateOverrides(from: directory)
            #expect(report.applied.keys.map(\.description).sorted() == ["chat@1", "unified-diff@1"])
            #expect(report.ignoredFiles.map { ($0 as NSString).lastPathComponent }.sorted() == ["notes.md", "unified_diff.txt"])
            let diff = try registry.strategy(named: "unified-diff@1")
            let messages = try diff.messages(for: PromptInput(prompt: "Go", files: []))
            #expect(messages == [PromptMessage(role: .system, content: "HOUSE RULES unified-diff@1", stable: true),
                                 PromptMessage(role: .user, content: "Go", stable: false)])
            #expect(diff.defaultTemplate.text == DefaultTemplates.unifiedDiff)
            #expect(try registry.strategy(named: "chat").messages(for: PromptInput(prompt: "Q"))[0].content == "CHAT RULES")
            #expect(try registry.strategy(named: "search-replace").template.text == DefaultTemplates.searchReplace)
        }
    }

    @Test("an unknown placeholder is an error naming the file, line and placeholder; nothing is applied")
    func unknownPlaceholder() throws {
        try withDirectory([
            "chat.txt": "{{#system}}\nFine\n{{#user}}\n{{prompt}}\n",
            "unified-diff.txt": "{{#system}}\nRules\n{{#user}}\n{{files}}\n{{promt}}\n",
        ]) { directory in
            var registry = StrategyRegistry.standard
            #expect {
                try registry.loadTemplateOverrides(from: directory)
            } throws: { error in
                let text = "\(error)"
                return text.hasPrefix(directory.appendingPathComponent("unified-diff.txt").path + ":5: unknown placeholder {{promt}}.")
                    && text.contains("Did you mean {{prompt}}?") && text.contains("{{repair_note}}")
            }
            #expect(registry.strategy(StrategyID(name: "chat", version: 1))?.template.text == DefaultTemplates.chat)
        }
    }

    @Test("other template mistakes say how to fix them", arguments: [
        ("{{#system}}\nx\n{{#tool}}\n{{prompt}}\n", "unknown message marker {{#tool}}"),
        ("Intro\n{{#system}}\n{{prompt}}\n", "text before the first message marker"),
        ("{{#system}}\nx\n{{#user}} {{prompt}}\n", "{{#user}} must stand alone on its line"),
        ("{{prompt}}", "text before the first message marker"),
        ("", "has no message markers"),
        ("{{#system}}\nRules\n{{#user}}\n{{files}}\n", "never uses {{prompt}}"),
    ])
    func templateMistakes(text: String, message: String) throws {
        try withDirectory(["unified-diff@1.txt": text]) { directory in
            var registry = StrategyRegistry.standard
            #expect {
                try registry.loadTemplateOverrides(from: directory)
            } throws: { error in
                "\(error)".contains(message) && "\(error)".contains("unified-diff@1.txt")
            }
        }
    }

    @Test("a missing override directory is not an error")
    func missingDirectory() throws {
        var registry = StrategyRegistry.standard
        let report = try registry.loadTemplateOverrides(from: URL(fileURLWithPath: "/nonexistent/templates"))
        #expect(!report.directoryExists)
        #expect(report.applied.isEmpty)
    }

    @Test("literal braces, and stability follows placeholders and order")
    func literalsAndStability() throws {
        let template = try PromptTemplate(text: """
        {{#user}}
        {{prompt}}
        {{#system}}
        Use {{open_braces}}name}} and {{ not a placeholder }} freely.
        {{#assistant}}
        Sure.
        """, source: "test")
        let messages = template.render(PromptSections.values(
            for: PromptInput(prompt: "Hi"), strategy: StrategyID(name: "t", version: 1), fileSizeLimit: nil))
        #expect(messages.map(\.role) == [.user, .system, .assistant])
        #expect(messages.map(\.stable) == [false, false, false])
        #expect(messages[1].content == "Use {{name}} and {{ not a placeholder }} freely.")
    }

    @Test("strategy ids parse and print as name@version")
    func strategyIDs() {
        #expect(StrategyID("unified-diff@1") == StrategyID(name: "unified-diff", version: 1))
        #expect(StrategyID("x@") == nil)
        #expect(StrategyID("@1") == nil)
        #expect(StrategyID("a b@1") == nil)
        #expect(StrategyID(name: "chat", version: 2).description == "chat@2")
    }
}
