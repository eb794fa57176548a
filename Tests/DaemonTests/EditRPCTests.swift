import AidProtocol
import AidStore
import AidTestSupport
import Foundation
import GRDB
import JSONRPC
import ModelsTestSupport
import Testing

/// The main job end to end: a real daemon, a workspace on disk, and a fake model server that
/// answers with scripted diffs.
@Suite struct EditRPCTests {
    /// A unified diff in a fenced block, as models write it.
    static func fenced(_ lines: [String], prose: String = "Here is the change.") -> String {
        prose + "\n\n```diff\n" + lines.joined(separator: "\n") + "\n```\n"
    }

    static let calc = "def add(a, b):\n    return a - b\n"
    static let calcFix = fenced(["--- a/calc.py", "+++ b/calc.py", "@@ -1,2 +1,2 @@", " def add(a, b):", "-    return a - b", "+    return a + b"],
                                prose: "`add` subtracts; it should add.")

    @Test func proposeStreamsDeltasBeforeTheResultAndItsDiffAppliesToTheUnsavedBuffer() async throws {
        let disk = "def greet(name):\n    return \"Hi \" + name\n"
        let buffer = "import sys\n\n\ndef greet(name):\n    return \"Hi \" + name\n\n\ndef main():\n    print(greet(sys.argv[1]))\n"
        let fixture = try await EditFixture.start(files: ["app.py": disk])
        // Its trailing context exists only in the unsaved buffer.
        fixture.answer(Self.fenced(["--- a/app.py", "+++ b/app.py", "@@ -4,5 +4,5 @@", " def greet(name):",
                                    "-    return \"Hi \" + name", "+    return \"Hello, \" + name", " ", " ", " def main():"]))
        let result = try await fixture.client.call(EditProposeRequest(
            prompt: "Make the greeting friendlier", file: fixture.workspace.root + "/app.py",
            cursor: EditorPosition(line: 4, character: 4), buffers: [EditorBuffer(path: "app.py", text: buffer)], streamToken: "t1"))
        let deltas = fixture.inbox.params(EditDeltaNotification.method)
        #expect(deltas.count >= 2, "the answer streams in pieces")
        #expect(deltas.compactMap { $0["text"]?.stringValue }.joined() == result.text, "every delta arrives before the result")
        #expect(deltas.allSatisfy { $0["token"] == "t1" && $0["round"] == 0 })
        #expect(result.applies && result.applyError == nil && !result.repaired)
        #expect(result.model == "m" && result.provider == "openai" && result.strategy == "unified-diff@1")
        #expect(result.usage.inputTokens == 300 && result.usage.outputTokens == 40)
        #expect(result.timings.firstTokenMs != nil && result.timings.totalMs >= result.timings.firstTokenMs! && result.timings.totalMs >= result.timings.contextMs)
        #expect(result.context.items > 0 && result.context.tokens > 0)
        let file = try #require(result.files.first)
        #expect(result.files.count == 1 && file.path == "app.py" && file.status == "modified")
        let expected = buffer.replacingOccurrences(of: "\"Hi \"", with: "\"Hello, \"")
        #expect(file.newText == expected)
        #expect(applying(file.edits, to: buffer) == expected, "the whole-line edits apply to the unsaved buffer")
        #expect(file.edits.allSatisfy { $0.range.start.character == 0 && $0.range.end.character == 0 })
        #expect(result.diff.contains("--- a/app.py") && result.diff.contains("+    return \"Hello, \" + name"))
        #expect(fixture.upstreamText(0).contains("print(greet(sys.argv[1]))"), "the prompt shows the buffer, not the disk")
        #expect(fixture.workspace.read("app.py") == disk, "proposing writes nothing")
        // The proposal's diff applies to the buffer, not to the disk.
        let dryRun = await responseError {
            _ = try await fixture.client.call(EditApplyRequest(proposalId: result.proposalId, dryRun: true))
        }
        #expect(dryRun?.code == .diffDoesNotApply)
        await fixture.cleanUp()
    }

    @Test func anAnswerThatDoesNotApplyGetsExactlyOneRepairRoundCarryingTheError() async throws {
        let fixture = try await EditFixture.start(files: ["calc.py": Self.calc])
        fixture.answer(Self.fenced(["--- a/calc.py", "+++ b/calc.py", "@@ -1,2 +1,2 @@", " def add(x, y):", "-    return x - y", "+    return x + y"]))
        fixture.answer(Self.calcFix)
        let result = try await fixture.client.call(EditProposeRequest(prompt: "Fix add", file: "calc.py", streamToken: "r"))
        #expect(fixture.server.requests.count == 2)
        #expect(!fixture.upstreamText(0).contains("could not be applied"))
        let repair = fixture.upstreamText(1)
        #expect(repair.contains("Your previous answer could not be applied"), "\(repair)")
        #expect(repair.contains("calc.py: hunk 1 of 1") && repair.contains("were not found in the file"), "the apply error goes back to the model")
        #expect(result.repaired && result.applies && result.files.first?.newText == "def add(a, b):\n    return a + b\n")
        let rounds = fixture.inbox.params(EditDeltaNotification.method).filter { $0["token"] == "r" }
        #expect(rounds.contains { $0["round"] == 0 } && rounds.contains { $0["round"] == 1 })
        #expect(rounds.filter { $0["round"] == 1 }.compactMap { $0["text"]?.stringValue }.joined() == result.text)
        #expect(result.usage.inputTokens == 600, "usage adds up both rounds")
        await fixture.cleanUp()
    }

    @Test func aSecondFailureEndsTheRoundsWithTheErrorInTheProposal() async throws {
        let fixture = try await EditFixture.start(files: ["calc.py": Self.calc])
        fixture.answer("I would rather not.")
        fixture.answer("Still no diff.")
        fixture.server.answerWhenIdle(.events(FakeWire.openAIEvents([Self.calcFix])))
        let result = try await fixture.client.call(EditProposeRequest(prompt: "Fix add", file: "calc.py"))
        #expect(fixture.server.requests.count == 2, "one repair round, not more")
        #expect(!result.applies && result.repaired && result.files.isEmpty)
        #expect(result.applyError?.contains("no edits") == true, "\(result.applyError ?? "")")
        #expect(result.text == "Still no diff.")
        await fixture.cleanUp()
    }

    @Test func applyIsAtomicDryRunWritesNothingAndPathsStayInTheWorkspace() async throws {
        let fixture = try await EditFixture.start(files: ["a.txt": "one\n", "b.txt": "two\n", "c.txt": "three\n"])
        let good = ["--- a/a.txt", "+++ b/a.txt", "@@ -1 +1 @@", "-one", "+ONE", "--- a/b.txt", "+++ b/b.txt", "@@ -1 +1 @@", "-two", "+TWO"]
        let bad = good + ["--- a/c.txt", "+++ b/c.txt", "@@ -1 +1 @@", "-not what c holds", "+THREE"]
        let failure = await responseError {
            _ = try await fixture.client.call(EditApplyRequest(diff: bad.joined(separator: "\n") + "\n"))
        }
        #expect(failure?.code == .diffDoesNotApply)
        #expect(failure?.data?["path"] == "c.txt" && failure?.data?["hunk"] == 1, "\(String(describing: failure))")
        #expect(fixture.workspace.read("a.txt") == "one\n" && fixture.workspace.read("b.txt") == "two\n", "nothing is written when the third file fails")

        let dryRun = try await fixture.client.call(EditApplyRequest(diff: good.joined(separator: "\n") + "\n", dryRun: true))
        #expect(dryRun.dryRun && !dryRun.applied)
        #expect(dryRun.files == [.init(path: "a.txt", status: "modified"), .init(path: "b.txt", status: "modified")])
        #expect(fixture.workspace.read("a.txt") == "one\n" && fixture.workspace.read("b.txt") == "two\n", "a dry run writes nothing")

        let subset = try await fixture.client.call(EditApplyRequest(diff: good.joined(separator: "\n") + "\n", paths: ["b.txt"]))
        #expect(subset.applied && subset.files == [.init(path: "b.txt", status: "modified")])
        #expect(fixture.workspace.read("a.txt") == "one\n" && fixture.workspace.read("b.txt") == "TWO\n")

        let escape = ["--- /dev/null", "+++ b/../escaped.txt", "@@ -0,0 +1 @@", "+escaped"].joined(separator: "\n") + "\n"
        let refused = await responseError { _ = try await fixture.client.call(EditApplyRequest(diff: escape)) }
        #expect(refused?.code == .pathOutsideWorkspace, "\(String(describing: refused))")
        let parent = (fixture.workspace.root as NSString).deletingLastPathComponent
        #expect(!FileManager.default.fileExists(atPath: parent + "/escaped.txt"))
        let outsideFile = await responseError {
            _ = try await fixture.client.call(EditProposeRequest(prompt: "Fix it", file: "/etc/hostname"))
        }
        #expect(outsideFile?.code == .pathOutsideWorkspace)

        let unknown = await responseError { _ = try await fixture.client.call(EditApplyRequest(proposalId: "no-such-proposal")) }
        #expect(unknown?.code == .proposalUnknown)
        let both = await responseError { _ = try await fixture.client.call(EditApplyRequest()) }
        #expect(both?.code == .invalidParams)
        await fixture.cleanUp()
    }

    @Test func feedbackLandsInTheRecordsAndInMetricsAndAppliesAreLinkedToTheNextBuild() async throws {
        let fixture = try await EditFixture.start(files: ["calc.py": Self.calc, ".aid/config.toml": "[build]\ncommand = \"true\"\n"])
        fixture.answer(Self.calcFix)
        let first = try await fixture.client.call(EditProposeRequest(prompt: "Fix add", file: "calc.py"))
        #expect(first.applies)
        let applied = try await fixture.client.call(EditApplyRequest(proposalId: first.proposalId))
        #expect(applied.applied && applied.files == [.init(path: "calc.py", status: "modified")])
        #expect(fixture.workspace.read("calc.py") == "def add(a, b):\n    return a + b\n")
        let build = try await fixture.client.call(BuildRunRequest())
        #expect(build.status.state == .green)
        _ = try await fixture.client.call(EditFeedbackRequest(proposalId: first.proposalId, outcome: "accepted", appliedBy: "daemon"))

        fixture.answer(Self.fenced(["--- a/calc.py", "+++ b/calc.py", "@@ -1,2 +1,2 @@", "-def add(a, b):", "+def add(a, b):  # sum", "     return a + b"]))
        let second = try await fixture.client.call(EditProposeRequest(prompt: "Comment add", file: "calc.py"))
        #expect(second.applies)
        _ = try await fixture.client.call(EditFeedbackRequest(proposalId: second.proposalId, outcome: "rejected", comment: "not needed", appliedBy: "editor"))
        let badOutcome = await responseError {
            _ = try await fixture.client.call(EditFeedbackRequest(proposalId: second.proposalId, outcome: "meh"))
        }
        #expect(badOutcome?.code == .invalidParams)
        let unknown = await responseError {
            _ = try await fixture.client.call(EditFeedbackRequest(proposalId: "nope", outcome: "accepted"))
        }
        #expect(unknown?.code == .proposalUnknown)

        let report = try await fixture.client.call(MetricsSummaryRequest())
        let acceptance = try #require(report.acceptance?.first)
        #expect(report.acceptance?.count == 1)
        #expect(acceptance.model == "m" && acceptance.strategy == "unified-diff@1" && acceptance.task == "edit")
        #expect(acceptance.proposals == 2 && acceptance.trials == 2 && acceptance.accepted == 1 && acceptance.acceptanceRate == 0.5)
        #expect(acceptance.applying == 2 && acceptance.repaired == 0)
        #expect(acceptance.builtAfterApply == 1 && acceptance.greenAfterApply == 1, "the applied proposal kept the build green")
        let metrics = try await offload { try fixture.daemon.run(["metrics"]) }
        #expect(metrics.stdout.contains("proposals (edit/feedback)") && metrics.stdout.contains("50.0%"), "\(metrics.stdout)")

        let store = try AidStore(path: fixture.daemon.paths.databaseFile)
        let records = EditRecords(store: store)
        let proposal = try #require(try records.proposal(id: first.proposalId))
        #expect(proposal.workspace == fixture.workspace.root && proposal.diff == first.diff && proposal.applies && proposal.model == "m")
        #expect(proposal.promptHash.count == 64 && !proposal.diff.isEmpty)
        #expect(try records.feedback(proposalId: first.proposalId).map(\.outcome) == ["accepted"])
        #expect(try records.feedback(proposalId: second.proposalId).map(\.comment) == ["not needed"])
        let applies = try records.applies(proposalId: first.proposalId)
        #expect(applies.count == 1 && applies[0].dryRun == false && applies[0].errorCode == nil)
        let changes = try await store.database.read { db in
            try AppliedChangeRecord.filter(Column("proposalId") == first.proposalId).fetchAll(db)
        }
        #expect(changes.count == 1 && changes[0].source == "edit/apply")
        #expect(changes[0].buildRunId != nil, "the apply is linked to the build that ran after it")
        await fixture.cleanUp()
    }

    @Test func cancellingAProposalClosesTheUpstreamStream() async throws {
        let fixture = try await EditFixture.start(files: ["calc.py": Self.calc])
        fixture.server.enqueue(.events(FakeWire.openAIEvents(["Looking at `add`", " now"]), stallAfter: 2))
        let answered = Slot<Result<JSONValue, RPCClientError>>()
        let params = try JSONCoding.jsonValue(EditProposeRequest(prompt: "Fix add", file: "calc.py", streamToken: "c"))
        let id = fixture.client.send(method: EditProposeRequest.method, params: params) { answered.set($0) }
        #expect(await fixture.inbox.wait(for: EditDeltaNotification.method))
        fixture.client.cancel(id: id)
        #expect(await fixture.server.waitForAbandonedResponses(1, timeout: .seconds(10)), "the daemon closes the upstream connection")
        _ = try await fixture.client.call(DaemonStatusRequest())
        if case .failure(.response(let error))? = answered.current {
            #expect(error.code == .requestCancelled)
        } else {
            Issue.record("expected -32800, got \(String(describing: answered.current))")
        }
        #expect(fixture.server.requests.count == 1, "no repair round after a cancel")
        await fixture.cleanUp()
    }

    @Test func contextPreviewListsItemsWithTokenCountsAndReportsTheColdIndex() async throws {
        let fixture = try await EditFixture.start(files: [
            "calc.py": Self.calc, "test_calc.py": "import unittest\nfrom calc import add\n\n\nclass T(unittest.TestCase):\n    def test_add(self):\n        self.assertEqual(add(2, 3), 5)\n",
        ])
        let preview = try await fixture.client.call(ContextPreviewRequest(
            prompt: "Fix add", file: "calc.py", cursor: EditorPosition(line: 1, character: 0), workDoneToken: "idx"))
        #expect(preview.model == "m" && preview.strategy == "unified-diff@1")
        #expect(preview.budgetTokens == 32000 - 4096)
        #expect(preview.items.contains { $0.provider == "prompt" })
        #expect(preview.items.contains { $0.provider == "cursor" && $0.path == "calc.py" })
        #expect(preview.items.allSatisfy { $0.tokens > 0 && !$0.reason.isEmpty && !$0.title.isEmpty })
        #expect(preview.totalTokens >= preview.items.reduce(0) { $0 + $1.tokens })
        #expect(fixture.server.requests.isEmpty, "a preview calls no model")
        let progress = fixture.inbox.params(ProgressNotification.method).filter { $0["token"] == "idx" }
        #expect(progress.first?["value"]?["kind"] == "begin" && progress.last?["value"]?["kind"] == "end", "\(progress)")
        // daemon/status shows the index, and its updates once a written file is taken in.
        let index = try #require(try await fixture.client.call(DaemonStatusRequest()).indexes?.first)
        #expect(index.state == "ready" && index.files == 2 && index.lines >= 9 && index.buildSeconds != nil, "\(index)")
        try fixture.workspace.write("util.py", "def twice(x):\n    return 2 * x\n")
        let updated = try await fixture.index { $0.files >= 3 && $0.updates >= 1 }
        #expect(updated.files == 3 && updated.lines > index.lines && updated.updates >= 1 && updated.lastUpdateMilliseconds != nil, "\(updated)")
        await fixture.cleanUp()
    }

    @Test func askAndContextCommandsStreamTheAnswerPrintTheDiffAndListTheItems() async throws {
        let fixture = try await EditFixture.start(files: [:])
        // The commands work in the current directory: the test daemon's own.
        try fixture.daemon.directory.write("calc.py", Self.calc)
        let context = try await offload { try fixture.daemon.run(["context", "Fix add", "--file", "calc.py", "--line", "2"]) }
        #expect(context.status == 0, "\(context.stderr)")
        #expect(context.stdout.contains("cursor") && context.stdout.contains("calc.py") && context.stdout.contains("of 27904 tokens"), "\(context.stdout)")
        fixture.answer(Self.calcFix)
        let ask = try await offload { try fixture.daemon.run(["ask", "Fix add", "--file", "calc.py", "--line", "2", "--apply"]) }
        #expect(ask.status == 0, "\(ask.stderr)")
        #expect(ask.stdout.contains("`add` subtracts") && ask.stdout.contains("+    return a + b") && ask.stdout.contains("Applied to calc.py"), "\(ask.stdout)")
        #expect(!ask.stdout.contains("\u{1B}["), "no colours when standard output is not a terminal")
        #expect(try String(contentsOfFile: fixture.daemon.directory.file("calc.py"), encoding: .utf8) == "def add(a, b):\n    return a + b\n")
        fixture.answer("No.")
        fixture.answer("Still no.")
        let refused = try await offload { try fixture.daemon.run(["ask", "Break it", "--json"]) }
        #expect(refused.status == 1)
        #expect(try JSONParser.parse(refused.stdout)["proposal"]?["applies"] == false, "\(refused.stdout)")
        await fixture.cleanUp()
    }

    @Test func chatSendStreamsAndTurnsDiffsInTheAnswerIntoProposals() async throws {
        let fixture = try await EditFixture.start(files: ["calc.py": Self.calc])
        fixture.answer(Self.calcFix)
        let reply = try await fixture.client.call(ChatSendRequest(message: "Why does 2 + 3 give -1?", file: "calc.py", streamToken: "chat"))
        #expect(fixture.inbox.params(ChatDeltaNotification.method).compactMap { $0["text"]?.stringValue }.joined() == reply.text)
        let proposal = try #require(reply.proposals.first)
        #expect(reply.proposals.count == 1 && proposal.applies && proposal.strategy == "chat@1")
        #expect(proposal.files.first?.path == "calc.py" && proposal.files.first?.newText == "def add(a, b):\n    return a + b\n")

        fixture.answer("You're welcome.")
        let next = try await fixture.client.call(ChatSendRequest(message: "Thanks", conversationId: reply.conversationId))
        #expect(next.conversationId == reply.conversationId && next.proposals.isEmpty)
        #expect(fixture.upstreamText(1).contains("Why does 2 + 3 give -1?") && fixture.upstreamText(1).contains("`add` subtracts"),
                "the second turn carries the first")
        let applied = try await fixture.client.call(EditApplyRequest(proposalId: proposal.proposalId))
        #expect(applied.applied && fixture.workspace.read("calc.py") == "def add(a, b):\n    return a + b\n")
        await fixture.cleanUp()
    }

    /// A restart rolls out an update: the conversation the developer is in goes on after it.
    @Test func aChatConversationGoesOnAfterARestart() async throws {
        let fixture = try await EditFixture.start(files: ["calc.py": Self.calc])
        fixture.answer("`add` subtracts its arguments.")
        let first = try await fixture.client.call(ChatSendRequest(message: "Why does 2 + 3 give -1?", file: "calc.py"))
        let restart = try await fixture.client.call(DaemonRestartRequest())
        #expect(restart.accepted)
        try await offload {
            try waitUntil("the next generation answers") { (try? fixture.client.call(DaemonStatusRequest()))?.generation == 1 }
        }
        fixture.answer("You're welcome.")
        let next = try await fixture.client.call(ChatSendRequest(message: "Thanks", conversationId: first.conversationId))
        #expect(next.conversationId == first.conversationId)
        #expect(fixture.upstreamText(1).contains("Why does 2 + 3 give -1?") && fixture.upstreamText(1).contains("`add` subtracts"),
                "the turn after the restart carries the one before it")
        await fixture.cleanUp()
    }
}
