// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "stock",
    products: [
        .executable(name: "stock", targets: ["stock"]),
        .executable(name: "stock-bench", targets: ["stock-bench"]),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        // libpq's header; its functions come from CPostgresLoader, which loads libpq.so.5 only when a server is
        // named, so a run on SQLite does not load it and the libraries it needs.
        .systemLibrary(name: "CPostgres", providers: [.apt(["libpq-dev"])]),
        .target(name: "CPostgresLoader", linkerSettings: [.linkedLibrary("dl")]),
        .systemLibrary(name: "CWideChar"),
        .target(name: "Allocation", dependencies: ["CSQLite", "CPostgres", "CPostgresLoader", "CWideChar"]),
        .systemLibrary(name: "CNcurses", providers: [.apt(["libncurses-dev"])]),
        .target(name: "Console", dependencies: ["Allocation", "CNcurses"]),
        .executableTarget(name: "stock", dependencies: ["Allocation", "Console"]),
        .target(name: "CBaseline", dependencies: ["CSQLite"]),
        .executableTarget(name: "stock-bench", dependencies: ["Allocation", "CBaseline", "CSQLite", "Console"]),
        .target(name: "TestSupport", dependencies: ["Allocation"], path: "Tests/TestSupport"),
        .testTarget(name: "AllocationTests", dependencies: ["Allocation", "TestSupport"]),
        .testTarget(
            name: "ConsoleTests", dependencies: ["Console", "Allocation", "TestSupport"], exclude: ["Snapshots"]),
        .testTarget(
            name: "EndToEndTests", dependencies: ["Allocation", "TestSupport", "stock"], exclude: ["Fixtures"]),
    ]
)
