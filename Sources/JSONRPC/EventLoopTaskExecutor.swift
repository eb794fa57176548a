import NIOCore

/// Runs Swift tasks on a NIO event loop. A request whose handler is quick runs where its frame
/// was read: no hop to the cooperative pool and back, which on a loaded machine costs more than
/// the handler itself.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) { self.eventLoop = eventLoop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        eventLoop.execute { job.runSynchronously(on: executor) }
    }
}
