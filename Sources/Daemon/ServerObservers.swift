import JSONRPC

/// Passes the server's events to several observers, in order.
struct ServerObservers: RPCServerObserver {
    let members: [any RPCServerObserver]

    func connectionOpened(_ connection: RPCConnection) {
        for member in members { member.connectionOpened(connection) }
    }

    func connectionClosed(_ connection: RPCConnection) {
        for member in members { member.connectionClosed(connection) }
    }

    func requestCompleted(_ record: RequestRecord) {
        for member in members { member.requestCompleted(record) }
    }
}
