import Foundation

/// What a daemon passes to the binary it re-executes on restart, through the environment:
/// the listening socket and the lock (as inherited descriptors), the generation, and when the
/// daemon was first started.
public struct Handover: Sendable, Equatable {
    public var listeningDescriptor: CInt
    public var lockDescriptor: CInt
    public var generation: Int
    public var startedAt: String
    public var executablePath: String

    static let keys = (listen: "AID_LISTEN_FD", lock: "AID_LOCK_FD", generation: "AID_GENERATION",
                       startedAt: "AID_STARTED_AT", executable: "AID_EXECUTABLE")

    public init(listeningDescriptor: CInt, lockDescriptor: CInt, generation: Int, startedAt: String, executablePath: String) {
        self.listeningDescriptor = listeningDescriptor
        self.lockDescriptor = lockDescriptor
        self.generation = generation
        self.startedAt = startedAt
        self.executablePath = executablePath
    }

    /// The handover left by the previous binary, if this process was started by a restart.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Handover? {
        guard let listen = environment[keys.listen].flatMap(CInt.init),
              let lock = environment[keys.lock].flatMap(CInt.init),
              let generation = environment[keys.generation].flatMap(Int.init),
              let startedAt = environment[keys.startedAt],
              let executable = environment[keys.executable] else { return nil }
        return Handover(listeningDescriptor: listen, lockDescriptor: lock, generation: generation, startedAt: startedAt, executablePath: executable)
    }

    /// Removes the handover variables so that child processes do not see them.
    public static func clearEnvironment() {
        for key in [keys.listen, keys.lock, keys.generation, keys.startedAt, keys.executable] { unsetenv(key) }
    }

    /// Sets the variables for the next binary.
    func export() {
        setenv(Self.keys.listen, String(listeningDescriptor), 1)
        setenv(Self.keys.lock, String(lockDescriptor), 1)
        setenv(Self.keys.generation, String(generation), 1)
        setenv(Self.keys.startedAt, startedAt, 1)
        setenv(Self.keys.executable, executablePath, 1)
    }
}
