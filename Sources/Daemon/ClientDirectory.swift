import AidProtocol
import JSONRPC
import Synchronization

/// Which initialized client works in which workspace, kept up to date as clients initialize and
/// disconnect, so that `daemon/status` takes one lock and builds nothing per connection.
final class ClientDirectory: RPCServerObserver {
    private struct State {
        var clients: [UInt64: RPCConnection.ClientInfo] = [:]
        /// Sorted by root, each root's clients by name; rebuilt on every change.
        var workspaces: [DaemonStatus.Workspace] = []
    }
    private let state = Mutex(State())

    /// Records what `connection` said about itself in `initialize` (again: the newest wins).
    func initialized(_ connection: RPCConnection, as info: RPCConnection.ClientInfo) {
        connection.clientInfo = info
        state.withLock { state in
            state.clients[connection.id] = info
            state.workspaces = Self.workspaces(of: state.clients.values)
        }
    }

    /// The workspaces of the connected clients.
    var workspaces: [DaemonStatus.Workspace] { state.withLock { $0.workspaces } }

    func connectionOpened(_ connection: RPCConnection) {}

    func connectionClosed(_ connection: RPCConnection) {
        state.withLock { state in
            guard state.clients.removeValue(forKey: connection.id) != nil else { return }
            state.workspaces = Self.workspaces(of: state.clients.values)
        }
    }

    func requestCompleted(_ record: RequestRecord) {}

    private static func workspaces(of clients: some Sequence<RPCConnection.ClientInfo>) -> [DaemonStatus.Workspace] {
        var byRoot: [String: [String]] = [:]
        for info in clients {
            guard let root = info.workspaceRoot else { continue }
            byRoot[root, default: []].append(info.name)
        }
        return byRoot.keys.sorted().map { DaemonStatus.Workspace(root: $0, clients: byRoot[$0]!.sorted()) }
    }
}
