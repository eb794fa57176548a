import AidProtocol
import ArgumentParser
import Daemon
import Foundation
import JSONRPC

struct RPCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rpc",
        abstract: "Call a method of the daemon and print its result as JSON.",
        discussion: """
            For scripts and debugging. PARAMS is a JSON object (by name) or array (by position). \
            Notifications the daemon sends meanwhile go to stderr. Exit status: 0 on success, 1 on an \
            error answer (printed as JSON on stderr), 2 on bad usage.
            Example: aid rpc daemon/status
            """)

    @Argument(help: "The method, e.g. daemon/status.")
    var method: String

    @Argument(help: "The params as JSON.")
    var params: String?

    @Option(help: "Seconds to wait for the answer.")
    var timeout: Double = 600

    func run() throws {
        var parsed: JSONValue?
        if let params {
            do {
                parsed = try JSONParser.parse(params)
            } catch {
                throw ValidationError("PARAMS is not valid JSON: \(error.description)")
            }
        }
        let client = try CLI.connect()
        defer { client.close() }
        client.onNotification { method, params in
            let line = JSONWriter.string(.object(["method": .string(method), "params": params ?? .null]))
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        do {
            let result = try client.call(method, params: parsed, timeout: .milliseconds(Int(timeout * 1000)))
            CLI.printJSON(result)
        } catch let error {
            if case .response(let response) = error {
                FileHandle.standardError.write(Data((CLI.prettyJSON(response.jsonValue) + "\n").utf8))
            } else {
                FileHandle.standardError.write(Data("aid: \(error)\n".utf8))
            }
            throw ExitCode(1)
        }
    }
}
