import Foundation
import Testing
@testable import Prompts

@Suite("Streaming previews")
struct StreamingTests {
    @Test("chunks produce previews at line ends; the last preview equals the final parse", arguments: [1, 7, 64])
    func chunked(size: Int) throws {
        var stream = StreamingEditParser(strategy: .unifiedDiff, files: Fixtures.files)
        let bytes = Array(renameAnswer.utf8)
        var previews = 0
        var sawPartialFirstFile = false
        for start in stride(from: 0, to: bytes.count, by: size) {
            let chunk = String(decoding: bytes[start..<min(start + size, bytes.count)], as: UTF8.self)
            if let preview = stream.append(chunk) {
                previews += 1
                if !preview.complete, preview.filePatches.count == 1 { sawPartialFirstFile = true }
            }
        }
        #expect(previews > 0)
        #expect(sawPartialFirstFile || size > 32)
        let final = try stream.finish()
        #expect(final.complete)
        #expect(final.filePatches == (try UnifiedDiffOutputParser().parse(renameAnswer, files: Fixtures.files)).filePatches)
        #expect(stream.text == renameAnswer)
    }

    @Test("a stream cut off keeps the finished files")
    func cutOff() {
        var stream = StreamingEditParser(strategy: .searchReplace, files: Fixtures.files)
        let cut = timeoutBlocksAnswer.components(separatedBy: "A constant for the default")[0] + "A consta"
        _ = stream.append(cut)
        let edits = stream.finishTruncated()
        #expect(edits.filePatches.map(\.displayPath) == [Fixtures.configPath])
        #expect(edits.complete)
    }
}

