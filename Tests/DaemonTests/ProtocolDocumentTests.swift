import AidProtocol
import AidTestSupport
import Daemon
import Foundation
import JSONRPC
import Testing

/// `protocol/openrpc.json` is the source of truth: the Swift types, the daemon's handlers and
/// the document must agree.
struct ProtocolDocumentTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private func document() throws -> JSONValue {
        let data = try Data(contentsOf: Self.repositoryRoot.appendingPathComponent("protocol/openrpc.json"))
        return try JSONParser.parse(Array(data))
    }

    private func methods(_ document: JSONValue, notifications: Bool) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for method in document["methods"]?.arrayValue ?? [] {
            let isNotification = method["x-notification"] == true
            if isNotification == notifications, let name = method["name"]?.stringValue { result[name] = method }
        }
        return result
    }

    @Test func theDaemonServesExactlyTheDocumentInTheRepository() throws {
        let file = try String(contentsOf: Self.repositoryRoot.appendingPathComponent("protocol/openrpc.json"), encoding: .utf8)
        #expect(OpenRPCDocument.text + "\n" == file, "protocol/openrpc.json changed: run protocol/embed.sh")
        #expect(try document()["openrpc"]?.stringValue?.hasPrefix("1.") == true)
    }

    @Test func everyHandlerHasAnEntryAndEveryEntryAHandler() throws {
        let daemon = try TestDaemon()
        defer { daemon.cleanUp() }
        try daemon.start()
        let client = try daemon.connect()
        defer { client.close() }
        let initialized = try client.call(InitializeRequest(clientName: "doc-test"))
        let document = try document()
        #expect(Set(initialized.capabilities.methods) == Set(methods(document, notifications: false).keys),
                "a daemon handler without a document entry, or the reverse")
        #expect(Set(initialized.capabilities.notifications) == Set(methods(document, notifications: true).keys))
        // rpc.discover returns the document itself.
        #expect(try client.call("rpc.discover") == document)
    }

    @Test func everySwiftTypeHasAnEntryAndEveryEntryAType() throws {
        let document = try document()
        #expect(Set(ProtocolMessages.requests.map { $0.method }) == Set(methods(document, notifications: false).keys))
        #expect(Set(ProtocolMessages.notifications.map { $0.method }) == Set(methods(document, notifications: true).keys))
    }

    @Test func everyExampleRoundTripsThroughTheSwiftTypes() throws {
        let document = try document()
        let requests = methods(document, notifications: false)
        let notifications = methods(document, notifications: true)
        var checked = 0
        for type in ProtocolMessages.requests {
            checked += try roundTrip(type, entry: try #require(requests[type.method]))
        }
        for type in ProtocolMessages.notifications {
            checked += try roundTrip(type, entry: try #require(notifications[type.method]))
        }
        #expect(checked >= ProtocolMessages.requests.count + ProtocolMessages.notifications.count)
    }

    private func exampleParams(_ example: JSONValue) -> JSONValue {
        var object: [String: JSONValue] = [:]
        for param in example["params"]?.arrayValue ?? [] {
            if let name = param["name"]?.stringValue { object[name] = param["value"] }
        }
        return .object(object)
    }

    private func roundTrip<R: RPCRequest>(_ type: R.Type, entry: JSONValue) throws -> Int {
        let examples = entry["examples"]?.arrayValue ?? []
        #expect(!examples.isEmpty, "\(R.method) has no example")
        for example in examples {
            let params = exampleParams(example)
            let decoded = try JSONCoding.decode(R.self, from: params)
            #expect(try JSONCoding.jsonValue(decoded) == params, "\(R.method) example params do not round-trip")
            if let result = example["result"]?["value"] {
                let decodedResult = try JSONCoding.decode(R.Result.self, from: result)
                #expect(try JSONCoding.jsonValue(decodedResult) == result, "\(R.method) example result does not round-trip")
            }
        }
        return examples.count
    }

    private func roundTrip<N: RPCNotification>(_ type: N.Type, entry: JSONValue) throws -> Int {
        let examples = entry["examples"]?.arrayValue ?? []
        #expect(!examples.isEmpty, "\(N.method) has no example")
        for example in examples {
            let params = exampleParams(example)
            let decoded = try JSONCoding.decode(N.self, from: params)
            #expect(try JSONCoding.jsonValue(decoded) == params, "\(N.method) example params do not round-trip")
        }
        return examples.count
    }
}
