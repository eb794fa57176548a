import AidProtocol
import ArgumentParser
import Foundation
import JSONRPC

struct ContextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "context",
        abstract: "Show the context `aid ask` would send for a request: each item with its provider, tokens and reason.",
        discussion: "Sends context/preview; no model is called.\nExample: aid context \"Fix add\" --file calc.py --line 2")

    @Argument(help: "The request.")
    var prompt: String

    @OptionGroup var editor: EditorStateOptions

    @Option(help: "The model whose window is the budget.")
    var model: String?

    @Option(help: "The prompt strategy.")
    var strategy: String?

    @Flag(help: "Print the context/preview result as JSON.")
    var json = false

    func run() throws {
        let client = try CLI.connect()
        defer { client.close() }
        let preview: ContextPreview
        do {
            preview = try client.call(ContextPreviewRequest(prompt: prompt, file: editor.absoluteFile, cursor: editor.cursor,
                                                            strategy: strategy, model: model), timeout: .seconds(600))
        } catch RPCClientError.response(let error) {
            throw CLI.fail("\(error.message) (\(error.code.rawValue))")
        }
        if json {
            CLI.printJSON(try JSONCoding.jsonValue(preview))
            return
        }
        print(Self.render(preview))
    }

    static func render(_ preview: ContextPreview) -> String {
        func rows(_ items: [ContextPreview.Item]) -> [[String]] {
            items.map { [$0.provider, String($0.tokens), $0.stable ? "stable" : "volatile", $0.title, $0.reason] }
        }
        var lines = [TextTable.render(header: ["provider", "tokens", "kind", "item", "reason"], rows: rows(preview.items))]
        lines.append("")
        lines.append("\(preview.items.count) items, \(preview.totalTokens) of \(preview.budgetTokens) tokens (model \(preview.model), strategy \(preview.strategy))")
        if let dropped = preview.dropped, !dropped.isEmpty {
            lines.append("")
            lines.append("left out:")
            lines.append(TextTable.render(header: ["provider", "tokens", "kind", "item", "reason"], rows: rows(dropped)))
        }
        return lines.joined(separator: "\n")
    }
}
