/// `edit/propose`: asks the model for a change to the workspace, streamed as `edit/delta`, and
/// answers with a checked multi-file ``Proposal``.
public struct EditProposeRequest: RPCRequest, EditorStateParams {
    public static let method = "edit/propose"
    public typealias Result = Proposal

    /// What should change.
    public var prompt: String
    public var workspaceRoot: String?
    public var file: String?
    public var cursor: EditorPosition?
    public var selection: EditorRange?
    public var buffers: [EditorBuffer]?
    /// A model id to use instead of the `edit` route; no experiment applies then.
    public var model: String?
    /// `unified-diff`, `search-replace` or `whole-file` (optionally `@version`); default: the
    /// experiment arm's strategy, else `unified-diff`.
    public var strategy: String?
    /// The token `edit/delta` notifications carry (default: this request's id).
    public var streamToken: JSONValue?
    /// When given, a cold workspace index reports its progress as `$/progress` with this token.
    public var workDoneToken: JSONValue?

    public init(prompt: String, workspaceRoot: String? = nil, file: String? = nil, cursor: EditorPosition? = nil,
                selection: EditorRange? = nil, buffers: [EditorBuffer]? = nil, model: String? = nil, strategy: String? = nil,
                streamToken: JSONValue? = nil, workDoneToken: JSONValue? = nil) {
        self.prompt = prompt
        self.workspaceRoot = workspaceRoot
        self.file = file
        self.cursor = cursor
        self.selection = selection
        self.buffers = buffers
        self.model = model
        self.strategy = strategy
        self.streamToken = streamToken
        self.workDoneToken = workDoneToken
    }
}
