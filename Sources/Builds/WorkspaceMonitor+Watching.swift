import AidProtocol
import FileWatching

extension WorkspaceMonitor {
    /// Where a workspace's own configuration lives; its changes reload the settings.
    static let configurationDirectory = ".aid"

    /// Subscribes to the workspace's shared watcher, skipping the build's output directories.
    func startWatching() async {
        guard !watching, !stopped else { return }
        watching = true
        watchGeneration += 1
        let generation = watchGeneration
        let directories = (settings.plan?.outputDirectories ?? []) + options.ignoredDirectories
        watchedOutputDirectories = directories
        let matcher = BuildIgnoreMatcher(root: root, directories: directories)
        do {
            let watcher = try await options.fileWatchers.subscribe(root: root, matcher: matcher)
            guard !stopped, generation == watchGeneration else {
                watcher.cancel()
                return
            }
            self.watcher = watcher
            let statistics = watcher.statistics
            let milliseconds = Int(Self.seconds(statistics.setupDuration) * 1000)
            options.logger.info("Watching \(root): \(statistics.watchedDirectories) directories, set up in \(milliseconds) ms.")
            onEvent(.watching(statistics))
            startReceiving(from: watcher)
        } catch {
            if generation == watchGeneration { watching = false }
            watchWarning = "files are not watched, so builds run only on request: \(error)"
            options.logger.warning("Cannot watch \(root): \(error)")
            onEvent(.watchWarning(watchWarning!))
            return
        }
    }

    private func startReceiving(from watcher: FileWatchSubscription) {
        let events = watcher.events
        let warnings = watcher.warnings
        Task { [weak self] in
            for await event in events { await self?.handle(event) }
        }
        Task { [weak self] in
            for await warning in warnings { await self?.handle(warning) }
        }
    }

    /// Stops the watcher, or the set-up of one in progress.
    func stopWatching() {
        watcher?.cancel()
        watcher = nil
        watching = false
        watchGeneration += 1
    }

    func handle(_ event: FileWatchEvent) {
        guard !stopped else { return }
        switch event {
        case .changes(let changes):
            var paths: [String] = []
            var configurationChanged = false
            for change in changes {
                for path in [change.relativePath, change.previousPath].compactMap({ $0 }) {
                    if path == Self.configurationDirectory || path.hasPrefix(Self.configurationDirectory + "/") {
                        if path == Self.configurationDirectory || path == Self.configurationDirectory + "/config.toml" {
                            configurationChanged = true
                        }
                        continue
                    }
                    paths.append(path)
                }
            }
            if configurationChanged {
                reloadSettings()
                paths.append(".aid/config.toml")
            }
            guard !paths.isEmpty else { return }
            onEvent(.changesReceived(paths))
            schedule(PendingTrigger(reason: .change, paths: paths))
        case .rescanNeeded(let reason):
            options.logger.notice("Events for \(root) were lost (\(reason)); building again.")
            schedule(PendingTrigger(reason: .rescan))
        }
    }

    func handle(_ warning: FileWatchWarning) {
        options.logger.warning("Watching \(root): \(warning.message)")
        if warning.kind != .directoryNotWatched { watchWarning = warning.message }
        onEvent(.watchWarning(warning.message))
    }

    /// Reads the settings again (when a loader was given) and applies what changed: a new
    /// command applies from the next build; new output directories restart the watcher.
    func reloadSettings() {
        guard let load = options.loadSettings, !stopped else { return }
        let fresh = load(root)
        guard fresh != settings else { return }
        settings = fresh
        options.logger.info("Build settings of \(root) changed: \(fresh.plan?.command ?? fresh.unavailableReason ?? "no command").")
        onEvent(.settingsChanged(fresh))
        if fresh.plan == nil {
            stopWatching()
            var next = status
            next.state = current == nil ? .unknown : next.state
            next.command = nil
            next.buildSystem = nil
            next.message = Self.combine(fresh.unavailableReason, fresh.configurationProblem)
            publish(next)
            return
        }
        let directories = (fresh.plan?.outputDirectories ?? []) + options.ignoredDirectories
        if watching, directories != watchedOutputDirectories {
            stopWatching()
            Task { await self.startWatching() }
        }
    }
}
