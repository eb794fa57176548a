import AidProtocol
import Foundation
import Synchronization

/// The chat conversations the daemon remembers (in memory, the most recent ones): each turn's
/// message and answer, so that `chat/send` with a `conversationId` continues where it stopped.
final class ChatConversations: Sendable {
    /// Conversations remembered at most; the least recently used is forgotten first.
    let capacity: Int
    private let state = Mutex<(turns: [String: [ModelMessage]], used: [String: UInt64], clock: UInt64)>(([:], [:], 0))

    init(capacity: Int = 256) {
        self.capacity = capacity
    }

    /// The earlier turns of `id`, oldest first; nil when the conversation is unknown.
    func history(_ id: String) -> [ModelMessage]? {
        state.withLock { $0.turns[id] }
    }

    /// Adds a turn (the developer's message and the answer) to conversation `id`.
    func append(_ id: String, message: String, answer: String, startingFrom earlier: [ModelMessage]) {
        state.withLock { state in
            state.clock += 1
            state.turns[id] = earlier + [ModelMessage(role: "user", content: message), ModelMessage(role: "assistant", content: answer)]
            state.used[id] = state.clock
            if state.turns.count > capacity, let oldest = state.used.min(by: { $0.value < $1.value })?.key {
                state.turns[oldest] = nil
                state.used[oldest] = nil
            }
        }
    }
}
