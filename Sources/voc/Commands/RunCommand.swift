public import ArgumentParser
import Foundation
public import Ingest
import Report
import Store

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "The main job: ingest PATH..., analyse the weeks with new feedback, write the weekly report.")

    @Argument(help: "Files, folders or glob patterns to ingest.") var paths: [String]
    @Option(help: "Force the channel instead of detecting it (survey, email, chat, community, search).") var channel: Channel?
    @Option(help: "Where to write the report files.") var out = "reports"
    @OptionGroup var store: StoreOptions
    @OptionGroup var options: PipelineOptions

    func run() async throws {
        var pipeline = try options.pipeline(near: paths)
        try Ingestion.requireExisting(paths)
        let db = try store.open(maxBytes: pipeline.maxStoreBytes, creating: true)
        try pipeline.adoptStoredParameters(db)
        let run = try db.beginRun(
            version: Environment.version, command: "run " + paths.joined(separator: " "), seed: pipeline.seed,
            lexiconHashes: pipeline.lexiconHashes.map { "\($0.0)=\($0.1)" }.joined(separator: ","), parameters: pipeline.parametersSummary)
        let summary = try await pipeline.ingest(paths, channel: channel, store: db, run: run)
        print(summary.table())
        // Only weeks with new feedback: a new week added to a large store costs that week, not the store.
        let weeks = try db.weeksNeedingAnalysis()
        let progress = Progress("analyse")
        try await pipeline.analyze(weeks, store: db, run: run, starting: { i, week in
            progress.update("week \(week) (\(i + 1)/\(weeks.count))")
        })
        progress.done()
        guard try !db.weeks().isEmpty else {
            // Not "run voc ingest first", which the store's other readers say: this run was the ingest.
            throw UsageError("nothing to report: \(summary.read) records read from \(paths.joined(separator: " ")), none stored, and the store held none")
        }
        let week = try ReportBuilder.defaultWeek(db)
        let files = try ReportCommand.write(pipeline: pipeline, store: db, week: week, run: run, out: out)
        try db.endRun(run, counts: "{\"read\":\(summary.read),\"stored\":\(summary.stored),\"quarantined\":\(summary.quarantined),\"weeks\":\(weeks.count)}")
        print("analysed \(weeks.count) week(s); report for \(week): \(files.joined(separator: ", "))")
        if summary.leftSomethingOut { throw ExitCode(1) }
    }
}

extension Channel: ExpressibleByArgument {}

struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest", abstract: "Read files into the store (idempotent: the same input twice adds nothing).")

    @Argument(help: "Files, folders or glob patterns.") var paths: [String]
    @Option(help: "Force the channel instead of detecting it.") var channel: Channel?
    @OptionGroup var store: StoreOptions
    @OptionGroup var options: PipelineOptions

    func run() async throws {
        let pipeline = try options.pipeline(near: paths)
        try Ingestion.requireExisting(paths)
        let db = try store.open(maxBytes: pipeline.maxStoreBytes, creating: true)
        let run = try db.beginRun(version: Environment.version, command: "ingest " + paths.joined(separator: " "), seed: nil,
                                  lexiconHashes: "", parameters: "")
        let summary = try await pipeline.ingest(paths, channel: channel, store: db, run: run)
        try db.endRun(run, counts: "{\"read\":\(summary.read),\"stored\":\(summary.stored),\"quarantined\":\(summary.quarantined)}")
        print(summary.table())
        if summary.leftSomethingOut { throw ExitCode(1) }
    }
}

struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze", abstract: "Score sentiment, find themes and cost them, for one week or all weeks.")

    @Option(help: "ISO week (default: every week in the store).") var week: String?
    @OptionGroup var store: StoreOptions
    @OptionGroup var options: PipelineOptions

    func run() async throws {
        var pipeline = try options.pipeline()
        let db = try store.open(maxBytes: pipeline.maxStoreBytes)
        try pipeline.adoptStoredParameters(db)
        let weeks = try week.map { [try WeekOptions.held($0, by: db)] } ?? db.weeks()
        let run = try db.beginRun(version: Environment.version, command: "analyze", seed: pipeline.seed,
                                  lexiconHashes: pipeline.lexiconHashes.map { "\($0.0)=\($0.1)" }.joined(separator: ","), parameters: pipeline.parametersSummary)
        try await pipeline.analyze(weeks, store: db, run: run, finished: { week, analysis in
            print("\(week): \(analysis.analysed) messages, \(analysis.themes.count) themes, \(analysis.notEnglish) not English, \(analysis.tooShort) too short")
        })
        try db.endRun(run, counts: "{\"weeks\":\(weeks.count)}")
    }
}

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Write the weekly VOC report (Markdown and HTML).")

    @Option(help: "Where to write the report files.") var out = "reports"
    @OptionGroup var weekOptions: WeekOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var options: PipelineOptions

    func run() async throws {
        let pipeline = try options.pipeline()
        let db = try store.open()
        let week = try weekOptions.resolve(db)
        let run = try db.beginRun(version: Environment.version, command: "report \(week)", seed: pipeline.seed,
                                  lexiconHashes: "", parameters: pipeline.parametersSummary)
        let files = try Self.write(pipeline: pipeline, store: db, week: week, run: run, out: out)
        try db.endRun(run, counts: "{}")
        print(files.joined(separator: "\n"))
    }

    static func write(pipeline: Pipeline, store: FeedbackStore, week: Week, run: Int64, out: String) throws -> [String] {
        let info = RunInfo(id: run, version: Environment.version, seed: pipeline.seed, lexiconHashes: pipeline.lexiconHashes)
        let report = try pipeline.report(week, store: store, run: info)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let md = (out as NSString).appendingPathComponent("\(week).md")
        let html = (out as NSString).appendingPathComponent("\(week).html")
        try MarkdownReport().render(report).write(toFile: md, atomically: true, encoding: .utf8)
        try HTMLReport().render(report).write(toFile: html, atomically: true, encoding: .utf8)
        return [md, html]
    }
}
