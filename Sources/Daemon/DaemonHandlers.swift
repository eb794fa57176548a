import AidProtocol
import Foundation
import JSONRPC

/// The methods of the daemon itself: `initialize`, `rpc.discover`, `daemon/*`.
enum DaemonHandlers {
    static func register(in table: inout MethodTable, daemon: Daemon) {
        table.registerImmediate(InitializeRequest.self) { request, context in
            daemon.clients.initialized(context.connection, as: .init(name: request.clientName, version: request.clientVersion,
                                                                    editor: request.editor, workspaceRoot: request.workspaceRoot))
            daemon.builds.attach(context.connection, workspaceRoot: request.workspaceRoot)
            context.logger.info("Client \(request.clientName) \(request.clientVersion ?? "") (\(request.editor ?? "no editor")) initialized for \(request.workspaceRoot ?? "no workspace").")
            return InitializeResult(
                serverName: "aid", serverVersion: AidVersion.current, protocolVersion: ProtocolMessages.protocolVersion,
                pid: daemon.pid, generation: daemon.generation,
                capabilities: .init(methods: daemon.methodNames, notifications: daemon.notificationNames))
        }
        table.registerImmediate(DiscoverRequest.self) { _, _ in daemon.openRPCDocument }
        table.registerImmediate(DaemonStatusRequest.self) { _, _ in daemon.status() }
        table.register(DaemonRestartRequest.self) { request, context in
            let inFlight = daemon.inFlightRequests() - 1
            context.logger.notice("Restart requested by \(context.connection.clientInfo?.name ?? "an uninitialized client") (pid \(context.connection.peerPID)).")
            daemon.requestStop(.restart, drainTimeoutMs: request.drainTimeoutMs)
            return DaemonRestartResult(accepted: true, nextGeneration: daemon.generation + 1, inFlightRequests: max(0, inFlight))
        }
        table.register(DaemonShutdownRequest.self) { request, context in
            context.logger.notice("Shutdown requested by \(context.connection.clientInfo?.name ?? "an uninitialized client") (pid \(context.connection.peerPID)).")
            daemon.requestStop(.shutdown, drainTimeoutMs: request.drainTimeoutMs)
            return Acknowledgement()
        }
    }
}
