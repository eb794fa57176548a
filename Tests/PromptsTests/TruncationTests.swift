import Diffs
import Foundation
import Testing
@testable import Prompts

/// Cutting answers short at many points: parsing never fails, unfinished edits
/// are left out with `complete == false`, and finished earlier edits are kept.
@Suite("Truncated streams")
struct TruncationTests {
    /// The byte offset just after the first occurrence of `marker`.
    func offset(after marker: String, in text: String) -> Int {
        guard let range = text.range(of: marker) else { Issue.record("no \(marker)"); return 0 }
        return text[..<range.upperBound].utf8.count
    }

    @Test("unified diff cut at every byte: every result applies, each file all-or-nothing")
    func unifiedDiffSweep() throws {
        let parser = UnifiedDiffOutputParser()
        let total = renameAnswer.utf8.count
        for cut in 0...total {
            let prefix = renameAnswer.prefixBytes(cut)
            let edits = parser.parse(partial: prefix, files: Fixtures.files)
            let result = try applied(edits, to: Fixtures.files)
            #expect([Fixtures.greeter, Fixtures.renamedGreeter].contains(result[Fixtures.greeterPath]))
            #expect([Fixtures.main, Fixtures.renamedMain].contains(result[Fixtures.mainPath]))
            let final = try? parser.parse(prefix, files: Fixtures.files)
            if let final { _ = try applied(final, to: Fixtures.files) }
        }
    }

    @Test("unified diff cut at chosen points")
    func unifiedDiffCutPoints() throws {
        let parser = UnifiedDiffOutputParser()
        let insideFirstHunk = renameAnswer.prefixBytes(offset(after: "-    func greet() -> String {\n", in: renameAnswer))
        var edits = parser.parse(partial: insideFirstHunk, files: Fixtures.files)
        #expect(!edits.complete)
        #expect(edits.filePatches.isEmpty)

        let afterFirstFile = renameAnswer.prefixBytes(offset(after: "--- a/Sources/App/main.swift\n", in: renameAnswer))
        edits = parser.parse(partial: afterFirstFile, files: Fixtures.files)
        #expect(!edits.complete)
        #expect(edits.filePatches.map(\.displayPath) == [Fixtures.greeterPath])
        #expect(try applied(edits, to: Fixtures.files)[Fixtures.greeterPath] == Fixtures.renamedGreeter)

        let midLine = renameAnswer.prefixBytes(offset(after: "+print(greeter.wel", in: renameAnswer))
        edits = parser.parse(partial: midLine, files: Fixtures.files)
        #expect(!edits.complete)
        #expect(edits.filePatches.map(\.displayPath) == [Fixtures.greeterPath])

        // The final parse of an answer cut inside its fence (a length limit) keeps
        // the finished file and says the rest is missing.
        let cutFinal = try parser.parse(midLine, files: Fixtures.files)
        #expect(!cutFinal.complete)
        #expect(cutFinal.filePatches.map(\.displayPath) == [Fixtures.greeterPath])

        let afterFence = renameAnswer.prefixBytes(offset(after: " print(\"Done\")\n```\n", in: renameAnswer))
        edits = parser.parse(partial: afterFence, files: Fixtures.files)
        #expect(edits.complete)
        #expect(edits.filePatches.count == 2)
    }

    @Test("search/replace cut at every byte: results always apply, finished blocks kept")
    func searchReplaceSweep() throws {
        let parser = SearchReplaceOutputParser()
        let total = timeoutBlocksAnswer.utf8.count
        var previousCount = 0
        for cut in 0...total {
            let edits = parser.parse(partial: timeoutBlocksAnswer.prefixBytes(cut), files: Fixtures.files)
            _ = try applied(edits, to: Fixtures.files)
            let blocksDone = edits.filePatches.reduce(0) { $0 + $1.hunks.count }
            #expect(blocksDone >= previousCount || edits.filePatches.count >= 1)
            previousCount = max(previousCount, blocksDone)
        }
        let insideSecond = timeoutBlocksAnswer.prefixBytes(offset(after: "            throw ConfigError.nonPositiveTimeout\n", in: timeoutBlocksAnswer))
        let edits = parser.parse(partial: insideSecond, files: Fixtures.files)
        #expect(!edits.complete)
        let result = try applied(edits, to: Fixtures.files)
        #expect(result[Fixtures.configPath]?.contains("var timeout = 30.0") == true)
        #expect(result[Fixtures.configPath]?.contains("nonPositiveTimeout") == false)
    }

    @Test("whole file cut at every byte: only finished files, each complete")
    func wholeFileSweep() throws {
        let parser = WholeFileOutputParser()
        let total = wholeFileAnswer.utf8.count
        for cut in 0...total {
            let edits = parser.parse(partial: wholeFileAnswer.prefixBytes(cut), files: Fixtures.files)
            let result = try applied(edits, to: Fixtures.files)
            #expect([Fixtures.greeter, Fixtures.renamedGreeter].contains(result[Fixtures.greeterPath]))
            #expect([Fixtures.main, Fixtures.renamedMain].contains(result[Fixtures.mainPath]))
        }
        let insideSecond = wholeFileAnswer.prefixBytes(offset(after: "print(greeter.welcome())\n", in: wholeFileAnswer))
        let edits = parser.parse(partial: insideSecond, files: Fixtures.files)
        #expect(!edits.complete)
        #expect(edits.filePatches.map(\.displayPath) == [Fixtures.greeterPath])
    }

    @Test("chat cut at every byte: never fails, proposals only when finished")
    func chatSweep() throws {
        let parser = ChatOutputParser()
        let total = chatAnswer.utf8.count
        for cut in 0...total {
            let edits = parser.parse(partial: chatAnswer.prefixBytes(cut), files: Fixtures.files)
            let result = try applied(edits, to: Fixtures.files)
            #expect([Fixtures.main, Fixtures.renamedMain].contains(result[Fixtures.mainPath]))
        }
        let insideDiff = chatAnswer.prefixBytes(offset(after: "-print(greeter.greet())\n", in: chatAnswer))
        let edits = parser.parse(partial: insideDiff, files: Fixtures.files)
        #expect(!edits.complete)
        #expect(edits.filePatches.isEmpty)
        #expect(edits.prose.contains("`greet()` is only called"))
    }
}
