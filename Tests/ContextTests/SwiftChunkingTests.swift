import Foundation
import Testing

@testable import Context

private let swiftSample = #"""
import Foundation

/// A growable buffer of bytes.
@frozen
public struct ByteBuffer: Sendable {
    var storage: [UInt8] = []
    let label = "a { brace in a string"
    static let pattern = #"raw \(not interpolated) { "#

    /// Appends bytes.
    public mutating func writeBytes(_ bytes: [UInt8]) -> Int {
        let message = "wrote \(bytes.count) bytes: \("{")"
        /* a { comment /* nested } */ still comment { */
        storage.append(contentsOf: bytes)
        return bytes.count
    }

    public var readableBytes: Int {
        storage.count
    }

    init(capacity: Int) {
        storage.reserveCapacity(capacity)
    }

    subscript(index: Int) -> UInt8 { storage[index] }
}

extension ByteBuffer.Storage: Equatable where Element == UInt8 {
    static func == (lhs: Self, rhs: Self) -> Bool { true }
}

protocol Channel: AnyObject {
    func write(_ data: ByteBuffer)
    var isActive: Bool { get }
}

final class Pipeline<Handler> {
    class func make() -> Pipeline { Pipeline() }
    private lazy var handlers: [Handler] = {
        let list: [Handler] = []
        func inner() {}
        return list
    }()
    let text = """
        func notADeclaration() {
        """
}

enum Mode { case on, off }

actor Counter {
    var value = 0
    func increment() { value += 1 }
}

func topLevel() {
    struct Local {}
}
"""#

@Suite("Swift structural chunker")
struct SwiftChunkingTests {
    @Test func findsDeclarationsWithExtents() throws {
        let analysis = try analyzeSource(swiftSample, path: "Sources/IO/ByteBuffer.swift")
        let byName = Dictionary(analysis.symbols.map { ($0.qualifiedName, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byName["ByteBuffer"]?.kind == "struct")
        #expect(byName["ByteBuffer"]?.line == 5)
        #expect(byName["ByteBuffer"]?.endLine == 27)
        #expect(byName["ByteBuffer.writeBytes"]?.line == 11)
        #expect(byName["ByteBuffer.writeBytes"]?.endLine == 16)
        #expect(byName["ByteBuffer.readableBytes"]?.endLine == 20)
        #expect(byName["ByteBuffer.init"]?.endLine == 24)
        #expect(byName["ByteBuffer.subscript"]?.line == 26)
        #expect(byName["ByteBuffer.storage"]?.kind == "var")
        #expect(byName["ByteBuffer.pattern"]?.kind == "let")
        #expect(byName["ByteBuffer.Storage"]?.kind == "extension")
        #expect(byName["ByteBuffer.Storage.=="]?.kind == "func")
        #expect(byName["Channel.write"]?.line == 34)
        #expect(byName["Channel.isActive"]?.kind == "var")
        #expect(byName["Pipeline.make"]?.kind == "func")
        #expect(byName["Pipeline.handlers"]?.endLine == 44)
        #expect(byName["Pipeline"]?.endLine == 48)
        #expect(byName["Mode"]?.line == 50)
        #expect(byName["Counter.increment"]?.line == 54)
        #expect(byName["topLevel"]?.endLine == 59)
        // Nothing from inside function bodies, closures or strings.
        #expect(byName["inner"] == nil && byName["Pipeline.inner"] == nil)
        #expect(byName["Local"] == nil && byName["topLevel.Local"] == nil)
        #expect(!analysis.symbols.contains { $0.name == "notADeclaration" })
        #expect(byName["ByteBuffer"]?.signature == "public struct ByteBuffer: Sendable")
    }

    @Test func chunksFollowDeclarationsAndIncludeDocComments() throws {
        let analysis = try analyzeSource(swiftSample, path: "ByteBuffer.swift")
        #expect(analysis.chunksAreOrderedAndDisjoint())
        let buffer = try #require(analysis.chunk(for: "ByteBuffer"))
        #expect(buffer.startLine == 3, "doc comment and attribute belong to the declaration")
        #expect(buffer.endLine == 27)
        #expect(analysis.chunks.first?.startLine == 1, "the import is a window of its own")
        #expect(analysis.chunk(for: "Counter")?.endLine == 55)
    }

    @Test func largeDeclarationsSplitAlongMembers() throws {
        let analysis = try analyzeSource(swiftSample, path: "ByteBuffer.swift",
                                         builder: ChunkBuilder(maximumLines: 10, mergeLines: 0))
        #expect(analysis.chunksAreOrderedAndDisjoint())
        let write = try #require(analysis.chunks.first { $0.symbol == "ByteBuffer.writeBytes" })
        #expect(write.startLine == 10 && write.endLine == 16)
        #expect(analysis.chunks.contains { $0.kind == .declarationPart && $0.symbol == "ByteBuffer" })
    }

    @Test func smallNeighboursMerge() throws {
        let analysis = try analyzeSource(swiftSample, path: "ByteBuffer.swift", builder: ChunkBuilder(mergeLines: 40))
        #expect(analysis.chunksAreOrderedAndDisjoint())
        #expect(analysis.chunks.count < 6)
        #expect(analysis.chunks.allSatisfy { $0.lineCount <= 40 || $0.kind == .declaration })
    }

    @Test func unbalancedFileStillChunks() throws {
        let analysis = try analyzeSource("struct Open {\n  func f() {\n", path: "Broken.swift")
        #expect(analysis.symbol("Open")?.endLine == 2)
        #expect(!analysis.chunks.isEmpty)
    }
}
