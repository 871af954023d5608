// swift-tools-version: 6.0
import Foundation
import PackageDescription

/// Strict settings everywhere: `any` stands out, imports are visible, and every import is internal
/// unless a module's public API really re-exports it.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// jemalloc for the release build where the system has it (Debian's `libjemalloc2`), glibc's malloc
/// otherwise: at a million messages a week glibc's costs grow faster than the messages (pages faulted in
/// again each week, arenas consolidated); with jemalloc the 1M run was level to 13% faster in our runs
/// (docs/scaling.md, "Next" 0). `VOC_ALLOCATOR=glibc swift build` leaves it out; `voc bench` names the one used.
let jemalloc: String? = ProcessInfo.processInfo.environment["VOC_ALLOCATOR"] == "glibc" ? nil
    : ["/usr/lib/x86_64-linux-gnu/libjemalloc.so.2", "/usr/lib/aarch64-linux-gnu/libjemalloc.so.2", "/usr/lib64/libjemalloc.so.2"]
        .first { FileManager.default.fileExists(atPath: $0) }

let package = Package(
    name: "voc",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "voc", targets: ["voc"]),
        // The stages as libraries, for the fuzz package in Fuzz/ (built with -sanitize=fuzzer, apart).
        .library(name: "VOCStages", targets: ["Markup", "Ingest", "Text", "Sentiment"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-async-algorithms", from: "1.1.4"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // Layer 0: the libxml2 island. Only Markup imports CLibXML2, and Markup never imports Foundation,
        // because libxml2's headers pull in the system ICU, which clashes with Foundation's own.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .target(name: "Markup", dependencies: ["CLibXML2"], swiftSettings: strict),
        // Layer 1
        .target(name: "Ingest", dependencies: ["Markup"], swiftSettings: strict),
        .target(name: "Text", swiftSettings: strict),
        // Layer 2
        .target(name: "Sentiment", dependencies: ["Text"], swiftSettings: strict),
        .target(name: "Themes", dependencies: ["Text", .product(name: "Yams", package: "Yams")], swiftSettings: strict),
        // Layer 3
        .target(name: "Impact", dependencies: ["Ingest", "Themes", .product(name: "Yams", package: "Yams")], swiftSettings: strict),
        // Layer 4
        .target(
            name: "Store",
            dependencies: [
                "Ingest", "Sentiment", "Themes", "Impact", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strict),
        .target(name: "Report", dependencies: ["Ingest", "Text", "Sentiment", "Themes", "Impact"], swiftSettings: strict),
        // Layer 5: composition and the command line.
        .executableTarget(
            name: "voc",
            dependencies: [
                "Ingest", "Text", "Sentiment", "Themes", "Impact", "Store", "Report",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict + [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))],
            // One self-contained release binary, the Swift runtime and Foundation linked in: loading them as
            // some twenty shared libraries (their symbol lookups) was 8 of the 18 ms every `voc` process
            // spends starting and exiting (docs/themes.md). The flag goes to the compiler too, so the modules
            // ask for the static libraries; lld, as GNU ld warns about Foundation's own `mktemp`. Its 90,000
            // relative relocations packed (RELR, glibc 2.36+): the loader's pass over them was 1 of the 19 ms.
            // (A non-PIE binary would save 2 ms and 280 page faults more, but gives up ASLR in a program that
            // parses hostile mail and HTML.)
            linkerSettings: [
                .unsafeFlags(
                    ["-static-stdlib", "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"] + (jemalloc.map { ["-Xlinker", $0] } ?? []),
                    .when(configuration: .release))
            ]),

        // One home for helpers more than one test target needs.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "MarkupTests", dependencies: ["Markup"], swiftSettings: strict),
        .testTarget(name: "IngestTests", dependencies: ["Ingest"], exclude: ["FuzzFindings"], swiftSettings: strict),
        .testTarget(name: "TextTests", dependencies: ["Text"], swiftSettings: strict),
        .testTarget(name: "SentimentTests", dependencies: ["Sentiment", "Text", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "ThemesTests", dependencies: ["Themes", "Text", "Ingest", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "ImpactTests", dependencies: ["Impact", "Themes", "Ingest"], swiftSettings: strict),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Ingest", "Sentiment", "Themes", "Impact"], swiftSettings: strict),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Ingest", "Sentiment", "Themes", "Impact"], swiftSettings: strict),
        .testTarget(
            name: "vocTests",
            dependencies: ["voc", "Ingest", "Store", "Impact", "Sentiment", "TestSupport", .product(name: "AsyncAlgorithms", package: "swift-async-algorithms")],
            swiftSettings: strict),
    ]
)
