import NIOCore

/// Runs Swift tasks on a NIO event loop. A task that prefers it runs where its connection's
/// bytes are read and written, and an HTTP call it makes prefers the same loop too
/// (`EventLoopGroup.any()` is the current loop), so a request that only waits on I/O is served
/// without a hop between threads: on a VM each hop is a wake-up that costs tens of microseconds.
/// Only for work that never blocks and takes little CPU.
public final class EventLoopExecutor: TaskExecutor {
    public let eventLoop: any EventLoop

    public init(_ eventLoop: any EventLoop) { self.eventLoop = eventLoop }

    /// The executor the current task prefers, when it runs on an event loop: tasks it starts for
    /// its own work (a model call's stream) prefer it too instead of Swift's shared pool.
    @TaskLocal public static var current: EventLoopExecutor?

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        eventLoop.execute { job.runSynchronously(on: executor) }
    }
}
