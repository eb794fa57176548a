import AidProtocol
import Foundation
import JSONRPC

/// Showing proposals on a terminal: the answer as it streams, then the diff, coloured when
/// standard output is a terminal.
enum ProposalPrinting {
    /// Whether standard output is a terminal (and so gets colours).
    static var colours: Bool { isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil }

    /// Writes `text` to standard output at once, after what `print` buffered before it.
    static func write(_ text: String) {
        print(text, terminator: "")
        fflush(nil)  // every stream: print buffers standard output
    }

    /// Sends `request`, writing the answer to standard output as `edit/delta` brings it, and
    /// returns the proposal.
    static func propose(_ request: EditProposeRequest, client: RPCClient, stream: Bool, timeout: Duration = .seconds(900)) throws -> Proposal {
        var request = request
        let token = JSONValue.string("aid-ask-\(ProcessInfo.processInfo.processIdentifier)")
        request.streamToken = token
        if stream {
            let round = RoundTracker()
            client.onNotification { method, params in
                guard method == EditDeltaNotification.method, let params, params["token"] == token,
                      let text = params["text"]?.stringValue else { return }
                if round.enter(params["round"]?.intValue ?? 0) {
                    write(dim("\n\n[the answer did not apply; asking the model once more]\n\n"))
                }
                write(text)
            }
        }
        let proposal = try client.call(request, timeout: timeout)
        if stream, !proposal.text.hasSuffix("\n") { write("\n") }
        return proposal
    }

    /// The diff with added lines green, removed lines red, hunk headers cyan and file headers bold.
    static func coloured(_ diff: String, colours: Bool = colours) -> String {
        guard colours else { return diff }
        return diff.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            if line.hasPrefix("+++") || line.hasPrefix("---") || line.hasPrefix("diff --git") { return "\u{1B}[1m\(line)\u{1B}[0m" }
            if line.hasPrefix("@@") { return "\u{1B}[36m\(line)\u{1B}[0m" }
            if line.hasPrefix("+") { return "\u{1B}[32m\(line)\u{1B}[0m" }
            if line.hasPrefix("-") { return "\u{1B}[31m\(line)\u{1B}[0m" }
            return String(line)
        }.joined(separator: "\n")
    }

    /// `text` dimmed on a terminal.
    static func dim(_ text: String) -> String {
        colours ? "\u{1B}[2m\(text)\u{1B}[0m" : text
    }

    /// `text` bold on a terminal.
    static func bold(_ text: String) -> String {
        colours ? "\u{1B}[1m\(text)\u{1B}[0m" : text
    }

    /// One line on the proposal: files, model, strategy, timings.
    static func summary(_ proposal: Proposal) -> String {
        let files = proposal.files.map { "\($0.path) (\($0.status))" }.joined(separator: ", ")
        let timings = "context \(TextTable.milliseconds(proposal.timings.contextMs)) ms, first token \(TextTable.milliseconds(proposal.timings.firstTokenMs)) ms, total \(TextTable.milliseconds(proposal.timings.totalMs)) ms"
        return "proposal \(proposal.proposalId): \(files.isEmpty ? "no files" : files); \(proposal.model) with \(proposal.strategy)"
            + (proposal.repaired ? " after a repair round" : "") + "; \(timings)"
    }
}

/// Notices the first delta of the repair round.
final class RoundTracker: @unchecked Sendable {
    // @unchecked: written only from the client's reader thread, one notification at a time.
    private var current = 0

    /// True when `round` starts a new round.
    func enter(_ round: Int) -> Bool {
        defer { current = max(current, round) }
        return round > current
    }
}
