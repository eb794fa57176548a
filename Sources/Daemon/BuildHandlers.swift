import AidProtocol
import JSONRPC

/// The `build/*` methods.
enum BuildHandlers {
    static func register(in table: inout MethodTable, builds: BuildService) {
        table.register(BuildStatusRequest.self) { request, context in
            let monitor = try builds.monitor(for: request.workspaceRoot, connection: context.connection, method: BuildStatusRequest.method)
            return WorkspaceBuildStatus(workspaceRoot: monitor.root, status: await monitor.status)
        }
        table.register(BuildRunRequest.self) { request, context in
            let monitor = try builds.monitor(for: request.workspaceRoot, connection: context.connection, method: BuildRunRequest.method)
            let status = await monitor.runNow(wait: request.wait ?? true)
            return WorkspaceBuildStatus(workspaceRoot: monitor.root, status: status)
        }
    }
}
