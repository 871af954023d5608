import ArgumentParser
import Foundation

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure every stage on generated corpora (10k, 100k, 1M messages); median of --runs.")

    @Option(help: "Corpus sizes to run.") var sizes: [Int] = [10_000, 100_000, 1_000_000]
    @Option(help: "Runs per size (the median is reported).") var runs = 3
    @Option(help: "Where generated corpora are cached.") var cache = "bench-cache"
    @Option(help: "Only this stage: ingest, analyze, report.") var stage: String?
    @Flag(help: "JSON figures.") var json = false
    @Option(help: ArgumentHelp(
        "Instead of the corpora: ingest one mbox of this many MB (built from the corpus's mail, cached) and report "
            + "its speed and peak memory.", valueName: "MB")) var mailboxMb: Int?
    @Option(help: ArgumentHelp(
        "Another voc executable (say, the previous commit's build): each run of this build is paired with one of it on "
            + "the same corpus (after it, then before it, round by round), and the table adds its medians and the ratio "
            + "of the two. On a noisy machine only runs taken back to back compare two builds.", valueName: "path")) var baseline: String?
    @OptionGroup var options: PipelineOptions

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1, not \(runs)") }
        if let size = sizes.first(where: { $0 < 1 }) { throw ValidationError("--sizes must be at least 1 message, not \(size)") }
        if let mailboxMb, mailboxMb < 1 { throw ValidationError("--mailbox-mb must be at least 1, not \(mailboxMb)") }
    }

    func run() async throws {
        if let baseline, !FileManager.default.isExecutableFile(atPath: baseline) { throw UsageError("--baseline \(baseline): not an executable file") }
        try await Bench(sizes: sizes, runs: runs, cache: cache, stage: stage, json: json, options: options, mailboxMB: mailboxMb, baseline: baseline).run()
    }
}
