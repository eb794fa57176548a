import Foundation
import GRDB

/// Reads and writes one workspace root's index tables (see ``IndexSchema``).
struct IndexStore: Sendable {
    let database: any DatabaseWriter
    let rootID: Int64

    /// Finds or creates the row of `root`. The schema must already be migrated.
    init(database: any DatabaseWriter, root: String) throws {
        self.database = database
        do {
            rootID = try database.write { db in
                if let id = try Int64.fetchOne(db, sql: "SELECT id FROM index_roots WHERE path = ?", arguments: [root]) {
                    return id
                }
                try db.execute(sql: "INSERT INTO index_roots (path) VALUES (?)", arguments: [root])
                return db.lastInsertedRowID
            }
        } catch {
            throw ContextError.storage("cannot register the root \(root) (\(error)); "
                + "were IndexSchema's migrations registered and run on this database?")
        }
    }

    /// The persisted vocabulary (index = term id) and files of this root.
    /// An inconsistent vocabulary (missing blocks) or a corrupt row yields
    /// nothing, so the caller rebuilds from scratch.
    func load() throws -> (terms: [String], files: [FileRows]) {
        try database.read { db in
            var terms: [String] = []
            let blocks = try Row.fetchCursor(db, sql: "SELECT block, terms FROM index_terms WHERE rootId = ? ORDER BY block",
                                             arguments: [rootID])
            var expectedBlock = 0
            while let row = try blocks.next() {
                let block: Int = row[0]
                let data: Data = row[1]
                guard block == expectedBlock, terms.count == block * IndexSchema.termBlockSize else { return ([], []) }
                for term in data.split(separator: 0, omittingEmptySubsequences: false) {
                    terms.append(String(decoding: term, as: UTF8.self))
                }
                expectedBlock += 1
            }
            var files: [FileRows] = []
            let rows = try Row.fetchCursor(db, sql: """
                SELECT path, language, size, modified, contentHash, lineCount, identifiers, chunks, symbols
                FROM index_files WHERE rootId = ? ORDER BY id
                """, arguments: [rootID])
            while let row = try rows.next() {
                guard let chunks = FileBlobCoding.decodeChunks([UInt8](row[7] as Data)),
                      let symbols = FileBlobCoding.decodeSymbols([UInt8](row[8] as Data)) else { return ([], []) }
                files.append(FileRows(
                    path: row[0], language: Language(rawValue: row[1]) ?? .text,
                    status: FileStatus(size: row[2], modified: row[3]),
                    contentHash: UInt64(bitPattern: row[4]), lineCount: row[5],
                    identifiers: [UInt8](row[6] as Data), chunks: chunks, symbols: symbols))
            }
            return (terms, files)
        }
    }

    /// Writes vocabulary blocks, replaces `upserts` and deletes `removals`, in one transaction.
    func write(upserts: [FileRows], removals: [String], termBlocks: [(Int, [UInt8])]) throws {
        guard !upserts.isEmpty || !removals.isEmpty || !termBlocks.isEmpty else { return }
        let rootID = self.rootID
        do {
            try database.write { db in
                let insertTerms = try db.cachedStatement(sql: "INSERT OR REPLACE INTO index_terms (rootId, block, terms) VALUES (?, ?, ?)")
                for (block, bytes) in termBlocks { try insertTerms.execute(arguments: [rootID, block, Data(bytes)]) }
                let deleteFile = try db.cachedStatement(sql: "DELETE FROM index_files WHERE rootId = ? AND path = ?")
                for path in removals { try deleteFile.execute(arguments: [rootID, path]) }
                let upsertFile = try db.cachedStatement(sql: """
                    INSERT INTO index_files (rootId, path, language, size, modified, contentHash, lineCount,
                                             identifiers, chunks, symbols)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (rootId, path) DO UPDATE SET
                        language = excluded.language, size = excluded.size, modified = excluded.modified,
                        contentHash = excluded.contentHash, lineCount = excluded.lineCount,
                        identifiers = excluded.identifiers, chunks = excluded.chunks, symbols = excluded.symbols
                    """)
                for file in upserts {
                    try upsertFile.execute(arguments: [
                        rootID, file.path, file.language.rawValue, file.status.size, file.status.modified,
                        Int64(bitPattern: file.contentHash), file.lineCount, Data(file.identifiers),
                        Data(FileBlobCoding.encode(chunks: file.chunks)), Data(FileBlobCoding.encode(symbols: file.symbols)),
                    ])
                }
                try db.execute(sql: "UPDATE index_roots SET indexedAt = ? WHERE id = ?",
                               arguments: [Date().timeIntervalSince1970, rootID])
            }
        } catch {
            throw ContextError.storage("writing \(upserts.count) files failed: \(error)")
        }
    }

    /// Deletes everything stored for this root except the root row.
    func clear() throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM index_files WHERE rootId = ?", arguments: [rootID])
            try db.execute(sql: "DELETE FROM index_terms WHERE rootId = ?", arguments: [rootID])
        }
    }
}

extension IndexStore {
    /// Records new sizes and times for files whose contents did not change.
    func updateStatuses(_ statuses: [(String, FileStatus)]) throws {
        guard !statuses.isEmpty else { return }
        let rootID = self.rootID
        try database.write { db in
            let statement = try db.cachedStatement(sql: "UPDATE index_files SET size = ?, modified = ? WHERE rootId = ? AND path = ?")
            for (path, status) in statuses {
                try statement.execute(arguments: [status.size, status.modified, rootID, path])
            }
        }
    }
}
