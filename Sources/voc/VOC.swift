import ArgumentParser
import Foundation
import Impact
import Ingest
import Sentiment
import Store

@main
struct VOC: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "voc",
        abstract: "Voice of the Customer: ingest every channel, find issue themes, cost them, and feed them to their owners.",
        // The aligned lines stay within the help's 80 columns (a longer one is wrapped, out of line); the
        // paragraph is one line, wrapped by the help itself.
        discussion: """
            Typical use:
              voc run corpora/sample    ingest, analyse each week, write the report
              voc themes                the latest week's themes, ranked
              voc drill "refund"        one theme or free text, in depth
              voc feed --out feeds/     one feed per department

            Exit codes: 0 success, 1 finished but some input was quarantined or a file not read, 2 usage or configuration error, 3 any other failure.
            """,
        version: Environment.version,
        subcommands: [
            RunCommand.self, IngestCommand.self, AnalyzeCommand.self, ReportCommand.self, ThemesCommand.self, DrillCommand.self,
            FeedCommand.self, ImpactCommand.self, ScoreCommand.self, ClusterCommand.self, ExportCommand.self, StatusCommand.self,
            QuarantineCommand.self, CorpusCommand.self, ForgetCommand.self, BenchCommand.self,
        ])

    /// Exit codes as documented above (ArgumentParser's own usage errors would exit 64; here they exit 2).
    static func main() async {
        Environment.keepFreedMemory()
        do {
            // The batch filters first, read without the argument parser when their options are plain.
            let arguments = Array(CommandLine.arguments.dropFirst())
            if let options = FilterArguments.score(arguments) {
                try await ScoreCommand.run(options)
                return
            }
            if let options = FilterArguments.cluster(arguments) {
                try await ClusterCommand.run(options)
                return
            }
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            // What `print` left in the standard output's buffer: a full disk showed only here, and the
            // command ended with exit code 0 and its output lost.
            if fflush(nil) != 0 { throw OutputError(description: "cannot write the output: \(String(cString: strerror(errno)))") }
        } catch let error as UsageError {
            Environment.log("voc: \(error.description)")
            Foundation.exit(2)
        } catch let error as LexiconError {
            // A lexicon file that is missing or malformed (the shipped ones, or a user's override) is
            // configuration, as a bad voc.yaml is.
            Environment.log("voc: \(error.description)")
            Foundation.exit(2)
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch {
            switch exitCode(for: error) {
            case .success: exit(withError: error)  // --help, --version
            case .validationFailure:
                Environment.log(fullMessage(for: error))
                Foundation.exit(2)
            default:
                Environment.log("voc: \(describe(error))")
                Foundation.exit(3)
            }
        }
    }

    static func describe(_ error: any Error) -> String {
        // A file that could not be written or read: its path and the system's reason, not the error's dump.
        let cocoa = error as NSError
        if cocoa.domain == NSCocoaErrorDomain, let path = cocoa.userInfo[NSFilePathErrorKey] as? String {
            let reason = (cocoa.userInfo[NSUnderlyingErrorKey] as? NSError).map { String(cString: strerror(Int32($0.code))) }
            // Foundation's codes: 256-511 reading, 512-767 writing, others (4: no such file) either.
            let verb = (512..<768).contains(cocoa.code) ? "write" : (256..<512).contains(cocoa.code) ? "read" : "use"
            return "cannot \(verb) \(path): \(reason ?? "it, or a folder on its way, cannot be made or opened (a file in the way, or no permission)")"
        }
        let text = "\(error)"
        if text.contains("database is locked") || text.contains("SQLITE_BUSY") {
            return "the database is in use by another voc process that is writing; try again when it has finished"
        }
        if text.contains("SQLITE_FULL") || text.contains("database or disk is full") { return StoreFullError().description }
        return text
    }
}

/// `--db PATH`, on every command that touches the store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite database file.")
    var db = "voc.sqlite"

    /// Opens the store; `maxBytes` caps its size (`limits.max_store_mb`), as a full disk would. Only the
    /// commands that put feedback in (`ingest`, `run`) make a store that is not there: any other command
    /// given a path that holds none (a typo in `--db`) says so, rather than answer from a new empty store
    /// and leave it behind. Those two make the store's folder too, as `--out` makes the reports' folder.
    func open(maxBytes: Int? = nil, creating: Bool = false) throws -> FeedbackStore {
        guard creating || FileManager.default.fileExists(atPath: db) else {
            throw UsageError("no store at \(db); run `voc ingest` or `voc run` first, or name the store with --db")
        }
        let folder = (db as NSString).deletingLastPathComponent
        var isFolder: ObjCBool = false
        if creating, !folder.isEmpty {
            if !FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) {
                do {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                } catch {
                    throw UsageError("cannot make the folder \(folder) for the store \(db): \(VOC.describe(error))")
                }
            } else if !isFolder.boolValue {
                throw UsageError("cannot make the store \(db): \(folder) is a file, not a folder")
            }
        }
        do {
            return try FeedbackStore(path: db, maxBytes: maxBytes)
        } catch {
            throw UsageError("cannot open database \(db): \(VOC.describe(error))")
        }
    }
}

/// Options shared by commands that build a pipeline.
struct PipelineOptions: ParsableArguments {
    @Option(help: "Directory holding the lexicons and taxonomy (default: ./lexicons).")
    var lexicons: String?

    @Option(help: "Impact parameters file (YAML, see docs/cost-model.md). Default: voc.yaml beside the input or in the working directory.")
    var config: String?

    @Option(help: "Seed for every random choice (clustering).")
    var seed: UInt64 = 1

    @Option(help: "Fix the number of discovered themes instead of choosing it automatically.")
    var k: Int?

    @Flag(help: "Store personal data as received (redaction is on by default).")
    var noRedact = false

    func validate() throws { try Self.validate(k: k) }

    /// A number of themes below one was a trap in the clustering (the process died on SIGILL); `voc cluster`
    /// checks its own `--k` here too.
    static func validate(k: Int?) throws {
        if let k, k < 1 { throw ValidationError("--k must be at least 1, not \(k)") }
    }

    func pipeline(near inputs: [String] = []) throws -> Pipeline {
        let configuration = try Configuration.find(config, near: inputs)
        var pipeline = try Pipeline.standard(
            lexicons: try Environment.lexiconDirectory(lexicons), parameters: configuration.parameters, limits: configuration.limits,
            inputs: configuration.inputs,
            seed: seed, redact: !noRedact)
        pipeline.maxStoreBytes = configuration.maxStoreBytes
        pipeline.configurationSource = configuration.source
        pipeline.k = k
        return pipeline
    }
}

/// `--week`.
struct WeekOptions: ParsableArguments {
    @Option(help: "ISO week, e.g. 2026-W47 (default: the latest complete week).")
    var week: String?

    /// The week asked for (`held`), or the latest complete one; it must have been analysed: a week only
    /// ingested showed no themes at all, a report of an untroubled week.
    func resolve(_ store: FeedbackStore) throws -> Week {
        let resolved = try week.map { try Self.held($0, by: store) } ?? ReportBuilder.defaultWeek(store)
        guard try store.isAnalysed(resolved) else {
            throw UsageError("\(resolved) is not analysed yet; run `voc analyze --week \(resolved)` (or `voc run`) first")
        }
        return resolved
    }

    /// `text` as a week that holds feedback: a week outside the store's (a mistyped year, a week not loaded
    /// yet) is named with the weeks the store has, rather than answered with an empty report or export.
    static func held(_ text: String, by store: FeedbackStore) throws -> Week {
        guard let parsed = Week(text) else { throw UsageError("not an ISO week: \(text) (expected e.g. 2026-W47)") }
        let weeks = try store.weeks()
        guard let first = weeks.first, let last = weeks.last else {
            throw UsageError("the store holds no feedback yet; run `voc ingest` or `voc run` first")
        }
        guard weeks.contains(parsed) else {
            let held = weeks.count == 1 ? "only \(first)" : "\(weeks.count) weeks from \(first) to \(last)"
            throw UsageError("no feedback in \(parsed): the store holds \(held)")
        }
        return parsed
    }
}
