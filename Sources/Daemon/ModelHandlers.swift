import AidProtocol
import JSONRPC

/// The `models/*` and `metrics/*` methods.
enum ModelHandlers {
    static func register(in table: inout MethodTable, models: ModelService) {
        table.registerImmediate(ModelsListRequest.self) { _, _ in models.listing() }
        table.register(ModelsCompleteRequest.self) { request, context in
            try await models.complete(request, context: context)
        }
        table.register(MetricsSummaryRequest.self) { request, _ in
            try await models.summary(request)
        }
    }
}
