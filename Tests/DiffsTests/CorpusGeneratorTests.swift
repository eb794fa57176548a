import Foundation
import Testing
@testable import Diffs

/// Regenerates diffs for real file pairs with `UnifiedDiffWriter` and checks they
/// apply back, with this module and with `git apply`.
@Suite(
    "Corpus: generated diffs",
    .enabled(if: GitCorpus.isAvailable, "the bare repositories under /opt/swift-packages are not present"))
struct CorpusGeneratorTests {
    static func textFiles() throws -> [GitCorpus.FileCase] {
        try GitCorpus.sharedSmallPairs.get().flatMap(\.files).filter { file in
            !file.patch.isBinary && file.oldText != nil && file.newText != nil
        }
    }

    @Test func generatedDiffsOfCorpusFilesApplyBack() throws {
        var checked = 0
        for file in try Self.textFiles() {
            let oldPath = file.patch.oldPath ?? file.patch.displayPath
            let newPath = file.patch.newPath ?? file.patch.displayPath
            let patch = UnifiedDiffWriter.filePatch(
                oldText: file.patch.kind == .create ? nil : file.oldText!,
                newText: file.patch.kind == .delete ? nil : file.newText!,
                oldPath: oldPath, newPath: newPath)
            let reparsed = try #require(try UnifiedDiffParser().parse(UnifiedDiffWriter.text(of: patch)).first)
            #expect(reparsed.hunks == patch.hunks, "\(file.patch.displayPath)")
            let result = try PatchApplier().apply(reparsed, to: file.oldText!)
            #expect(sameBytes(Array(result.newText.utf8), file.newBytes), "\(file.pair) \(file.patch.displayPath)")
            checked += 1
        }
        print("generator: \(checked) corpus file pairs diffed and applied back")
        #expect(checked > 400)
    }

    @Test func generatedDiffsOfCorpusFilesPassGitApply() throws {
        var random = SeededRandom(seed: 0x617)
        let files = try Self.textFiles().filter { $0.patch.kind == .modify }.shuffled(using: &random).prefix(60)
        let repository = try TemporaryDirectory()
        try ProcessRunner.git(["init", "--quiet", repository.url.path])
        var diff = ""
        for (index, file) in files.enumerated() {
            let path = "f\(index)/" + file.patch.displayPath
            try repository.write(file.oldText!, to: path)
            diff += UnifiedDiffWriter.unifiedDiff(oldText: file.oldText!, newText: file.newText!, oldPath: path, newPath: path)
        }
        let patchFile = repository.url.appendingPathComponent("../\(repository.url.lastPathComponent).patch").standardizedFileURL
        try Data(diff.utf8).write(to: patchFile)
        defer { try? FileManager.default.removeItem(at: patchFile) }
        try ProcessRunner.git(["apply", "--check", patchFile.path], directory: repository.url)
        try ProcessRunner.git(["apply", patchFile.path], directory: repository.url)
        for (index, file) in files.enumerated() {
            let onDisk = try Data(contentsOf: repository.url.appendingPathComponent("f\(index)/" + file.patch.displayPath))
            #expect(sameBytes([UInt8](onDisk), file.newBytes), "\(file.patch.displayPath)")
        }
        print("git apply: \(files.count) generated corpus diffs checked and applied")
    }
}
