import AidProtocol
import ArgumentParser
import Foundation
import JSONRPC

struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "Show the configured models, routes, experiments and the local HTTP endpoint.",
        discussion: """
            Models are configured in $XDG_CONFIG_HOME/aid/config.toml ([models.<id>], [routes], \
            [experiments.<name>], [gateway]); `aid config check` checks them. Keys are read from the \
            environment or key files and never shown.
            """)

    @Flag(help: "Print the models/list result as JSON.")
    var json = false

    func run() throws {
        let client = try CLI.connect()
        defer { client.close() }
        let list = try client.call(ModelsListRequest())
        if json {
            CLI.printJSON(try JSONCoding.jsonValue(list))
        } else {
            print(ModelsRendering.render(list))
        }
    }
}

/// The text of `aid models`.
enum ModelsRendering {
    static func render(_ list: ModelsList) -> String {
        var lines: [String] = []
        for problem in list.problems { lines.append("error: \(problem)") }
        if list.models.isEmpty {
            lines.append("No models configured: add [models.<id>] and [routes] to your config.toml (see \"Models\" in the README).")
        } else {
            lines.append(TextTable.render(
                header: ["model", "provider", "upstream", "context", "$/M in", "$/M out", "key", "circuit", "base url"],
                rows: list.models.map { model in
                    [model.id, model.provider, model.upstreamModel, String(model.contextWindow), TextTable.price(model.prices.input),
                     TextTable.price(model.prices.output), model.keySource ?? "none", model.circuit, model.baseURL ?? "-"]
                }))
        }
        if !list.routes.isEmpty {
            lines.append("")
            lines.append(TextTable.render(header: ["task", "route (tried in order)"],
                                      rows: list.routes.map { [$0.task, $0.models.joined(separator: " -> ")] }))
        }
        for experiment in list.experiments {
            lines.append("")
            let tasks = experiment.tasks.isEmpty ? "every task" : experiment.tasks.joined(separator: ", ")
            lines.append("experiment \(experiment.name) (\(experiment.enabled ? "enabled" : "disabled"), \(tasks); control \(experiment.control); you are in \(experiment.assignedArm ?? "no arm"))")
            let total = experiment.arms.reduce(0) { $0 + $1.weight }
            lines.append(TextTable.render(header: ["  arm", "share", "model", "strategy"], rows: experiment.arms.map { arm in
                ["  " + arm.name, total > 0 ? String(format: "%.0f%%", arm.weight / total * 100) : "-", arm.model ?? "(route)", arm.strategy ?? "-"]
            }))
        }
        lines.append("")
        if let url = list.endpoint.url {
            lines.append("endpoint \(url) (OpenAI-compatible; bearer token in \(list.endpoint.tokenFile ?? "?"))")
        } else {
            lines.append("endpoint \(list.endpoint.enabled ? "enabled but not serving (see above)" : "off (set gateway.endpoint_enabled = true)")")
        }
        return lines.joined(separator: "\n")
    }
}
