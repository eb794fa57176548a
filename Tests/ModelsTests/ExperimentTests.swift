import Models
import ModelsTestSupport
import Testing

@Suite struct ExperimentTests {
    private let experiment = ExperimentDefinition(
        name: "edit-model", tasks: ["edit"],
        arms: [
            ExperimentArm(name: "control", weight: 50),
            ExperimentArm(name: "claude", weight: 30, model: "b", strategy: "whole-file"),
            ExperimentArm(name: "diff", weight: 20, strategy: "unified-diff"),
        ])

    @Test func tenThousandUsersSplitByWeightAndStayInTheirArm() {
        var counts: [String: Int] = [:]
        var first: [String: String] = [:]
        for index in 0..<10_000 {
            let user = "user-\(index)@example.com"
            let arm = ExperimentAssigner.arm(for: user, in: experiment)!.name
            counts[arm, default: 0] += 1
            first[user] = arm
        }
        let share = counts.mapValues { Double($0) / 10_000 }
        #expect(abs(share["control", default: 0] - 0.5) < 0.03)
        #expect(abs(share["claude", default: 0] - 0.3) < 0.03)
        #expect(abs(share["diff", default: 0] - 0.2) < 0.03)
        // Sticky: asking again, in another order, gives every user the same arm.
        for index in (0..<10_000).reversed() {
            let user = "user-\(index)@example.com"
            #expect(ExperimentAssigner.arm(for: user, in: experiment)?.name == first[user])
        }
    }

    @Test func experimentsSplitIndependently() {
        var other = experiment
        other.name = "prompt-style"
        var same = 0
        for index in 0..<2000 {
            let user = "u\(index)"
            let inFirst = ExperimentAssigner.bucket(user: user, experiment: experiment.name) < 0.5
            let inSecond = ExperimentAssigner.bucket(user: user, experiment: other.name) < 0.5
            if inFirst == inSecond {
                same += 1
            }
        }
        // Independent halves agree about half the time.
        #expect(abs(Double(same) / 2000 - 0.5) < 0.05)
    }

    @Test func onlyEnabledExperimentsForTheTaskApply() {
        var disabled = experiment
        disabled.enabled = false
        #expect(ExperimentAssigner.assignment(task: "edit", user: "u", experiments: [disabled]) == nil)
        #expect(ExperimentAssigner.assignment(task: "chat", user: "u", experiments: [experiment]) == nil)
        let assignment = ExperimentAssigner.assignment(task: "edit", user: "u", experiments: [experiment])
        #expect(assignment?.experiment == "edit-model")
        #expect(assignment?.userHash.count == 16)
        #expect(assignment?.userHash.contains("u") == false)
    }

    @Test func theArmsModelGoesFirstAndRecordsCarryTheArm() async throws {
        let a = try await FakeModelServer.start()
        let b = try await FakeModelServer.start()
        a.answerWhenIdle(.events(FakeWire.openAIEvents(["a"])))
        b.answerWhenIdle(.events(FakeWire.openAIEvents(["b"])))
        let records = ModelCallCollector()
        let gateway = makeGateway([fakeModel("a", server: a), fakeModel("b", server: b)], experiments: [experiment], observer: records)
        // Find one user in the arm with a model and one in the control arm.
        let users = (0..<200).map { "dev-\($0)" }
        let armUser = try #require(users.first { gateway.assignment(task: "edit", userID: $0)?.arm.name == "claude" })
        let controlUser = try #require(users.first { gateway.assignment(task: "edit", userID: $0)?.arm.name == "control" })

        let plan = try gateway.plan(for: editRequest(), options: CallOptions(requestID: "p", userID: armUser))
        #expect(plan.models == ["b", "a"])
        let armResult = try await gateway.complete(editRequest(strategy: "whole-file"), options: CallOptions(requestID: "1", userID: armUser))
        #expect(armResult.text == "b")
        let controlResult = try await gateway.complete(editRequest(), options: CallOptions(requestID: "2", userID: controlUser))
        #expect(controlResult.text == "a")
        let noUser = try await gateway.complete(editRequest(), options: CallOptions(requestID: "3"))
        #expect(noUser.text == "a")
        #expect(records.records.map { $0.arm } == ["claude", "control", nil])
        #expect(records.records.map { $0.experiment } == ["edit-model", "edit-model", nil])
        #expect(records.records[0].userHash == ExperimentAssigner.userHash(armUser))
        await a.shutdown()
        await b.shutdown()
    }
}
