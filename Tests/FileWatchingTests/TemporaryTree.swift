import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A scratch directory tree for watcher tests, removed on `remove()`.
struct TemporaryTree: Sendable {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("aid-watch-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    func path(_ relative: String) -> String { root + "/" + relative }

    /// Writes `text` to `relative`, creating parent directories.
    func write(_ relative: String, _ text: String = "content\n") throws {
        let url = URL(fileURLWithPath: path(relative))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func makeDirectory(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: path(relative), withIntermediateDirectories: true)
    }

    /// `rename(2)` within the tree.
    func rename(_ from: String, _ to: String) throws {
        guard Glibc.rename(path(from), path(to)) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path(from)])
        }
    }

    func delete(_ relative: String) throws {
        try FileManager.default.removeItem(atPath: path(relative))
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: root)
    }
}
