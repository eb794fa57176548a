import AidProtocol
import ArgumentParser
import Daemon
import Foundation
import JSONRPC

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show what the daemon is and what it is doing.")

    @Flag(help: "Print the status as JSON.")
    var json = false

    func run() throws {
        let client = try CLI.connect()
        defer { client.close() }
        let status = try client.call(DaemonStatusRequest())
        if json {
            CLI.printJSON(try JSONCoding.jsonValue(status))
            return
        }
        print(Self.render(status))
    }

    static func render(_ s: DaemonStatus) -> String {
        var lines = ["aid \(s.version) (protocol \(s.protocolVersion)): running"]
        func row(_ name: String, _ value: String) { lines.append("  " + name.padding(toLength: 11, withPad: " ", startingAt: 0) + " " + value) }
        row("pid", "\(s.pid) (generation \(s.generation), up \(String(format: "%.1f", s.uptimeSeconds)) s, first started \(s.startedAt))")
        row("binary", s.executable.path)
        row("socket", s.socketPath)
        row("state", s.stateDirectory)
        row("log", s.logFile)
        row("clients", "\(s.connections) connected, \(s.inFlightRequests) requests in flight, \(s.requestsServed) served")
        if s.workspaces.isEmpty {
            row("workspaces", "none")
        } else {
            for (i, w) in s.workspaces.enumerated() {
                row(i == 0 ? "workspaces" : "", "\(w.root) (\(w.clients.joined(separator: ", ")))")
            }
        }
        for (i, index) in (s.indexes ?? []).enumerated() {
            var text = "\(index.root): \(index.state), \(index.files) files, \(index.lines) lines"
            if let seconds = index.buildSeconds { text += String(format: ", built in %.2f s", seconds) }
            if let last = index.lastUpdateMilliseconds { text += String(format: ", %d updates (last %.1f ms)", index.updates, last) }
            row(i == 0 ? "indexes" : "", text)
        }
        for error in s.configErrors { row("config", "error: \(error)") }
        return lines.joined(separator: "\n")
    }
}
