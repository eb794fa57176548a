/// Answers from recordings made earlier (see `ReplayStore`), streamed chunk by chunk exactly as
/// recorded. Needs no network and no key; the model's `replayDirectory` names the directory.
public struct ReplayProvider: ModelProvider {
    public init() {}

    public func stream(_ call: ProviderCall, emit: (ModelEvent) async throws -> Void) async throws {
        guard let directory = call.model.replayDirectory else {
            throw ModelError(.configuration, "a replay model needs replay_dir", model: call.model.id)
        }
        let store = ReplayStore(directory: directory)
        guard let events = try store.load(call.request) else {
            throw ModelError(.replayMissing, "no recording for this request (key \(ReplayStore.key(for: call.request))) in \(store.directory.path); record it first by running with a real model and recording enabled", model: call.model.id)
        }
        for event in events {
            try Task.checkCancellation()
            call.activity.noteEvent()
            try await emit(event)
        }
        guard case .done = events.last else {
            throw ModelError(.brokenStream, "the recording \(store.fileURL(for: call.request).path) ends before its answer finished; record it again", model: call.model.id)
        }
    }
}
