import AidProtocol
import JSONRPC
import Testing

struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONParser.parse(#" {"a": [1, -2.5e3, true, false, null, "x\n\u00e9\ud83d\ude00"], "b": {}} "#)
        #expect(value == .object(["a": [1, -2500.0, true, false, nil, "x\né😀"], "b": .object([:])]))
    }

    @Test func writerOutputParsesBackToTheSameValue() throws {
        let value: JSONValue = ["s": "quote \" backslash \\ tab \t ctl \u{01} ü", "n": [0, -1, 1.5, 9007199254740993], "o": ["k": nil]]
        #expect(try JSONParser.parse(JSONWriter.bytes(value)) == value)
    }

    @Test func writerEscapesExactlyWhatJSONRequires() {
        #expect(JSONWriter.string("plain/ascii é 😀") == #""plain/ascii é 😀""#)
        #expect(JSONWriter.string("a\"b\\c\nd\re\tf\u{01}g\u{1f}") == #""a\"b\\c\nd\re\tf\u0001g\u001f""#)
        #expect(JSONWriter.string(["k\"": "v"]) == #"{"k\"":"v"}"#)
    }

    @Test func refusesInvalidJSONSayingWhy() {
        let cases: [(String, String)] = [
        ("{", "unexpected end of input"),
        (#"{"a" 1}"#, "expected ':'"),
        ("[1,]", "expected a value"),
        ("01", "unexpected data after"),
        (#""\x""#, "invalid escape"),
        ("tru", "unexpected end of input in 'true'"),
        ("\"a\u{01}\"", "control character"),
        (#""\ud800""#, "unpaired high surrogate"),
        ("1.", "expected a digit after the decimal point"),
        ]
        for (text, expected) in cases {
            do {
                _ = try JSONParser.parse(text)
                Issue.record("\(text) parsed")
            } catch {
                #expect(error.description.contains(expected), "\(error.description)")
            }
        }
    }

    @Test func refusesHostileNesting() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
    }

    /// Messages are read member by member: the same members as the whole parse, in order, and
    /// the same errors.
    @Test func topLevelObjectsAreReadMemberByMember() throws {
        func topLevel(_ text: String) throws -> JSONParser.TopLevel {
            try Array(text.utf8).withUnsafeBytes { try JSONParser.parseTopLevel($0) }
        }
        guard case .members(let members) = try topLevel(#" {"id":1,"method":"m","params":{"a":[1,2]},"id":"again"} "#) else {
            Issue.record("an object should give its members")
            return
        }
        #expect(members.map(\.key) == ["id", "method", "params", "id"])
        #expect(members[2].value == ["a": [1, 2]])
        guard case .value(let batch) = try topLevel(#"[{"id":1}]"#) else {
            Issue.record("an array is a value")
            return
        }
        #expect(batch == [["id": 1]])
        for bad in [#"{"id":1"#, #"{"id":1} x"#, #"{id:1}"#, ""] {
            #expect(throws: JSONParseError.self) { try topLevel(bad) }
        }
        // A repeated member: the last one counts, as in the whole parse.
        let frame = Array(#"{"jsonrpc":"2.0","id":1,"method":"a","method":"b"}"#.utf8)
        #expect(frame.withUnsafeBytes { IncomingFrame(body: $0) } == .single(.request(id: 1, method: "b", params: nil)))
        #expect(IncomingFrame(try JSONParser.parse(frame)) == .single(.request(id: 1, method: "b", params: nil)))
    }
}
