import Diffs
import Foundation
import Testing
@testable import Prompts

/// A small deterministic generator, so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Robustness")
struct RobustnessTests {
    static let noise = [
        "...", "// ...", "```", "```diff", "@@", "@@ -1,2 +1,2 @@", "--- a/Sources/App/main.swift", "+++ b/x",
        "<<<<<<< SEARCH", "=======", ">>>>>>> REPLACE", "", " ", "+", "-", "\\ No newline at end of file",
        "Sources/App/Config.swift", "diff --git a/x b/x", "    }", "…", "```swift path=Sources/App/main.swift",
    ]

    /// `text` with a few lines deleted, duplicated, swapped or replaced by noise.
    static func mutated(_ text: String, using rng: inout SplitMix64) -> String {
        var lines = text.components(separatedBy: "\n")
        for _ in 0..<Int.random(in: 1...4, using: &rng) where !lines.isEmpty {
            let index = Int.random(in: 0..<lines.count, using: &rng)
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: lines.remove(at: index)
            case 1: lines.insert(lines[index], at: index)
            case 2: lines.swapAt(index, Int.random(in: 0..<lines.count, using: &rng))
            case 3: lines.insert(noise.randomElement(using: &rng)!, at: index)
            default: lines[index] = noise.randomElement(using: &rng)!
            }
        }
        return lines.joined(separator: Bool.random(using: &rng) ? "\n" : "\r\n")
    }

    @Test("mangled answers never crash any parser, and what they return applies or fails cleanly")
    func mangledAnswers() {
        var rng = SplitMix64(state: 42)
        let answers = [renameAnswer, timeoutBlocksAnswer, wholeFileAnswer, chatAnswer, timeoutAnswer(elision: "// ...")]
        let parsers: [any EditOutputParser] = [
            UnifiedDiffOutputParser(), SearchReplaceOutputParser(), WholeFileOutputParser(), ChatOutputParser(),
        ]
        var parsed = 0
        for _ in 0..<100 {
            let answer = Self.mutated(answers.randomElement(using: &rng)!, using: &rng)
            for parser in parsers {
                let preview = parser.parse(partial: answer, files: Fixtures.files)
                _ = try? applied(preview, to: Fixtures.files)
                if let final = try? parser.parse(answer, files: Fixtures.files) {
                    parsed += 1
                    _ = try? applied(final, to: Fixtures.files)
                }
                for patch in preview.filePatches {
                    #expect(!UnifiedDiffWriter.text(of: patch).contains(DiffLineRole.elisionSentinel))
                }
            }
        }
        #expect(parsed > 0)
    }
}
