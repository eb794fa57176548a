import AidProtocol
import AidStore
import AidTestSupport
import Foundation
import Testing

struct ChatHistoryTests {
    private func makeStore() throws -> AidStore {
        let directory = URL(fileURLWithPath: TestDirectory.processBase).appendingPathComponent("aid-chat-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try AidStore(path: directory.appendingPathComponent("aid.sqlite").path)
    }

    @Test func turnsComeBackInOrderPerConversation() throws {
        let store = try makeStore()
        let history = ChatHistory(store: store)
        #expect(try history.messages(of: "a") == nil, "an unknown conversation")
        try history.append(to: "a", [ModelMessage(role: "user", content: "Why?"), ModelMessage(role: "assistant", content: "Because.")])
        try history.append(to: "b", [ModelMessage(role: "user", content: "Other")])
        try history.append(to: "a", [ModelMessage(role: "user", content: "Thanks"), ModelMessage(role: "assistant", content: "You're welcome.")])
        let a = try #require(try history.messages(of: "a"))
        #expect(a.map(\.content) == ["Why?", "Because.", "Thanks", "You're welcome."])
        #expect(a.map(\.role) == ["user", "assistant", "user", "assistant"])
        #expect(try history.messages(of: "b")?.map(\.content) == ["Other"])
        // Earlier turns a client brings are stored before a new conversation's first turn only.
        try history.append(to: "c", [ModelMessage(role: "user", content: "3")], startingWith: [ModelMessage(role: "user", content: "1"), ModelMessage(role: "assistant", content: "2")])
        try history.append(to: "c", [ModelMessage(role: "assistant", content: "4")], startingWith: [ModelMessage(role: "user", content: "ignored")])
        #expect(try history.messages(of: "c")?.map(\.content) == ["1", "2", "3", "4"])
        // Another store on the same file (the next daemon generation) reads the same.
        let reopened = ChatHistory(store: try AidStore(path: store.path))
        #expect(try reopened.messages(of: "a")?.count == 4)
    }

    @Test func idleConversationsAreForgottenWhole() throws {
        let history = ChatHistory(store: try makeStore())
        let now = Date()
        try history.append(to: "old", [ModelMessage(role: "user", content: "1"), ModelMessage(role: "assistant", content: "2")], at: now.addingTimeInterval(-100 * 86400))
        try history.append(to: "active", [ModelMessage(role: "user", content: "1")], at: now.addingTimeInterval(-100 * 86400))
        try history.append(to: "active", [ModelMessage(role: "assistant", content: "2")], at: now)
        #expect(try history.forget(idleSince: now.addingTimeInterval(-90 * 86400)) == 1)
        #expect(try history.messages(of: "old") == nil)
        #expect(try history.messages(of: "active")?.count == 2, "a conversation with a recent message is kept whole")
    }
}
