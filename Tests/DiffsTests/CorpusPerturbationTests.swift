import Foundation
import Testing
@testable import Diffs

/// Damages copies of real corpus diffs the way hand-edited or model-written diffs
/// are damaged, with a seeded random generator, and checks the applier copes (or
/// refuses clearly).
@Suite(
    "Corpus: perturbed diffs",
    .enabled(if: GitCorpus.isAvailable, "the bare repositories under /opt/swift-packages are not present"))
struct CorpusPerturbationTests {
    static let sampleSize = 150

    /// Text patches of changed files from the smaller pairs, in a seeded random order.
    static func sample(seed: UInt64) throws -> [GitCorpus.FileCase] {
        let loaded = try GitCorpus.sharedSmallPairs.get()
        let eligible = loaded.flatMap(\.files).filter { file in
            let patch = file.patch
            return !patch.isBinary && (patch.kind == .modify || patch.kind == .rename) && !patch.hunks.isEmpty
                && file.oldText != nil && file.newText != nil
                && patch.hunks.allSatisfy { $0.oldCount > 0 && !$0.oldMissingNewlineAtEnd && !$0.newMissingNewlineAtEnd }
        }
        var random = SeededRandom(seed: seed)
        return Array(eligible.shuffled(using: &random))
    }

    /// 0-based positions where `block` occurs in `lines`.
    static func occurrences(of block: [String], in lines: [String]) -> [Int] {
        guard !block.isEmpty, lines.count >= block.count else { return [] }
        return (0...(lines.count - block.count)).filter { start in
            block.indices.allSatisfy { lines[start + $0] == block[$0] }
        }
    }

    @Test func shiftedLineNumbersApplyWithOffset() throws {
        var random = SeededRandom(seed: 0x0FF5E7)
        var checked = 0
        var skippedRepeatedContext = 0
        for file in try Self.sample(seed: 1) {
            guard checked < Self.sampleSize else { break }
            let oldLines = splitLines(file.oldText!)
            guard file.patch.hunks.allSatisfy({ Self.occurrences(of: $0.oldLines, in: oldLines).count == 1 }) else {
                skippedRepeatedContext += 1
                continue
            }
            var shift = Int.random(in: 1...25, using: &random) * (Bool.random(using: &random) ? 1 : -1)
            if file.patch.hunks.map(\.oldStart).min()! + shift < 1 { shift = -shift }
            var patch = file.patch
            for index in patch.hunks.indices {
                patch.hunks[index].oldStart += shift
                patch.hunks[index].newStart += shift
            }
            let result = try PatchApplier().apply(patch, to: file.oldText!)
            #expect(sameBytes(Array(result.newText.utf8), file.newBytes), "\(file.pair) \(patch.displayPath)")
            #expect(result.hunks.allSatisfy { $0.method == .offset(-shift) },
                    "\(patch.displayPath): \(result.hunks.map(\.method))")
            checked += 1
        }
        print("offset: \(checked) shifted file diffs applied, \(skippedRepeatedContext) skipped for repeated context")
        #expect(checked >= 100)
    }

    @Test func alteredOuterContextLineAppliesWithFuzz() throws {
        var random = SeededRandom(seed: 0xF022)
        var checked = 0
        for file in try Self.sample(seed: 2) {
            guard checked < Self.sampleSize else { break }
            var patch = file.patch
            let candidates = patch.hunks.indices.filter { patch.hunks[$0].leadingContextCount > 0 }
            guard let hunkIndex = candidates.randomElement(using: &random) else { continue }
            let alterTrailing = Bool.random(using: &random) && patch.hunks[hunkIndex].trailingContextCount > 0
            var lines = patch.hunks[hunkIndex].lines
            let lineIndex = alterTrailing ? lines.lastIndex(where: \.isContext)! : 0
            lines[lineIndex] = .context("<<altered context line \(checked)>>")
            patch.hunks[hunkIndex].lines = lines
            let result = try PatchApplier().apply(patch, to: file.oldText!)
            #expect(sameBytes(Array(result.newText.utf8), file.newBytes), "\(file.pair) \(patch.displayPath)")
            #expect(result.hunks[hunkIndex].method == .fuzz(1, offset: 0), "\(patch.displayPath)")
            #expect(result.hunks.indices.allSatisfy { $0 == hunkIndex || result.hunks[$0].method == .exact })
            checked += 1
        }
        print("fuzz: \(checked) file diffs with an altered context line applied with fuzz 1")
        #expect(checked >= 100)
    }

    @Test func whitespaceChangesApplyOnlyWhenTolerated() throws {
        var random = SeededRandom(seed: 0x5BACE)
        var checked = 0
        let tolerant = PatchApplier(options: .init(ignoresWhitespace: true))
        for file in try Self.sample(seed: 3) {
            guard checked < Self.sampleSize, !file.oldText!.contains(" \t\n") else { continue }
            var patch = file.patch
            let candidates = patch.hunks.indices.filter { index in
                patch.hunks[index].lines.contains { if case .removal(let text) = $0 { !text.isEmpty } else { false } }
            }
            guard let hunkIndex = candidates.randomElement(using: &random) else { continue }
            patch.hunks[hunkIndex].lines = patch.hunks[hunkIndex].lines.map { line in
                switch line {
                case .removal(let text) where !text.isEmpty: return .removal(text + " \t")
                case .context(let text) where text.first == " " || text.first == "\t": return .context("  " + text)
                case .context(let text) where !text.isEmpty: return .context(text + "  ")
                default: return line
                }
            }
            #expect(throws: PatchApplyError.self, "\(patch.displayPath) applied despite changed whitespace") {
                try PatchApplier().apply(patch, to: file.oldText!)
            }
            let result = try tolerant.apply(patch, to: file.oldText!)
            #expect(sameBytes(Array(result.newText.utf8), file.newBytes), "\(file.pair) \(patch.displayPath)")
            #expect(result.hunks[hunkIndex].ignoredWhitespace)
            checked += 1
        }
        print("whitespace: \(checked) file diffs with changed whitespace refused by default, applied when tolerated")
        #expect(checked >= 100)
    }

    @Test func lfDiffAppliedToACRLFCopyKeepsCRLF() throws {
        var checked = 0
        for file in try Self.sample(seed: 6) {
            guard checked < Self.sampleSize, !file.oldText!.contains("\r"), !file.newText!.contains("\r") else { continue }
            let crlfOld = file.oldText!.replacingOccurrences("\n", "\r\n")
            let crlfNew = file.newText!.replacingOccurrences("\n", "\r\n")
            let result = try PatchApplier().apply(file.patch, to: crlfOld)
            #expect(result.newText == crlfNew, "\(file.pair) \(file.patch.displayPath)")
            #expect(result.lineEnding == .carriageReturnLineFeed && result.appliedExactly)
            checked += 1
        }
        print("crlf: \(checked) LF file diffs applied to CRLF copies, CRLF kept")
        #expect(checked >= 100)
    }

    @Test func reorderedHunksStillApply() throws {
        var random = SeededRandom(seed: 0x5E0)
        var checked = 0
        for file in try Self.sample(seed: 4) where file.patch.hunks.count >= 2 {
            guard checked < Self.sampleSize else { break }
            var patch = file.patch
            var order = Array(patch.hunks.indices)
            while order == Array(patch.hunks.indices) { order.shuffle(using: &random) }
            patch.hunks = order.map { patch.hunks[$0] }
            let reparsed = try #require(try UnifiedDiffParser().parse(UnifiedDiffWriter.text(of: patch)).first)
            #expect(reparsed.hunks == patch.hunks)
            let result = try PatchApplier().apply(reparsed, to: file.oldText!)
            #expect(sameBytes(Array(result.newText.utf8), file.newBytes), "\(file.pair) \(patch.displayPath)")
            #expect(result.appliedExactly)
            checked += 1
        }
        print("reorder: \(checked) file diffs with shuffled hunks applied")
        #expect(checked >= 50)
    }

    @Test func repeatedContextIsReportedAsAmbiguous() throws {
        var random = SeededRandom(seed: 0xA3B1)
        var checked = 0
        for file in try Self.sample(seed: 5) {
            guard checked < Self.sampleSize, file.oldText!.hasSuffix("\n") else { continue }
            let hunk = file.patch.hunks.randomElement(using: &random)!
            let block = hunk.oldLines
            let oldLines = splitLines(file.oldText!)
            let original = Self.occurrences(of: block, in: oldLines)
            guard block.count >= 2, original.count == 1, let position = original.first else { continue }
            let doubledText = file.oldText! + "<<separator>>\n" + block.joined(separator: "\n") + "\n"
            let copyPosition = oldLines.count + 1
            var shifted = hunk
            shifted.oldStart += 1
            shifted.newStart += 1
            let doubledLines = oldLines + ["<<separator>>"] + block
            guard !Self.occurrences(of: block, in: doubledLines).contains(position + 1) else { continue }
            #expect {
                try PatchApplier().apply(hunks: [shifted], to: doubledText, path: file.patch.displayPath)
            } throws: { error in
                guard let error = error as? PatchApplyError, case .ambiguousContext(let lines) = error.reason else {
                    return false
                }
                return lines.contains(position + 1) && lines.contains(copyPosition + 1)
                    && error.description.contains("\(position + 1)") && error.description.contains("\(copyPosition + 1)")
                    && error.description.contains(file.patch.displayPath)
            }
            checked += 1
        }
        print("ambiguity: \(checked) hunks with duplicated context refused as ambiguous")
        #expect(checked >= 100)
    }
}
