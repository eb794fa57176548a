import AidProtocol
import ArgumentParser
import Foundation
import JSONRPC

struct AskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Describe a change; get a streamed, checked diff for the workspace (the current directory).",
        discussion: """
            Sends edit/propose: the daemon gathers the context, asks the edit route's model, streams \
            its answer here, checks that the diff applies (one repair round if it does not), and this \
            prints the diff. --apply then writes it (all files or none). Exit status: 0 when the diff \
            applies (and, with --apply, was written), 1 otherwise.
            Example: aid ask "Make add handle None" --file calc.py --line 2
            """)

    @Argument(help: "What should change.")
    var prompt: String

    @OptionGroup var editor: EditorStateOptions

    @Option(help: "A model id to use instead of the edit route.")
    var model: String?

    @Option(help: "unified-diff, search-replace or whole-file.")
    var strategy: String?

    @Flag(help: "Write the diff to the files when it applies.")
    var apply = false

    @Flag(help: "Print the edit/propose result (and the edit/apply result) as JSON, without streaming.")
    var json = false

    func run() throws {
        let client = try CLI.connect()
        defer { client.close() }
        let request = EditProposeRequest(prompt: prompt, file: editor.absoluteFile, cursor: editor.cursor, model: model, strategy: strategy)
        let proposal: Proposal
        do {
            proposal = try ProposalPrinting.propose(request, client: client, stream: !json)
        } catch RPCClientError.response(let error) {
            throw CLI.fail("\(error.message) (\(error.code.rawValue))")
        }
        var applied: EditApplyResult?
        if apply, proposal.applies {
            do {
                applied = try client.call(EditApplyRequest(proposalId: proposal.proposalId))
            } catch RPCClientError.response(let error) {
                throw CLI.fail("the diff could not be written: \(error.message)")
            }
        }
        if json {
            var output: [String: JSONValue] = ["proposal": try JSONCoding.jsonValue(proposal)]
            if let applied { output["apply"] = try JSONCoding.jsonValue(applied) }
            CLI.printJSON(.object(output))
        } else {
            print("")
            if !proposal.diff.isEmpty { print(ProposalPrinting.coloured(proposal.diff), terminator: proposal.diff.hasSuffix("\n") ? "" : "\n") }
            print(ProposalPrinting.dim(ProposalPrinting.summary(proposal)))
            if let applyError = proposal.applyError { print("The diff does not apply: \(applyError)") }
            if let applied { print("Applied to \(applied.files.map(\.path).joined(separator: ", ")).") }
        }
        guard proposal.applies else { throw ExitCode(1) }
    }
}
