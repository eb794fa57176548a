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
}
