@testable import Diffs
import Foundation

/// Real multi-file diffs between tagged versions of git repositories stored as
/// bare repositories under `/opt/swift-packages`, with the old and new content of
/// every file, read with one `git diff` and one `git cat-file --batch` per pair.
struct GitCorpus: Sendable {
    /// A repository and two of its tags.
    struct VersionPair: Sendable, CustomStringConvertible {
        var repository: String
        var from: String
        var to: String

        var gitDirectory: String { GitCorpus.root + "/" + repository + ".git" }
        var description: String { "\(repository) \(from)..\(to)" }
    }

    /// One file's diff with the file's content before and after.
    struct FileCase: Sendable {
        var pair: String
        var patch: FilePatch
        /// Content before (empty for created files).
        var oldBytes: [UInt8]
        /// Content after (empty for deleted files).
        var newBytes: [UInt8]
        /// `oldBytes` as text, nil when not UTF-8.
        var oldText: String?
        /// `newBytes` as text, nil when not UTF-8.
        var newText: String?

        init(pair: String, patch: FilePatch, oldBytes: [UInt8], newBytes: [UInt8]) {
            self.pair = pair
            self.patch = patch
            self.oldBytes = oldBytes
            self.newBytes = newBytes
            self.oldText = Bytes.decodeUTF8(oldBytes)
            self.newText = Bytes.decodeUTF8(newBytes)
        }
    }

    /// A loaded pair: the raw diff text and its file cases.
    struct LoadedPair: Sendable {
        var pair: VersionPair
        var diffText: String
        var files: [FileCase]
    }

    static let root = "/opt/swift-packages"

    static let allPairs: [VersionPair] = [
        VersionPair(repository: "apple/swift-syntax", from: "600.0.1", to: "602.0.0"),
        VersionPair(repository: "apple/swift-syntax", from: "602.0.0", to: "603.0.1"),
        VersionPair(repository: "apple/swift-crypto", from: "3.12.3", to: "4.5.2"),
        VersionPair(repository: "jpsim/Yams", from: "5.0.1", to: "6.2.2"),
        VersionPair(repository: "Quick/Nimble", from: "13.8.0", to: "14.0.0"),
        VersionPair(repository: "vapor/jwt-kit", from: "5.7.1", to: "5.8.0"),
        VersionPair(repository: "apple/swift-nio", from: "2.101.2", to: "2.101.3"),
    ]

    /// The smaller pairs, used by the perturbation tests.
    static let smallPairs: [VersionPair] = Array(allPairs[1...1] + allPairs[3...])

    /// True when the bare repositories are present on this machine.
    static var isAvailable: Bool {
        allPairs.allSatisfy { FileManager.default.fileExists(atPath: $0.gitDirectory) }
    }

    /// The small pairs, loaded once and shared by the tests that perturb them.
    static let sharedSmallPairs: Result<[LoadedPair], ProcessRunner.Failure> = {
        do {
            return .success(try smallPairs.map(load))
        } catch let failure as ProcessRunner.Failure {
            return .failure(failure)
        } catch {
            return .failure(ProcessRunner.Failure(command: "load corpus", status: -1, standardError: "\(error)"))
        }
    }()

    /// Runs `git diff` for the pair, parses it (keeping binary patches), and reads
    /// every old and new blob with one `git cat-file --batch`.
    static func load(_ pair: VersionPair) throws -> LoadedPair {
        let diffData = try ProcessRunner.git([
            "--git-dir", pair.gitDirectory, "diff", "--no-color", "--no-ext-diff", "--no-textconv", "-M",
            pair.from, pair.to,
        ])
        let diffText = String(decoding: diffData, as: UTF8.self)
        let patches = try UnifiedDiffParser(binaryPatchHandling: .keep).parse(diffText)

        var requests: [String] = []
        func objectName(id: String?, revision: String, path: String?) -> Int? {
            guard let path else { return nil }
            if let id, !id.allSatisfy({ $0 == "0" }) {
                requests.append(id)
            } else {
                requests.append("\(revision):\(path)")
            }
            return requests.count - 1
        }
        let slots = patches.map { patch in
            (
                old: patch.kind == .create ? nil : objectName(id: patch.oldObjectID, revision: pair.from, path: patch.oldPath),
                new: patch.kind == .delete ? nil : objectName(id: patch.newObjectID, revision: pair.to, path: patch.newPath)
            )
        }
        let blobs = try readBlobs(requests, gitDirectory: pair.gitDirectory)
        let files = zip(patches, slots).map { patch, slot in
            FileCase(
                pair: pair.description, patch: patch,
                oldBytes: slot.old.map { blobs[$0] } ?? [],
                newBytes: slot.new.map { blobs[$0] } ?? [])
        }
        return LoadedPair(pair: pair, diffText: diffText, files: files)
    }

    /// Reads objects in order with `git cat-file --batch`.
    private static func readBlobs(_ names: [String], gitDirectory: String) throws -> [[UInt8]] {
        let requestFile = FileManager.default.temporaryDirectory.appendingPathComponent("corpus-\(UUID().uuidString)")
        try Data((names.joined(separator: "\n") + "\n").utf8).write(to: requestFile)
        defer { try? FileManager.default.removeItem(at: requestFile) }
        let output = [UInt8](try ProcessRunner.git(["--git-dir", gitDirectory, "cat-file", "--batch"], inputFile: requestFile))
        var blobs: [[UInt8]] = []
        var position = 0
        for name in names {
            guard let newline = output[position...].firstIndex(of: 0x0A) else {
                throw ProcessRunner.Failure(command: "cat-file", status: -1, standardError: "truncated output at \(name)")
            }
            let header = String(decoding: output[position..<newline], as: UTF8.self).split(separator: " ")
            guard header.count == 3, let size = Int(header[2]) else {
                throw ProcessRunner.Failure(command: "cat-file", status: -1, standardError: "no object for \(name)")
            }
            let start = newline + 1
            blobs.append(Array(output[start..<(start + size)]))
            position = start + size + 1
        }
        return blobs
    }
}
