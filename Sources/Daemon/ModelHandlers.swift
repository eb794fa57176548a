import AidProtocol
import JSONRPC

/// The `models/*` and `metrics/*` methods.
enum ModelHandlers {
    static func register(in table: inout MethodTable, models: ModelService) {
        table.registerImmediate(ModelsListRequest.self) { _, _ in models.listing() }
        // A model call waits on the network: served on the connection's loop, its streamed
        // deltas are written with no hop between threads.
        table.register(ModelsCompleteRequest.self, onEventLoop: true) { request, context in
            try await models.complete(request, context: context)
        }
        table.register(MetricsSummaryRequest.self) { request, _ in
            try await models.summary(request)
        }
    }
}
