import AidProtocol
import AidStore
import Foundation
import Logging

/// The chat conversations the daemon remembers: each turn's message and answer, kept in the
/// database so that `chat/send` with a `conversationId` continues where it stopped, also after a
/// restart. Conversations idle for longer than `retention` are forgotten when the daemon starts.
final class ChatConversations: Sendable {
    private let history: ChatHistory
    private let logger: Logger

    init(store: AidStore, logger: Logger, retention: Duration = .seconds(90 * 24 * 3600)) {
        history = ChatHistory(store: store)
        self.logger = logger
        do {
            let forgotten = try history.forget(idleSince: Date().addingTimeInterval(-Double(retention.components.seconds)))
            if forgotten > 0 { logger.info("Forgot \(forgotten) chat conversation(s) idle for more than \(retention.components.seconds / 86400) days.") }
        } catch {
            logger.warning("Could not forget old chat conversations: \(error)")
        }
    }

    /// The earlier turns of `id`, oldest first; nil when the conversation is unknown (or cannot
    /// be read: the client's own `history` is used then).
    func history(_ id: String) -> [ModelMessage]? {
        do {
            return try history.messages(of: id)
        } catch {
            logger.warning("Could not read chat conversation \(id): \(error)")
            return nil
        }
    }

    /// Adds a turn (the developer's message and the answer) to conversation `id`; `earlier` are
    /// the turns the answer followed, stored first when the conversation was not known.
    func append(_ id: String, message: String, answer: String, startingFrom earlier: [ModelMessage]) {
        do {
            try history.append(to: id, [ModelMessage(role: "user", content: message), ModelMessage(role: "assistant", content: answer)],
                               startingWith: earlier)
        } catch {
            logger.warning("Could not store a turn of chat conversation \(id): \(error)")
        }
    }
}
