import Foundation
import Models

/// The demo's sample: a tiny Python project whose unit test fails because of a real bug, and
/// the recorded model answer that fixes it (replayed, so the demo needs no network and no key).
enum DemoProject {
    static let files: [String: String] = [
        "calc.py": """
            \"\"\"A tiny calculator.\"\"\"


            def add(a, b):
                \"\"\"Return the sum of a and b.\"\"\"
                return a - b


            def average(values):
                \"\"\"Return the arithmetic mean of values.\"\"\"
                total = 0
                for value in values:
                    total = add(total, value)
                return total / len(values)

            """,
        "test_calc.py": """
            import unittest

            from calc import add, average


            class CalcTests(unittest.TestCase):
                def test_add(self):
                    self.assertEqual(add(2, 3), 5)

                def test_average(self):
                    self.assertEqual(average([1, 2, 3, 4]), 2.5)


            if __name__ == "__main__":
                unittest.main()

            """,
        "README.md": "# calc\n\nA tiny calculator, the sample project of `aid demo`. Run its tests with `python3 -m unittest -v`.\n",
    ]

    /// The file the request is about, and the (1-based) line of the bug.
    static let file = "calc.py"
    static let line = 6

    /// What the demo asks for.
    static let prompt = "The unit tests fail: add(2, 3) returns -1 instead of 5. Fix the bug."

    /// The model's answer the demo replays: an explanation and a unified diff that fixes the bug.
    static let answer = "`add` subtracts its second argument instead of adding it, so `add(2, 3)` gives -1 and "
        + "`average`, which sums with `add`, goes wrong too. Adding fixes both tests.\n\n"
        + "```diff\n" + [
            "--- a/calc.py",
            "+++ b/calc.py",
            "@@ -3,6 +3,6 @@",
            " ",
            " def add(a, b):",
            "     \"\"\"Return the sum of a and b.\"\"\"",
            "-    return a - b",
            "+    return a + b",
            " ",
            " ",
        ].joined(separator: "\n") + "\n```\n"

    /// Writes the project into `directory`.
    static func write(into directory: String) throws {
        for (path, text) in files {
            try text.write(toFile: directory + "/" + path, atomically: true, encoding: .utf8)
        }
    }

    /// Records ``answer`` in `replayDirectory` as the answer to any request, streamed in pieces
    /// of a few words as a model would send it.
    static func recordAnswer(in replayDirectory: String) throws {
        var pieces: [String] = []
        var piece = ""
        for character in answer {
            piece.append(character)
            if character == " " || character == "\n", piece.count >= 12 {
                pieces.append(piece)
                piece = ""
            }
        }
        if !piece.isEmpty { pieces.append(piece) }
        let events: [ModelEvent] = pieces.map { .delta($0) }
            + [.usage(Usage(inputTokens: 900, outputTokens: 120)), .done(.stop)]
        try ReplayStore(directory: replayDirectory).saveFallback(events: events)
    }

    /// The configuration of the demo's own daemon: one replay model serving every task.
    static func configuration(replayDirectory: String) -> String {
        """
        # The configuration of `aid demo`'s own daemon: answers are replayed from recordings.
        [models.demo-replay]
        provider = "replay"
        replay_dir = "\(replayDirectory)"

        [routes]
        default = ["demo-replay"]

        """
    }
}
