import AidProtocol
import Foundation
import GRDB

/// One message of a chat conversation: the developer's (`user`) or the model's (`assistant`).
public struct ChatMessageRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "chat_message"
    public var conversationId: String
    /// 0 for the first message of the conversation.
    public var position: Int
    public var role: String
    public var content: String
    /// Seconds since 1970.
    public var createdAt: Double
}

/// The chat conversations the daemon remembers, in the database, so that `chat/send` with a
/// `conversationId` goes on where it stopped, across restarts.
public struct ChatHistory: Sendable {
    private let store: AidStore

    public init(store: AidStore) { self.store = store }

    /// The messages of conversation `id`, oldest first; nil when it is unknown.
    public func messages(of id: String) throws -> [ModelMessage]? {
        let records = try store.database.read { db in
            try ChatMessageRecord.filter(Column("conversationId") == id).order(Column("position")).fetchAll(db)
        }
        return records.isEmpty ? nil : records.map { ModelMessage(role: $0.role, content: $0.content) }
    }

    /// Adds `messages` after the last message of conversation `id`; when the conversation is
    /// new, `earlier` (the turns the client says came before) is stored first.
    public func append(to id: String, _ messages: [ModelMessage], startingWith earlier: [ModelMessage] = [],
                       at date: Date = Date()) throws {
        try store.database.write { db in
            let last = try Int.fetchOne(db, sql: "SELECT max(position) FROM chat_message WHERE conversationId = ?", arguments: [id])
            let added = last == nil ? earlier + messages : messages
            let next = last.map { $0 + 1 } ?? 0
            for (offset, message) in added.enumerated() {
                try ChatMessageRecord(conversationId: id, position: next + offset, role: message.role, content: message.content,
                                      createdAt: date.timeIntervalSince1970).insert(db)
            }
        }
    }

    /// Forgets the conversations whose last message is older than `date`; returns how many.
    @discardableResult
    public func forget(idleSince date: Date) throws -> Int {
        try store.database.write { db in
            let stale = try String.fetchAll(db, sql: """
                SELECT conversationId FROM chat_message GROUP BY conversationId HAVING max(createdAt) < ?
                """, arguments: [date.timeIntervalSince1970])
            for id in stale {
                try ChatMessageRecord.filter(Column("conversationId") == id).deleteAll(db)
            }
            return stale.count
        }
    }
}
