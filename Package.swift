// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Aid",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "aid", targets: ["aid"]),
        .executable(name: "aid-fake-model", targets: ["aid-fake-model"]),
        .library(name: "AidProtocol", targets: ["AidProtocol"]),
        .library(name: "JSONRPC", targets: ["JSONRPC"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .target(name: "AidProtocol"),
        .target(name: "JSONRPC", dependencies: [
            "AidProtocol",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "AidStore", dependencies: [
            "AidProtocol", "Models",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "AidConfig", dependencies: [
            "AidProtocol", "Models",
            .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        .target(name: "Daemon", dependencies: [
            "AidProtocol", "JSONRPC", "AidStore", "AidConfig", "Builds", "Models", "Context", "Prompts", "Diffs", "FileWatching",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        .executableTarget(name: "aid", dependencies: [
            "Daemon", "JSONRPC", "AidProtocol", "AidConfig", "Models",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], exclude: ["startup.order"], linkerSettings: releaseLinkerSettings),
        .target(name: "Models", dependencies: [
            "AidProtocol",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Histogram", package: "hdrhistogram-swift"),
        ]),
        .target(name: "ModelsTestSupport", dependencies: [
            "Models",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "aid-fake-model", dependencies: [
            "ModelsTestSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "ModelsTests", dependencies: [
            "Models", "ModelsTestSupport", "AidProtocol",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .target(name: "Context", dependencies: [
            "FileWatching",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "ContextTests", dependencies: [
            "Context", "AidTestSupport",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .target(name: "Diffs"),
        .target(name: "Prompts", dependencies: ["Diffs"]),
        .testTarget(name: "PromptsTests", dependencies: ["Prompts", "Diffs"]),
        .target(name: "BuildDiagnostics"),
        .target(name: "FileWatching"),
        .target(name: "Builds", dependencies: [
            "BuildDiagnostics", "FileWatching", "AidStore", "AidProtocol", "AidConfig",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "DiffsTests", dependencies: ["Diffs"]),
        .testTarget(name: "BuildDiagnosticsTests", dependencies: ["BuildDiagnostics"], resources: [.copy("Fixtures")]),
        .testTarget(name: "FileWatchingTests", dependencies: ["FileWatching"]),
        .testTarget(name: "BuildsTests", dependencies: [
            "Builds", "BuildDiagnostics", "FileWatching", "AidStore", "AidProtocol", "AidConfig", "AidTestSupport", "JSONRPC",
            .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "AidBench", dependencies: ["Daemon", "JSONRPC", "AidProtocol", "Diffs"]),
        .target(name: "AidTestSupport", dependencies: ["Daemon", "JSONRPC", "AidProtocol"]),
        .testTarget(name: "JSONRPCTests", dependencies: [
            "JSONRPC", "AidProtocol", "AidTestSupport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "AidStoreTests", dependencies: ["AidStore", "AidProtocol", "AidTestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "AidConfigTests", dependencies: ["AidConfig", "AidTestSupport"]),
        .testTarget(name: "DaemonTests", dependencies: [
            "Daemon", "JSONRPC", "AidProtocol", "AidStore", "AidTestSupport", "Models", "ModelsTestSupport",
            .product(name: "GRDB", package: "GRDB.swift"), .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
    ]
)

/// How a release `aid` is linked on Linux: the daemon is one long-running process per user, so
/// what it maps matters more than how long the link takes.
/// - `-static-stdlib`: the Swift runtime and Foundation are linked in, so only the code the
///   daemon calls is mapped (their shared libraries are mapped and relocated whole) and an
///   installed `aid` needs no Swift libraries beside it.
/// - lld (shipped with the Swift toolchain) with `pack-relative-relocs`: relative relocations in
///   compact RELR form, which the loader reads in a fraction of the pages.
/// - `--no-export-dynamic`: `-static-stdlib` exports every symbol of the executable, which the
///   loader then consults for every symbol it binds; nothing looks `aid`'s symbols up at run time.
/// - `--symbol-ordering-file`: the code a daemon runs to start and answer lies together at the
///   front of `.text` (`Sources/aid/startup.order`, regenerated by
///   `Tests/Benchmarks/startup-order.sh`), so the kernel's 64 KiB fault-around maps a few
///   contiguous MiB instead of a window per function scattered over 28 MiB.
/// Measured on the idle daemon (AidBench's RSS line): 36-37 MiB linked the default way; static
/// with gold 32-33; with lld 31; packed relocations or no exported symbols each save about 3 more,
/// both 28; the ordering 23. Folding identical code (`--icf`) changed nothing measurable and is
/// left out.
/// Debug builds (the tests) link the default way.
var releaseLinkerSettings: [LinkerSetting] {
    [.unsafeFlags([
        "-static-stdlib", "-use-ld=lld",
        "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
        "-Xlinker", "--no-export-dynamic",
        "-Xlinker", "--symbol-ordering-file=\(packageDirectory)/Sources/aid/startup.order",
        "-Xlinker", "--no-warn-symbol-ordering",
        // What Foundation's static libraries need beside them; a build with
        // `--static-swift-stdlib` finds these through the static modules' link directives.
        "-lCoreFoundation", "-l_FoundationCShims", "-l_FoundationCollections", "-l_FoundationICU",
    ], .when(platforms: [.linux], configuration: .release))]
}

/// The directory of this manifest, for the paths the linker is given.
var packageDirectory: String {
    String(#filePath.dropLast("/Package.swift".count))
}
