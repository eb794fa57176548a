import GRDB

/// The index's tables, all prefixed `index_`. Register them into the
/// daemon's migrator with ``registerMigrations(in:)``; never edit a shipped
/// migration, add a new one.
///
/// - `index_roots`: one row per workspace root.
/// - `index_terms`: the vocabulary of a root in blocks of
///   ``termBlockSize`` terms (NUL-separated); a term's id is its position.
/// - `index_files`: one row per indexed file: metadata, then three blobs
///   (varints and length-prefixed strings): its identifier counts, its
///   chunks with their term counts, and its declarations (the outline).
///   One row per file keeps a cold build of a million lines to a few
///   thousand inserts.
public enum IndexSchema {
    /// Terms per `index_terms` row.
    static let termBlockSize = 4096

    /// Migration identifiers, oldest first.
    public static let migrationIdentifiers = ["index-v1"]

    /// Adds the index's migrations to `migrator`.
    public static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("index-v1") { db in
            try db.create(table: "index_roots") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("path", .text).notNull().unique()
                table.column("indexedAt", .double)
            }
            try db.create(table: "index_terms") { table in
                table.column("rootId", .integer).notNull().references("index_roots", onDelete: .cascade)
                table.column("block", .integer).notNull()
                table.column("terms", .blob).notNull()
                table.primaryKey(["rootId", "block"])
            }
            try db.create(table: "index_files") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("rootId", .integer).notNull().references("index_roots", onDelete: .cascade)
                table.column("path", .text).notNull()
                table.column("language", .text).notNull()
                table.column("size", .integer).notNull()
                table.column("modified", .integer).notNull()
                table.column("contentHash", .integer).notNull()
                table.column("lineCount", .integer).notNull()
                table.column("identifiers", .blob).notNull()
                table.column("chunks", .blob).notNull()
                table.column("symbols", .blob).notNull()
                table.uniqueKey(["rootId", "path"])
            }
        }
    }

    /// A migrator holding only the index's migrations (for a database of its own).
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        registerMigrations(in: &migrator)
        return migrator
    }
}

/// Compact encoding of (term id, count) lists: ids sorted and delta-coded,
/// everything as LEB128 varints.
enum TermListCoding {
    static func encode(ids: [Int32], counts: [Int32]) -> [UInt8] {
        let order = ids.indices.sorted { ids[$0] < ids[$1] }
        var writer = BlobWriter(capacity: ids.count * 3)
        var previous: Int32 = 0
        for index in order {
            writer.varint(Int(ids[index] - previous))
            writer.varint(Int(counts[index]))
            previous = ids[index]
        }
        return writer.bytes
    }

    static func decode(_ bytes: [UInt8]) -> (ids: [Int32], counts: [Int32]) {
        var ids: [Int32] = [], counts: [Int32] = []
        var reader = BlobReader(bytes)
        var previous: Int32 = 0
        while !reader.isAtEnd {
            guard let delta = reader.varint(), let count = reader.varint() else { break }
            previous += Int32(delta)
            ids.append(previous)
            counts.append(Int32(count))
        }
        return (ids, counts)
    }
}

/// Encoding of a file's chunks and declarations as blobs.
enum FileBlobCoding {
    static func encode(chunks: [FileRows.ChunkRow]) -> [UInt8] {
        var writer = BlobWriter(capacity: chunks.count * 64)
        writer.varint(chunks.count)
        for row in chunks {
            writer.varint(row.chunk.startLine)
            writer.varint(row.chunk.endLine - row.chunk.startLine)
            writer.string(row.chunk.kind.rawValue)
            writer.optionalString(row.chunk.symbol)
            writer.varint(Int(row.length))
            writer.raw(row.terms)
        }
        return writer.bytes
    }

    static func decodeChunks(_ bytes: [UInt8]) -> [FileRows.ChunkRow]? {
        var reader = BlobReader(bytes)
        guard let count = reader.varint() else { return nil }
        var rows: [FileRows.ChunkRow] = []
        rows.reserveCapacity(count)
        for _ in 0..<count {
            guard let start = reader.varint(), let span = reader.varint(), let kind = reader.string(),
                  let symbol = reader.optionalString(), let length = reader.varint(), let terms = reader.raw() else { return nil }
            rows.append(.init(chunk: Chunk(startLine: start, endLine: start + span, kind: ChunkKind(rawValue: kind) ?? .window,
                                           symbol: symbol),
                              length: Int32(length), terms: terms))
        }
        return rows
    }

    static func encode(symbols: [Symbol]) -> [UInt8] {
        var writer = BlobWriter(capacity: symbols.count * 80)
        writer.varint(symbols.count)
        for symbol in symbols {
            writer.string(symbol.name)
            writer.string(symbol.kind)
            writer.varint(symbol.line)
            writer.varint(symbol.endLine - symbol.line)
            writer.optionalString(symbol.container)
            writer.optionalString(symbol.signature)
        }
        return writer.bytes
    }

    static func decodeSymbols(_ bytes: [UInt8]) -> [Symbol]? {
        var reader = BlobReader(bytes)
        guard let count = reader.varint() else { return nil }
        var symbols: [Symbol] = []
        symbols.reserveCapacity(count)
        for _ in 0..<count {
            guard let name = reader.string(), let kind = reader.string(), let line = reader.varint(),
                  let span = reader.varint(), let container = reader.optionalString(),
                  let signature = reader.optionalString() else { return nil }
            symbols.append(Symbol(name: name, kind: kind, line: line, endLine: line + span, container: container,
                                  signature: signature))
        }
        return symbols
    }
}
