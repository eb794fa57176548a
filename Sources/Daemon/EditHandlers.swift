import AidProtocol
import JSONRPC

/// The main job's methods: `edit/*`, `chat/send`, `context/preview`.
enum EditHandlers {
    static func register(in table: inout MethodTable, edits: EditService) {
        table.register(EditProposeRequest.self) { request, context in
            try await edits.propose(request, context: context)
        }
        table.register(EditApplyRequest.self) { request, context in
            try edits.apply(request, context: context)
        }
        table.register(EditFeedbackRequest.self) { request, context in
            try edits.feedback(request, context: context)
        }
        table.register(ChatSendRequest.self) { request, context in
            try await edits.chat(request, context: context)
        }
        table.register(ContextPreviewRequest.self) { request, context in
            try await edits.preview(request, context: context)
        }
    }
}
