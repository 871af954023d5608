// swift-tools-version: 6.0
import PackageDescription

/// libFuzzer targets for every reader, the redactor, the tokenizer and the lexicon loader (issue 8, docs/fuzzing.md).
///
/// Apart from the main package because every target is built with `-sanitize=fuzzer,address` and hands its
/// `main` to libFuzzer's driver. Build and run them with `Fuzz/run.sh`.
let fuzzTargets = [
    "FuzzSurveyCSV", "FuzzMailbox", "FuzzChatJSON", "FuzzChatText", "FuzzFeeds", "FuzzForumHTML",
    "FuzzSearchLog", "FuzzTokenizer", "FuzzLexicon", "FuzzRedactor",
]

let package = Package(
    name: "voc-fuzz",
    dependencies: [.package(name: "voc", path: "..")],
    targets: [
        .target(name: "FuzzDriver"),
        .target(name: "FuzzSupport", dependencies: ["FuzzDriver", .product(name: "VOCStages", package: "voc")]),
    ]
        + fuzzTargets.map { name in
            .executableTarget(name: name, dependencies: ["FuzzSupport", .product(name: "VOCStages", package: "voc")])
        }
)
