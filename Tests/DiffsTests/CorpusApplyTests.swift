import Foundation
import Testing
@testable import Diffs

/// Applies every file diff between real version pairs of git repositories and
/// checks the result byte for byte against the newer version.
@Suite("Corpus: real git diffs between tagged versions")
struct CorpusApplyTests {
    /// Tallies for one pair.
    struct Tally {
        var textFiles = 0
        var binaryRejected = 0
        var notUTF8 = 0
        var mismatches: [String] = []
    }

    @Test(.enabled(if: GitCorpus.isAvailable, "the bare repositories under /opt/swift-packages are not present"))
    func everyCorpusFileDiffAppliesByteForByte() throws {
        let started = Date()
        var total = Tally()
        var hunkCount = 0
        var loadSeconds = 0.0
        for pair in GitCorpus.allPairs {
            let loadStarted = Date()
            let loaded = try GitCorpus.load(pair)
            loadSeconds += Date().timeIntervalSince(loadStarted)
            let tally = check(loaded, hunkCount: &hunkCount)
            print("corpus \(pair): \(tally.textFiles) text file diffs applied, \(tally.binaryRejected) binary rejected, "
                + "\(tally.notUTF8) not UTF-8, \(tally.mismatches.count) mismatches")
            total.textFiles += tally.textFiles
            total.binaryRejected += tally.binaryRejected
            total.notUTF8 += tally.notUTF8
            total.mismatches += tally.mismatches
        }
        let seconds = Date().timeIntervalSince(started)
        print("corpus total: \(total.textFiles + total.binaryRejected) file diffs checked (\(total.textFiles) text, "
            + "\(hunkCount) hunks, \(total.binaryRejected) binary), \(total.mismatches.count) failures, "
            + String(format: "%.1f s (%.1f s running git and parsing)", seconds, loadSeconds))
        for mismatch in total.mismatches.prefix(10) { Issue.record(Comment(rawValue: mismatch)) }
        #expect(total.mismatches.isEmpty)
        #expect(total.textFiles > 1_500)
    }

    /// The corpus pairs change no binary file, so the images stored in two of the
    /// repositories are diffed against the empty tree, with and without `--binary`.
    @Test(.enabled(if: GitCorpus.isAvailable, "the bare repositories under /opt/swift-packages are not present"))
    func corpusBinaryFilesAreRejectedByName() throws {
        let emptyTree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
        var rejected = 0
        for (repository, tag) in [("apple/swift-syntax", "600.0.1"), ("jpsim/Yams", "5.0.1")] {
            for style in [[], ["--binary"]] {
                let gitDirectory = GitCorpus.root + "/" + repository + ".git"
                let diff = String(decoding: try ProcessRunner.git(
                    ["--git-dir", gitDirectory, "diff", "--no-color", "--no-ext-diff"] + style + [emptyTree, tag, "--", "*.png", "*.jpg"]),
                    as: UTF8.self)
                let patches = try UnifiedDiffParser(binaryPatchHandling: .keep).parse(diff)
                #expect(!patches.isEmpty && patches.allSatisfy(\.isBinary), "\(repository) \(style)")
                for patch in patches {
                    #expect {
                        try PatchApplier().apply(patch, to: "")
                    } throws: { error in
                        (error as? PatchApplyError)?.reason == .binaryPatch && "\(error)".contains(patch.displayPath)
                    }
                    rejected += 1
                }
                let first = try #require(patches.first?.displayPath)
                #expect {
                    try UnifiedDiffParser().parse(diff)
                } throws: { error in
                    (error as? DiffParseError)?.reason == .binaryPatch && "\(error)".contains(first)
                }
            }
        }
        print("corpus binary: \(rejected) binary file diffs rejected by name")
        #expect(rejected >= 4)
    }

    /// Applies each file of a loaded pair; also checks the line edits and that the
    /// parsed patches serialize back to git's exact output.
    func check(_ loaded: GitCorpus.LoadedPair, hunkCount: inout Int) -> Tally {
        var tally = Tally()
        let applier = PatchApplier()
        let reserialized = UnifiedDiffWriter.text(of: loaded.files.map(\.patch))
        if reserialized != loaded.diffText {
            tally.mismatches.append("\(loaded.pair): serializing the parsed diff does not reproduce git's output "
                + "(first difference near: \(firstDifference(reserialized, loaded.diffText)))")
        }
        for file in loaded.files {
            let patch = file.patch
            if patch.isBinary {
                do {
                    _ = try applier.apply(patch, to: "")
                    tally.mismatches.append("\(file.pair) \(patch.displayPath): binary patch was not rejected")
                } catch {
                    if error.reason == .binaryPatch, error.description.contains(patch.displayPath) {
                        tally.binaryRejected += 1
                    } else {
                        tally.mismatches.append("\(file.pair) \(patch.displayPath): unexpected error \(error)")
                    }
                }
                continue
            }
            guard let oldText = file.oldText, file.newText != nil else {
                tally.notUTF8 += 1
                continue
            }
            tally.textFiles += 1
            hunkCount += patch.hunks.count
            do {
                let result = try applier.apply(patch, to: oldText)
                if !sameBytes(Array(result.newText.utf8), file.newBytes) {
                    tally.mismatches.append("\(file.pair) \(patch.displayPath): result differs from the new version")
                } else if !result.appliedExactly {
                    tally.mismatches.append("\(file.pair) \(patch.displayPath): not applied exactly: "
                        + result.hunks.map { $0.method.description }.joined(separator: ", "))
                } else if !editsReproduce(result, from: oldText) {
                    tally.mismatches.append("\(file.pair) \(patch.displayPath): line edits do not reproduce the result")
                }
            } catch {
                tally.mismatches.append("\(file.pair) \(patch.displayPath): \(error)")
            }
        }
        return tally
    }

    /// True when the result's line edits, applied to the original lines, give the
    /// new text. Large files are checked over bytes; small ones with `LineEdit.apply`.
    func editsReproduce(_ result: PatchApplication, from oldText: String) -> Bool {
        let oldLines = TextLines(oldText, separatingCarriageReturns: false)
        let oldBytes = oldLines.bytes
        let lineStarts = oldLines.contents.map(\.lowerBound)
        if lineStarts.count < 1_000 {
            return LineEdit.apply(result.edits, to: splitLines(oldText)) == splitLines(result.newText)
        }
        func lineBytes(_ line: Int) -> ArraySlice<UInt8> {
            let end = line + 1 < lineStarts.count ? lineStarts[line + 1] : oldBytes.count
            return oldBytes[lineStarts[line]..<end]
        }
        var rebuilt: [UInt8] = []
        rebuilt.reserveCapacity(oldBytes.count)
        var line = 0
        for edit in result.edits {
            if edit.startLine > line {
                let end = edit.startLine < lineStarts.count ? lineStarts[edit.startLine] : oldBytes.count
                rebuilt += oldBytes[lineStarts[line]..<end]
            }
            for replacement in edit.replacementLines {
                rebuilt += replacement.utf8
                rebuilt.append(0x0A)
            }
            line = edit.startLine + edit.replacedLineCount
        }
        while line < lineStarts.count {
            rebuilt += lineBytes(line)
            line += 1
        }
        if rebuilt.last == 0x0A, !result.endsWithNewline { rebuilt.removeLast() }
        if rebuilt.last != 0x0A, !rebuilt.isEmpty, result.endsWithNewline { rebuilt.append(0x0A) }
        return sameBytes(rebuilt, Array(result.newText.utf8))
    }
}

/// The lines of `text` without terminators (a final newline does not add an empty line).
func splitLines(_ text: String) -> [String] {
    var lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        .map { String(decoding: $0, as: UTF8.self) }
    if lines.last == "" { lines.removeLast() }
    return lines
}

/// A short excerpt where two texts start to differ, for failure messages.
func firstDifference(_ lhs: String, _ rhs: String) -> String {
    let left = lhs.split(separator: "\n", omittingEmptySubsequences: false)
    let right = rhs.split(separator: "\n", omittingEmptySubsequences: false)
    for index in 0..<max(left.count, right.count) {
        let l = index < left.count ? String(left[index]) : "<end>"
        let r = index < right.count ? String(right[index]) : "<end>"
        if l != r { return "line \(index + 1): '\(l)' vs '\(r)'" }
    }
    return "none"
}

/// Byte equality through `memcmp`, fast even in debug builds.
func sameBytes(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    guard lhs.count == rhs.count else { return false }
    guard !lhs.isEmpty else { return true }
    return lhs.withUnsafeBufferPointer { left in
        rhs.withUnsafeBufferPointer { right in memcmp(left.baseAddress!, right.baseAddress!, left.count) == 0 }
    }
}
