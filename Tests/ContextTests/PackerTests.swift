import Foundation
import Testing

@testable import Context

private func item(_ kind: ContextItemKind, _ path: String? = nil, lines: LineRange? = nil, tokens: Int, priority: Int,
                  _ stability: Stability, text: String? = nil) -> ContextItem {
    ContextItem(provider: kind.rawValue, kind: kind, path: path, lines: lines,
                text: text ?? "\(kind.rawValue) \(path ?? "") \(lines.map { "\($0.start)" } ?? "")", reason: "test",
                tokenCount: tokens, priority: priority, stability: stability)
}

private let sample: [ContextItem] = [
    item(.prompt, tokens: 50, priority: ContextPriority.required, .volatile),
    item(.instructions, tokens: 100, priority: ContextPriority.required, .stable),
    item(.repoMap, tokens: 400, priority: ContextPriority.repoMap, .stable),
    item(.relatedFile, "b/Two.swift", tokens: 300, priority: ContextPriority.relatedFile, .stable),
    item(.relatedFile, "a/One.swift", tokens: 300, priority: ContextPriority.relatedFile - 1, .stable),
    item(.cursor, "c/Main.swift", lines: LineRange(start: 10, end: 40), tokens: 500, priority: ContextPriority.cursor, .volatile),
    item(.retrieval, "c/Main.swift", lines: LineRange(start: 20, end: 35), tokens: 200, priority: ContextPriority.retrieval, .volatile),
    item(.retrieval, "d/Far.swift", lines: LineRange(start: 1, end: 30), tokens: 600, priority: ContextPriority.retrieval - 1, .volatile),
    item(.diagnostics, "c/Main.swift", lines: LineRange(start: 12, end: 12), tokens: 80, priority: ContextPriority.errors, .volatile),
]

@Suite("Token budget packer")
struct PackerTests {
    @Test func respectsTheBudgetAndExplainsDrops() {
        let budget = TokenBudget(contextWindow: 2500, outputReserve: 500)
        let packed = TokenBudgetPacker().pack(sample, budget: budget)
        #expect(packed.totalTokens <= budget.available)
        #expect(packed.totalTokens == packed.items.reduce(0) { $0 + $1.tokenCount + 1 })
        #expect(packed.items.contains { $0.kind == .prompt } && packed.items.contains { $0.kind == .instructions })
        // The retrieval hit inside the cursor window is a duplicate; the repo map (lowest priority) does not fit.
        let duplicate = packed.dropped.first { $0.item.path == "c/Main.swift" && $0.item.kind == .retrieval }
        #expect(duplicate?.reason.contains("already sent") == true)
        let tooBig = packed.dropped.first { $0.item.kind == .repoMap }
        #expect(tooBig?.reason.contains("Needs 401 tokens but only 63 of 2000 remain") == true)
        #expect(packed.items.contains { $0.path == "d/Far.swift" })
        #expect(packed.items.count + packed.dropped.count == sample.count)
        // Every budget is respected.
        for window in stride(from: 0, through: 3500, by: 97) {
            let result = TokenBudgetPacker().pack(sample, budget: TokenBudget(contextWindow: window, outputReserve: 0))
            #expect(result.totalTokens <= window)
        }
    }

    @Test func ordersStableFirstAndDeterministically() {
        let budget = TokenBudget(contextWindow: 10_000, outputReserve: 1000)
        let reference = TokenBudgetPacker().pack(sample, budget: budget)
        let kinds = reference.items.map(\.kind)
        #expect(kinds.first == .instructions)
        #expect(kinds.last == .prompt)
        let firstVolatile = reference.items.firstIndex { $0.stability == .volatile }!
        #expect(reference.items[..<firstVolatile].allSatisfy { $0.stability == .stable })
        #expect(reference.items[firstVolatile...].allSatisfy { $0.stability == .volatile })
        // Related files in path order, whatever their priorities.
        let related = reference.items.filter { $0.kind == .relatedFile }.map { $0.path! }
        #expect(related == ["a/One.swift", "b/Two.swift"])
        #expect(reference.stableTokens == reference.items[..<firstVolatile].reduce(0) { $0 + $1.tokenCount + 1 })
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<20 {
            let shuffled = TokenBudgetPacker().pack(sample.shuffled(using: &generator), budget: budget)
            #expect(shuffled.items == reference.items)
            #expect(shuffled.dropped == reference.dropped)
        }
    }

    @Test func requestsDifferingInPromptShareTheStablePrefix() {
        let budget = TokenBudget(contextWindow: 10_000, outputReserve: 1000)
        var second = sample
        second[0] = item(.prompt, tokens: 70, priority: ContextPriority.required, .volatile, text: "another request")
        let first = TokenBudgetPacker().pack(sample, budget: budget)
        let next = TokenBudgetPacker().pack(second, budget: budget)
        let tracker = PrefixTracker()
        #expect(tracker.record(session: "s", items: first.items) == nil)
        let shared = tracker.record(session: "s", items: next.items)
        #expect(shared != nil && shared! >= next.stableTokens)
        #expect(shared == next.totalTokens - 71, "everything but the prompt is shared")
        #expect(PrefixTracker.sharedPrefix(first.items, next.items) == shared)
    }
}

/// A small deterministic generator for shuffles.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state ^ (state >> 33)
    }
}
