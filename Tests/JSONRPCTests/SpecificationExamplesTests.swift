import AidProtocol
import AidTestSupport
import JSONRPC
import Testing

/// The examples of the JSON-RPC 2.0 specification, sent byte for byte, answered as it says.
@Suite(.serialized)
struct SpecificationExamplesTests {
    /// Sends `request` and returns the answer; nil when the server (rightly) sends none, which is
    /// proven by a follow-up request whose answer comes first.
    private func exchange(_ request: String, on connection: RawConnectionBox) async throws -> JSONValue? {
        try connection.raw.sendFrame(request)
        try connection.raw.sendFrame(#"{"jsonrpc":"2.0","method":"test/echo","params":{"value":"marker"},"id":"marker"}"#)
        let first = try #require(try await connection.raw.next())
        if first["id"] == "marker" { return nil }
        let marker = try #require(try await connection.raw.next())
        #expect(marker["id"] == "marker")
        return first
    }

    private func errorCode(_ value: JSONValue?) -> Int? { value?["error"]?["code"]?.intValue }

    @Test func allExamples() async throws {
        let server = try await TestServer()
        let connection = RawConnectionBox(raw: try server.raw())

        // rpc call with positional parameters
        #expect(try await exchange(#"{"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1}"#, on: connection)
                == ["jsonrpc": "2.0", "result": 19, "id": 1])
        #expect(try await exchange(#"{"jsonrpc": "2.0", "method": "subtract", "params": [23, 42], "id": 2}"#, on: connection)
                == ["jsonrpc": "2.0", "result": -19, "id": 2])
        // rpc call with named parameters
        #expect(try await exchange(#"{"jsonrpc": "2.0", "method": "subtract", "params": {"subtrahend": 23, "minuend": 42}, "id": 3}"#, on: connection)
                == ["jsonrpc": "2.0", "result": 19, "id": 3])
        #expect(try await exchange(#"{"jsonrpc": "2.0", "method": "subtract", "params": {"minuend": 42, "subtrahend": 23}, "id": 4}"#, on: connection)
                == ["jsonrpc": "2.0", "result": 19, "id": 4])
        // a notification
        #expect(try await exchange(#"{"jsonrpc": "2.0", "method": "update", "params": [1,2,3,4,5]}"#, on: connection) == nil)
        #expect(try await exchange(#"{"jsonrpc": "2.0", "method": "foobar"}"#, on: connection) == nil)
        // rpc call of non-existent method
        let missing = try await exchange(#"{"jsonrpc": "2.0", "method": "foobar", "id": "1"}"#, on: connection)
        #expect(errorCode(missing) == -32601)
        #expect(missing?["id"] == "1")
        // rpc call with invalid JSON
        let invalidJSON = try await exchange(#"{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]"#, on: connection)
        #expect(errorCode(invalidJSON) == -32700)
        #expect(invalidJSON?["id"] == .null)
        // rpc call with invalid Request object
        let invalidRequest = try await exchange(#"{"jsonrpc": "2.0", "method": 1, "params": "bar"}"#, on: connection)
        #expect(errorCode(invalidRequest) == -32600)
        #expect(invalidRequest?["id"] == .null)
        // rpc call Batch, invalid JSON
        let invalidBatch = try await exchange(#"[ {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"}, {"jsonrpc": "2.0", "method" ]"#, on: connection)
        #expect(errorCode(invalidBatch) == -32700)
        // rpc call with an empty Array
        let empty = try await exchange("[]", on: connection)
        #expect(errorCode(empty) == -32600)
        #expect(empty?["id"] == .null)
        // rpc call with an invalid Batch (but not empty)
        let one = try #require(try await exchange("[1]", on: connection)?.arrayValue)
        #expect(one.count == 1 && errorCode(one[0]) == -32600)
        // rpc call with invalid Batch
        let three = try #require(try await exchange("[1,2,3]", on: connection)?.arrayValue)
        #expect(three.count == 3 && three.allSatisfy { errorCode($0) == -32600 && $0["id"] == .null })
        // rpc call Batch
        let batch = try #require(try await exchange("""
            [
                {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
                {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
                {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"},
                {"foo": "boo"},
                {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
                {"jsonrpc": "2.0", "method": "get_data", "id": "9"}
            ]
            """, on: connection)?.arrayValue)
        #expect(batch.count == 5)
        let byID = Dictionary(batch.map { ($0["id"]!, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byID["1"]?["result"] == 7)
        #expect(byID["2"]?["result"] == 19)
        #expect(byID[.null].map(errorCode) == -32600)
        #expect(errorCode(byID["5"]) == -32601)
        #expect(byID["9"]?["result"] == ["hello", 5])
        // rpc call Batch (all notifications)
        #expect(try await exchange("""
            [{"jsonrpc": "2.0", "method": "notify_sum", "params": [1,2,4]}, {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]}]
            """, on: connection) == nil)
        await server.stop()
    }

    @Test func idsMayBeStringsNumbersOrNullAndParamsMayBeNull() async throws {
        let server = try await TestServer()
        let raw = try server.raw()
        for id in [#""abc""#, "7", "-3", "1.5", "null"] {
            try raw.sendFrame(#"{"jsonrpc":"2.0","id":\#(id),"method":"get_data","params":null}"#)
            let answer = try #require(try await raw.next())
            #expect(answer["id"] == (try JSONParser.parse(id)))
            #expect(answer["result"] == ["hello", 5])
        }
        await server.stop()
    }
}

/// Holds a raw connection for the helper above.
struct RawConnectionBox {
    let raw: RawConnection
}
