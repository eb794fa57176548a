import AidTestSupport
import Foundation

@testable import Context

/// A scratch workspace directory, removed by `remove()`.
struct TemporaryWorkspace: Sendable {
    let root: String

    init(git: Bool = false) throws {
        root = URL(fileURLWithPath: TestDirectory.processBase).appendingPathComponent("aid-context-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        if git {
            let output = try ProcessRunner.run("git", ["init", "-q", root])
            guard output.status == 0 else { throw ContextError.toolFailed("git init", status: output.status, message: output.errorText) }
        }
    }

    func path(_ relative: String) -> String { root + "/" + relative }

    /// Writes `text` to `relative`, creating directories.
    func write(_ relative: String, _ text: String) throws {
        try write(relative, data: Data(text.utf8))
    }

    func write(_ relative: String, data: Data) throws {
        let url = URL(fileURLWithPath: path(relative))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    func delete(_ relative: String) throws {
        try FileManager.default.removeItem(atPath: path(relative))
    }

    func git(_ arguments: String...) throws {
        let output = try ProcessRunner.run("git", ["-C", root] + arguments)
        guard output.status == 0 else { throw ContextError.toolFailed("git", status: output.status, message: output.errorText) }
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: root)
    }
}

/// Analyses one source text the way the index does (ctags for the languages it covers).
func analyzeSource(_ text: String, path: String, builder: ChunkBuilder = ChunkBuilder(mergeLines: 0)) throws -> FileAnalysis {
    let language = Language(path: path)
    var tags: [CtagsRunner.Tag]?
    if language.usesCtags {
        let workspace = try TemporaryWorkspace()
        defer { workspace.remove() }
        try workspace.write(path, text)
        tags = try CtagsRunner().tags(for: [path], root: workspace.root)[path] ?? []
    }
    return FileAnalyzer(chunkBuilder: builder).analyze(path: path, language: language, data: Data(text.utf8),
                                                       modified: 0, tags: tags)
}

extension FileAnalysis {
    /// The symbol named `name` (first match).
    func symbol(_ name: String) -> Symbol? { symbols.first { $0.name == name } }

    /// The chunk whose range starts at or covers the declaration `name`.
    func chunk(for name: String) -> Chunk? {
        chunks.first { $0.symbol == name || $0.symbol?.hasSuffix("." + name) == true }
    }

    /// Checks the chunks tile the non-blank lines without overlapping.
    func chunksAreOrderedAndDisjoint() -> Bool {
        zip(chunks, chunks.dropFirst()).allSatisfy { $0.endLine < $1.startLine } && chunks.allSatisfy { $0.startLine <= $0.endLine }
    }
}
