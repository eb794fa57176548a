@testable import Models
import Testing

struct OpenAIStreamDecoderTests {
    @Test func spacesAndTabsAroundChunksAndDoneAreIgnored() throws {
        var decoder = OpenAIStreamDecoder(model: "m")
        let chunk = #"{"choices":[{"index":0,"delta":{"content":" a b "},"finish_reason":"stop"}]}"#
        #expect(try decoder.decode(SSEEvent(data: " \t" + chunk + "\t ")) == [.delta(" a b ")])
        #expect(try decoder.decode(SSEEvent(data: "\t[DONE]  ")) == [.done(.stop)])
        #expect(decoder.finished)
    }

    @Test func aMalformedChunkIsReportedWithItsText() {
        var decoder = OpenAIStreamDecoder(model: "m")
        #expect {
            _ = try decoder.decode(SSEEvent(data: "  {not json  "))
        } throws: { error in
            (error as? ModelError)?.message.contains("({not json)") == true
        }
    }
}
