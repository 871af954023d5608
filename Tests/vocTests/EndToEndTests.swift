import Foundation
import GRDB
import Ingest
import TestSupport
import Testing

/// Runs the built `voc` binary, as a user would.
enum VOCBinary {
    static let packageRoot = PackageLocation.root

    static let executable: URL = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("voc")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return packageRoot.appendingPathComponent(".build/debug/voc")
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs voc; `output` (a file such as /dev/full) takes its standard output instead of the result.
    @discardableResult
    static func run(_ arguments: [String], in directory: URL = packageRoot, stdin: String? = nil, output: FileHandle? = nil) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["VOC_LEXICONS"] = packageRoot.appendingPathComponent("lexicons").path
        process.environment = environment
        let out = Pipe(), err = Pipe(), input = Pipe()
        if let output { process.standardOutput = output } else { process.standardOutput = out }
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        if output != nil { try out.fileHandleForWriting.close() }  // no child writes it: its end is here
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self), stderr: String(decoding: stderrData, as: UTF8.self))
    }

    /// A generated corpus in `directory`, and `voc status --json` after one uninterrupted ingest of it
    /// (without the run count), the reference a crashed or refused ingest must reach when rerun.
    static func corpusAndReference(in directory: URL, messages: Int, weeks: Int, seed: Int) throws -> (corpus: String, counts: String) {
        let corpus = try generate(messages: messages, weeks: weeks, seed: seed, in: directory, named: "corpus")
        let reference = directory.appendingPathComponent("reference.sqlite").path
        try run(["ingest", corpus, "--db", reference])
        return (corpus, try counts(reference))
    }

    /// `voc corpus generate` into `directory/name`; returns its path.
    static func generate(messages: Int, weeks: Int, seed: Int, in directory: URL, named name: String) throws -> String {
        let corpus = directory.appendingPathComponent(name).path
        try run(["corpus", "generate", "--messages", "\(messages)", "--weeks", "\(weeks)", "--seed", "\(seed)", "--out", corpus])
        return corpus
    }

    /// `voc status --json` without the number of runs.
    static func counts(_ db: String) throws -> String {
        try run(["status", "--json", "--db", db]).stdout.split(separator: "\n").filter { !$0.contains("\"runs\"") }.joined(separator: "\n")
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("voc-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

@Suite(.serialized) struct EndToEndTests {
    let sample = VOCBinary.packageRoot.appendingPathComponent("corpora/sample").path

    @Test func runOnTheSampleWritesTheReportAndIsIdempotent() throws {
        let tmp = try VOCBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let db = tmp.appendingPathComponent("voc.sqlite").path
        let first = try VOCBinary.run(["run", sample, "--db", db, "--out", tmp.appendingPathComponent("reports").path])
        #expect(first.status == 1, "some sample records are malformed on purpose, so the exit code says input was quarantined: \(first.stderr)")
        #expect(first.stdout.contains("total: read"))
        let md = try String(contentsOfFile: tmp.appendingPathComponent("reports/2026-W47.md").path, encoding: .utf8)
        let html = try String(contentsOfFile: tmp.appendingPathComponent("reports/2026-W47.html").path, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        // The planted emerging theme is named as emerging in its week.
        let emerging = md.components(separatedBy: "## Emerging themes")[1].components(separatedBy: "##")[0]
        #expect(emerging.contains("**Loyalty points** (new"))
        // Issue themes are ranked by cost of inaction (base of the cost-per-week column, descending).
        let rows = md.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| #") }
        let costs = rows.map { row -> Double in
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            let base = cells[cells.count - 2].split(separator: " ").first.map { $0.replacingOccurrences(of: ",", with: "") } ?? "0"
            return Double(base) ?? 0
        }
        #expect(costs.count >= 10)
        #expect(costs == costs.sorted(by: >), "the issue table must be ranked by cost: \(costs)")
        let status1 = try VOCBinary.run(["status", "--json", "--db", db]).stdout
        try VOCBinary.run(["run", sample, "--db", db, "--out", tmp.appendingPathComponent("reports").path])
        let status2 = try VOCBinary.run(["status", "--json", "--db", db]).stdout
        func withoutRuns(_ json: String) -> String { json.split(separator: "\n").filter { !$0.contains("\"runs\"") }.joined(separator: "\n") }
        #expect(withoutRuns(status1) == withoutRuns(status2))
        #expect(status1.contains("\"runs\" : 1") && status2.contains("\"runs\" : 2"))

        // Every department in the taxonomy gets a feed (plus triage), and CSV feeds cannot carry formulas.
        let feeds = tmp.appendingPathComponent("feeds")
        let feed = try VOCBinary.run(["feed", "--db", db, "--out", feeds.path, "--config", sample + "/voc.yaml"])
        #expect(feed.status == 0, "\(feed.stderr)")
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: feeds.path))
        for department in ["billing", "delivery", "fulfilment", "product_quality", "accounts", "digital", "search_catalogue", "customer_service", "pricing", "returns", "marketing", "loyalty", "triage"] {
            #expect(files.contains("\(department)-2026-W47.json"), "\(department)")
        }
        let loyalty = try String(contentsOfFile: feeds.appendingPathComponent("loyalty-2026-W47.json").path, encoding: .utf8)
        #expect(loyalty.contains("\"status\" : \"new\""))

        // Drill-down by label and by free text; themes table; impact explanation; export.
        let drill = try VOCBinary.run(["drill", "Loyalty points", "--db", db])
        #expect(drill.status == 0 && drill.stdout.contains("[loyalty.points]") && drill.stdout.contains("cost of inaction:"))
        // A word of a label finds its theme; common words alone are refused rather than matched everywhere.
        #expect(try VOCBinary.run(["drill", "points", "--db", db]).stdout.hasPrefix("Loyalty points  [loyalty.points]"))
        let common = try VOCBinary.run(["drill", "AND", "--db", db])
        #expect(common.status == 2 && common.stderr.contains("holds only common words"), "\(common.stdout)\(common.stderr)")
        // Words typed as a sentence that no message holds all of fall back to messages holding some of them.
        let sentence = try VOCBinary.run(["drill", "parcel never arrived", "--db", db])
        #expect(sentence.status == 0 && sentence.stderr.contains("no message holds all of \"parcel never arrived\"") && sentence.stdout.contains("[delivery."),
                "\(sentence.stdout)\(sentence.stderr)")
        // The weeks before the store's first are not drawn as weeks without mentions.
        #expect(drill.stdout.contains("volume  ····▁▁▁█  W40:– W41:– W42:– W43:– W44:0 W45:0 W46:0 W47:"), "\(drill.stdout)")
        #expect(!drill.stdout.contains("\u{1B}["))  // plain when piped
        // Large themes show their second level in the report and the drill-down.
        #expect(md.components(separatedBy: "## What customers say")[1].contains("\nSub-themes: "))
        let refunds = try VOCBinary.run(["drill", "returns.refund-delay", "--db", db, "--json"])
        #expect(refunds.stdout.contains("\"subthemes\" : [\n    {\n      \"example\""))
        // A complaint theme's verbatims are its complaints, not the praise that shares its words ("quick refund").
        let drilled = try JSONSerialization.jsonObject(with: Data(refunds.stdout.utf8)) as? [String: Any]
        let verbatims = drilled?["verbatims"] as? [String] ?? []
        let labels = try VOCBinary.run(["score"], stdin: verbatims.map { $0.split(separator: "\n").joined(separator: " ") }.joined(separator: "\n") + "\n")
        #expect(verbatims.count == 5 && labels.stdout.split(separator: "\n").allSatisfy { $0.hasSuffix("\tnegative") }, "\(verbatims)")
        let free = try VOCBinary.run(["drill", "points disappeared", "--db", db, "--json"])
        #expect(free.status == 0 && free.stdout.contains("\"id\" : \"loyalty.points\""))
        // Free text says what it matched before the theme it shows, and shows each text once (the sample's
        // "The delivery never arrived." had been two of the five).
        let arrived = try VOCBinary.run(["drill", "never arrived", "--db", db])
        #expect(arrived.stdout.hasPrefix("“never arrived”: ") && arrived.stdout.contains("\nmessages that match “never arrived”:\n"), "\(arrived.stdout)")
        let arrivedJSON = try #require(try JSONSerialization.jsonObject(with: Data(VOCBinary.run(["drill", "never arrived", "--db", db, "--json"]).stdout.utf8)) as? [String: Any])
        let arrivedTexts = arrivedJSON["verbatims"] as? [String] ?? []
        #expect((arrivedJSON["matched_messages"] as? Int ?? 0) > arrivedTexts.count)
        #expect(arrivedTexts.count == 5 && Set(arrivedTexts.map { $0.lowercased().split { !$0.isLetter && !$0.isNumber }.joined(separator: " ") }).count == 5, "\(arrivedTexts)")
        #expect(drilled?["matched_messages"] == nil)
        let themes = try VOCBinary.run(["themes", "--db", db, "--sort", "volume"])
        #expect(themes.status == 0 && themes.stdout.contains("Loyalty points"))
        let impact = try VOCBinary.run(["impact", "loyalty.points", "--explain", "--db", db])
        #expect(impact.stdout.contains("F1 ") && impact.stdout.contains("F3 RAR = A x dL x V"))
        let export = try VOCBinary.run(["export", "--db", db, "--format", "jsonl", "--week", "2026-W47"])
        #expect(export.stdout.split(separator: "\n").count >= 400)
        // Personal data never leaves the store in clear: the sample's addresses and phone numbers are redacted.
        for output in [md, html, drill.stdout, export.stdout, loyalty, first.stderr] {
            #expect(!output.contains("@mail.example") && !output.contains("7946 0"))
        }
    }

    /// `voc run` analyses only the weeks that received new feedback: a new week added to a store costs
    /// that week; rerunning the same input analyses nothing and leaves every figure as it was.
    /// The figures of a store are shown with the parameters that made them, wherever a command is run from:
    /// an analysis or report from a folder without the sample's voc.yaml re-costed every theme with the
    /// defaults (no customer value) or printed "V = not configured" beside costs computed with V = 500.
    @Test func figuresKeepTheParametersTheyWereComputedWith() throws {
        let tmp = try VOCBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let db = tmp.appendingPathComponent("voc.sqlite").path
        try VOCBinary.run(["run", sample, "--db", db, "--out", tmp.appendingPathComponent("first").path])
        let before = try VOCBinary.run(["impact", "delivery.late", "--db", db, "--json"], in: tmp).stdout
        #expect(before.contains("\"costOfInaction\""))
        let analyzed = try VOCBinary.run(["analyze", "--db", db, "--week", "2026-W47"], in: tmp)
        #expect(analyzed.status == 0 && analyzed.stderr.contains("using the impact parameters of the store's latest figures"), "\(analyzed.stderr)")
        #expect(try VOCBinary.run(["impact", "delivery.late", "--db", db, "--json"], in: tmp).stdout == before)
        let report = try VOCBinary.run(["report", "--db", db, "--out", tmp.appendingPathComponent("again").path], in: tmp)
        let md = try String(contentsOfFile: tmp.appendingPathComponent("again/2026-W47.md").path, encoding: .utf8)
        #expect(report.status == 0 && md.contains("V = 500 EUR revenue per customer per year"))
        // A configuration that gives other parameters is named, with the command that applies it.
        let other = tmp.appendingPathComponent("other.yaml").path
        try "customer_value: 900\ncustomer_base: 100000\n".write(toFile: other, atomically: true, encoding: .utf8)
        let named = try VOCBinary.run(["impact", "--db", db, "--config", other], in: tmp)
        #expect(named.status == 0 && named.stderr.contains("not those of \(other)") && named.stderr.contains("`voc analyze --week 2026-W47 --config \(other)`"))
        let applied = try VOCBinary.run(["analyze", "--db", db, "--week", "2026-W47", "--config", other], in: tmp)
        #expect(applied.status == 0 && !applied.stderr.contains("using the impact parameters"))
        #expect(try VOCBinary.run(["impact", "delivery.late", "--db", db, "--json"], in: tmp).stdout != before)
        #expect(try VOCBinary.run(["impact", "--db", db, "--config", other], in: tmp).stderr.isEmpty)
        // The report says its accrued costs add weeks costed otherwise.
        try VOCBinary.run(["report", "--db", db, "--out", tmp.appendingPathComponent("mixed").path], in: tmp)
        let mixed = try String(contentsOfFile: tmp.appendingPathComponent("mixed/2026-W47.md").path, encoding: .utf8)
        #expect(mixed.contains("the accrued costs add earlier weeks costed with other impact parameters (2026-W44, 2026-W45, 2026-W46)"))
        // Status names the parameters each week's costs stand on.
        let status = try VOCBinary.run(["status", "--db", db], in: tmp).stdout
        #expect(status.contains("costs of 3 weeks, 2026-W44 to 2026-W46: impact parameters ") && status.contains("customer_value 500 (EUR revenue per customer per year), customer_base 100000, survey_population 2500"), "\(status)")
        #expect(status.contains("costs of 2026-W47: impact parameters ") && status.contains("customer_value 900 (revenue per customer per year), customer_base 100000, survey_population not configured"), "\(status)")
        // Without survey_population the survey's prevalence is taken of the whole base: the themes table says so.
        let themes = try VOCBinary.run(["themes", "--db", db], in: tmp).stdout
        #expect(themes.contains("caveat, delivery.late: A = 11,610 customers a week for 13 weeks would be 151% of the customer base (100,000)"), "\(themes)")
    }

    @Test func runAnalysesOnlyWeeksWithNewFeedback() throws {
        let tmp = try VOCBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let corpus = try VOCBinary.generate(messages: 3_000, weeks: 3, seed: 4, in: tmp, named: "corpus")
        let fm = FileManager.default
        for channel in try fm.contentsOfDirectory(atPath: corpus) where !channel.hasPrefix(".") && !channel.hasSuffix(".yaml") {
            for part in ["old", "new"] {
                try fm.createDirectory(atPath: tmp.path + "/\(part)/\(channel)", withIntermediateDirectories: true)
            }
            for file in try fm.contentsOfDirectory(atPath: corpus + "/" + channel) {
                try fm.copyItem(atPath: corpus + "/\(channel)/\(file)", toPath: tmp.path + "/\(file.contains("W47") ? "new" : "old")/\(channel)/\(file)")
            }
        }
        let db = tmp.appendingPathComponent("voc.sqlite").path
        let out = tmp.appendingPathComponent("reports").path
        let first = try VOCBinary.run(["run", tmp.path + "/old", "--db", db, "--out", out])
        #expect(first.stdout.contains("analysed 2 week(s)"), "\(first.stdout.suffix(200))")
        let second = try VOCBinary.run(["run", tmp.path + "/new", "--db", db, "--out", out])
        #expect(second.stdout.contains("analysed 1 week(s); report for 2026-W47"), "\(second.stdout.suffix(200))")
        let before = try VOCBinary.counts(db)
        let third = try VOCBinary.run(["run", tmp.path + "/new", "--db", db, "--out", out])
        #expect(third.stdout.contains("analysed 0 week(s)"))
        #expect(try VOCBinary.counts(db) == before)
    }

    @Test func usageErrorsExitWithTwo() throws {
        let tmp = try VOCBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let db = tmp.path + "/voc.sqlite"
        #expect(try VOCBinary.run(["ingest", "corpora/sample/search", "--db", db]).status == 1)  // four lines quarantined
        #expect(try VOCBinary.run(["report", "--week", "2026-W99", "--db", db]).status == 2)
        // A real week the store holds nothing of is named with the weeks it has, not reported empty.
        for command in [["report", "--out", tmp.path + "/reports"], ["themes"], ["drill", "refund"], ["impact"], ["feed", "--out", tmp.path + "/feeds"], ["export"], ["analyze"]] {
            let outside = try VOCBinary.run(command + ["--week", "2026-W30", "--db", db])
            #expect(outside.status == 2, "\(command)")
            #expect(outside.stderr.contains("no feedback in 2026-W30: the store holds 4 weeks from 2026-W44 to 2026-W47"), "\(command): \(outside.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: tmp.path + "/reports/2026-W30.md"))
        // A week only ingested has no themes to show: said, not shown as an untroubled week.
        for command in [["report", "--out", tmp.path + "/reports"], ["themes"], ["drill", "refund"], ["impact"], ["feed", "--out", tmp.path + "/feeds"]] {
            let unanalysed = try VOCBinary.run(command + ["--db", db])
            #expect(unanalysed.status == 2 && unanalysed.stderr.contains("2026-W47 is not analysed yet; run `voc analyze --week 2026-W47`"), "\(command): \(unanalysed.stderr)")
        }
        let before = try VOCBinary.run(["status", "--db", db]).stdout
        #expect(before.contains("not analysed (or newer feedback since): 2026-W44, 2026-W45, 2026-W46, 2026-W47"), "\(before)")
        #expect(try VOCBinary.run(["analyze", "--db", db]).status == 0)
        #expect(try VOCBinary.run(["status", "--db", db]).stdout.contains("not analysed (or newer feedback since): none"))
        // A report that cannot be written names where and why, not Foundation's error dump (exit 3: not a
        // usage error); a lexicon directory that is not there is configuration (exit 2).
        let blocker = tmp.path + "/a-file"
        try "not a folder".write(toFile: blocker, atomically: false, encoding: .utf8)
        let unwritable = try VOCBinary.run(["report", "--out", blocker + "/reports", "--db", db])
        #expect(unwritable.status == 3 && unwritable.stderr.contains("voc: cannot ") && unwritable.stderr.contains(blocker), "\(unwritable.stderr)")
        #expect(!unwritable.stderr.contains("NSCocoaErrorDomain") && !unwritable.stderr.contains("UserInfo"), "\(unwritable.stderr)")
        let noLexicons = try VOCBinary.run(["score", "--lexicons", tmp.path + "/no-lexicons"], stdin: "fine\n")
        #expect(noLexicons.status == 2 && noLexicons.stderr.contains("general.tsv"), "\(noLexicons.stderr)")
        // A department no theme can have is named with the ones there are.
        for command in [["themes"], ["feed", "--out", tmp.path + "/feeds"]] {
            let typo = try VOCBinary.run(command + ["--department", "delivry", "--db", db])
            #expect(typo.status == 2 && typo.stderr.contains("no department \"delivry\"; there are ") && typo.stderr.contains("delivery"), "\(typo.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: tmp.path + "/feeds"))
        // A run over a folder with nothing in it says so (not "run voc ingest first": it was the ingest).
        let nothing = tmp.path + "/nothing"
        try FileManager.default.createDirectory(atPath: nothing, withIntermediateDirectories: true)
        let empty = try VOCBinary.run(["run", nothing, "--db", tmp.path + "/empty.sqlite", "--out", tmp.path + "/reports"])
        #expect(empty.status == 2 && empty.stderr.contains("nothing to report: 0 records read from \(nothing)"), "\(empty.stderr)")
        #expect(try VOCBinary.run(["status", "--db", tmp.path + "/empty.sqlite"]).stdout.hasPrefix("feedback 0: none\nweeks (Monday to Sunday, UTC): none\n"))
        #expect(try VOCBinary.run(["frobnicate"]).status == 2)
        #expect(try VOCBinary.run(["ingest", "/no/such/file", "--db", db]).status == 2)
    }

    /// A file no reader takes (or that cannot be read) is named in the summary and, like a quarantined
    /// record, makes the exit code 1: a script that checks it learns that some input did not go in. A
    /// SQLite file in the folder (the store itself, here) is left out on purpose and does not count.
    @Test func aFileNoReaderTakesMakesTheExitCodeOne() throws {
        let tmp = try VOCBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let input = tmp.appendingPathComponent("input")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        try "ResponseId,SubmittedAt,NPS,Comment\nR1,2026-11-16 10:00,2,Delivery was late again\n".write(
            to: input.appendingPathComponent("survey.csv"), atomically: false, encoding: .utf8)
        let db = input.path + "/voc.sqlite"  // the store beside its input is left out on purpose, not "not read"
        let clean = try VOCBinary.run(["ingest", input.path, "--db", db])
        #expect(clean.status == 0, "\(clean.stdout)")
        #expect(!clean.stdout.contains("not read") && clean.stdout.contains("skipped: a SQLite database"), "\(clean.stdout)")
        try Data([0x00, 0xFF, 0x13, 0x37, 0x89, 0x50, 0x4E, 0x47]).write(to: input.appendingPathComponent("scan.bin"))
        let mixed = try VOCBinary.run(["ingest", input.path, "--db", db])
        #expect(mixed.status == 1, "\(mixed.stdout)")
        #expect(mixed.stdout.contains("scan.bin") && mixed.stdout.contains("no reader for this format"))
        #expect(mixed.stdout.contains("not read: 1 file"))
    }

    /// Numbers out of their range are usage errors, named before anything runs: zero themes, zero or
    /// negative weeks of history and negative limits were traps (the process died on SIGILL, exit 132).
    @Test(arguments: [
        ["analyze", "--k=0"], ["run", "corpora/sample", "--k=-3"], ["cluster", "--k=0"], ["drill", "refund", "--weeks=0"],
        ["drill", "refund", "--weeks=-2"], ["drill", "refund", "--limit=-1"], ["bench", "--runs=0"], ["bench", "--sizes=0"],
        ["quarantine", "--limit=-1"],
    ])
    func numbersOutOfRangeAreUsageErrors(_ arguments: [String]) throws {
        let result = try VOCBinary.run(arguments, stdin: "a few words\n")
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains("must be"), "\(arguments): \(result.stderr)")
    }

    /// A batch of erasure requests in one command: arguments and a file (comments and blank lines skipped),
    /// one line per customer by reference only, and a total.
    @Test func forgetTakesABatchOfCustomers() throws {
        let tmp = try VOCBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let db = tmp.appendingPathComponent("voc.sqlite").path
        try VOCBinary.run(["ingest", sample, "--db", db])
        let list = tmp.appendingPathComponent("requests.txt")
        try "# erasure requests, week 48\ncust-267@mail.example\n\nc_794acc98d853ba37   # by reference\n".write(to: list, atomically: true, encoding: .utf8)
        let result = try VOCBinary.run(["forget", "cust-38@mail.example", "--from", list.path, "--db", db])
        let lines = result.stdout.split(separator: "\n")
        #expect(result.status == 0 && lines.count == 4, "\(result.stdout)\(result.stderr)")
        // The two refused emails (an unreadable Date header) name cust-267 and cust-38; the total adds the lines up.
        let feedback = lines.dropLast().compactMap { Int($0.split(separator: " ")[1]) }.reduce(0, +)
        #expect(feedback >= 3 && lines.last == "total: \(feedback) feedback and 2 quarantined record(s) for 3 customers", "\(result.stdout)")
        #expect(!result.stdout.contains("@mail.example") && lines[2] == "removed 3 feedback record(s) linked to c_794acc98d853ba37 and 0 quarantined record(s) naming them")
        #expect(try VOCBinary.run(["forget", "--db", db]).status == 2)
    }

    /// An empty drill query is named, not answered with "no theme or message matches \"\"".
    @Test func anEmptyDrillQueryIsAUsageError() throws {
        let result = try VOCBinary.run(["drill", " ", "--db", "/nonexistent/voc.sqlite"])
        #expect(result.status == 2 && result.stderr.contains("give a theme id, a theme label or words to search for"), "\(result.stderr)")
    }

    /// Output that cannot be written (a full disk: /dev/full fails every write) is an error with the
    /// system's reason and exit code 3: `voc export` and `voc cluster` trapped on it (SIGILL, a backtrace),
    /// and commands that print ended with exit code 0 and their output lost.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/dev/full"), "needs /dev/full"))
    func outputThatCannotBeWrittenIsAnError() throws {
        let tmp = try VOCBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let db = tmp.path + "/voc.sqlite"
        #expect(try VOCBinary.run(["run", "corpora/sample/search", "--db", db, "--out", tmp.path + "/reports"]).status == 1)
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        defer { try? full.close() }
        for command in [["export", "--db", db], ["themes", "--db", db], ["score"], ["cluster"]] {
            let result = try VOCBinary.run(command, stdin: "my refund never came\nlate again\n", output: full)
            #expect(result.status == 3, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("cannot write the output: No space left on device"), "\(command): \(result.stderr)")
        }
    }

    /// Only `ingest` and `run` make a store. Any other command given a path that holds none (a typo in
    /// `--db`) names it and exits 2, and an ingest of a file that is not there fails before the store is
    /// opened: neither leaves a new empty store behind.
    @Test func onlyIngestAndRunMakeAStore() throws {
        let tmp = try VOCBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let db = tmp.path + "/typo.sqlite"
        let readers: [[String]] = [
            ["report"], ["themes"], ["drill", "refund"], ["feed", "--out", tmp.path + "/feeds"], ["impact"], ["export"], ["status"],
            ["analyze"], ["quarantine", "--list"], ["forget", "someone"],
        ]
        for command in readers {
            let result = try VOCBinary.run(command + ["--db", db])
            #expect(result.status == 2, "\(command)")
            #expect(result.stderr.contains("no store at \(db)"), "\(command): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: db), "\(command) made a store")
        }
        let missing = tmp.path + "/no-such-export.csv", pattern = tmp.path + "/exports/*.csv"
        for command in [["ingest", missing], ["run", missing, "--out", tmp.path + "/reports"], ["ingest", pattern]] {
            let result = try VOCBinary.run(command + ["--db", db])
            #expect(result.status == 2, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("no such file or directory: \(missing)") || result.stderr.contains("no file matches \(pattern)"), "\(command): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: db), "\(command) made a store for a missing input")
        }
    }

    /// `ingest` and `run` make the store's folder when it is not there (they stopped on SQLite's "unable to
    /// open database file"); a folder that is a file is named.
    @Test func ingestMakesTheStoresFolder() throws {
        let tmp = try VOCBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let input = tmp.path + "/survey.csv"
        try "ResponseId,SubmittedAt,NPS,Comment\nR1,2026-11-16 10:00,2,Delivery was late again\n".write(toFile: input, atomically: false, encoding: .utf8)
        let db = tmp.path + "/stores/2026/voc.sqlite"
        let result = try VOCBinary.run(["ingest", input, "--db", db])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: db))
        try "".write(toFile: tmp.path + "/plain", atomically: false, encoding: .utf8)
        let blocked = try VOCBinary.run(["ingest", input, "--db", tmp.path + "/plain/voc.sqlite"])
        #expect(blocked.status == 2, "\(blocked.stderr)")
        #expect(blocked.stderr.contains("\(tmp.path)/plain is a file, not a folder"), "\(blocked.stderr)")
    }

    @Test func scoreAndClusterKeepTheBenchContract() throws {
        let texts = "I love it\nMy bag is lost and nobody helps\n\nWhere is my refund?\n"
        let score = try VOCBinary.run(["score", "--format", "tsv"], stdin: texts)
        let lines = score.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 4)
        #expect(lines.map { $0.split(separator: "\t").last.map(String.init) ?? "" } == ["positive", "negative", "neutral", "negative"])
        let cluster = try VOCBinary.run(["cluster", "--k", "2", "--seed", "3", "--format", "tsv"], stdin: texts + texts)
        #expect(cluster.stdout.split(separator: "\n").count == 8)
        #expect(cluster.stdout.split(separator: "\n").allSatisfy { $0.contains("\t") })
        // jsonl: the same themes, plus keyphrases and each line's fit to its theme.
        let jsonl = try VOCBinary.run(["cluster", "--k", "2", "--seed", "3", "--format", "jsonl"], stdin: texts + texts)
        struct Line: Decodable { var line: Int; var theme_id: String; var keyphrases: [String]?; var score: Double? }
        let parsed = try jsonl.stdout.split(separator: "\n").map { try JSONDecoder().decode(Line.self, from: Data($0.utf8)) }
        #expect(parsed.map(\.line) == Array(1...8))
        #expect(parsed.map(\.theme_id) == cluster.stdout.split(separator: "\n").map { String($0.split(separator: "\t")[0]) })
        for line in parsed where line.theme_id != "none" {
            #expect(line.score.map { $0 > 0 && $0 <= 1 } == true, "line \(line.line): \(String(describing: line.score))")
        }
    }

    /// A line over `voc score`'s 1 MB limit is written as unscored and named on stderr, the other lines are
    /// scored as without it, and the exit code is 1; from a file and from a pipe alike. `voc cluster` too.
    /// `--english-only` scores as the pipeline does: a line in another language is written as unscored and
    /// counted, and the run does not fail for it; without the flag every line is scored.
    @Test func englishOnlyLeavesOtherLanguagesUnscored() throws {
        let texts = "Mon colis n'est jamais arrivé et personne ne répond\nThe service was terrible\nEl pedido llegó roto, muy mal servicio\n"
        for input in [["--format", "tsv"], ["--format", "jsonl"]] {
            let all = try VOCBinary.run(["score"] + input, stdin: texts)
            let english = try VOCBinary.run(["score", "--english-only"] + input, stdin: texts)
            let (allLines, englishLines) = (all.stdout.split(separator: "\n"), english.stdout.split(separator: "\n"))
            #expect(english.status == 0 && englishLines.count == 3)
            #expect(englishLines[1] == allLines[1] && !englishLines[1].contains("unscored"))
            #expect(englishLines[0].contains("unscored") && englishLines[2].contains("unscored"), "\(english.stdout)")
            #expect(!allLines[0].contains("unscored") && !allLines[2].contains("unscored"))
            #expect(english.stderr.contains("2 lines not in English, not scored (unscored)") && !all.stderr.contains("not in English"))
        }
    }

    @Test func anOverlongLineIsNamedAndNotScored() throws {
        let long = String(repeating: "awful ", count: (1 << 20) / 6 + 1)
        let texts = "I love it\n" + long + "\nWhere is my refund?\n"
        let directory = try VOCBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("texts.txt")
        try texts.write(to: input, atomically: true, encoding: .utf8)
        let fromFile = try VOCBinary.run(["score", "--format", "tsv", "--input", input.path])
        let fromPipe = try VOCBinary.run(["score", "--format", "tsv"], stdin: texts)
        let without = try VOCBinary.run(["score", "--format", "tsv"], stdin: "I love it\nWhere is my refund?\n")
        let lines = without.stdout.split(separator: "\n")
        for result in [fromFile, fromPipe] {
            #expect(result.status == 1)
            #expect(result.stdout.split(separator: "\n") == [lines[0], "0.0000\tunscored", lines[1]])
            #expect(result.stderr.contains("line 2: longer than 1048576 bytes, not scored"))
        }
        // voc cluster leaves it out of the themes the same way, and clusters the rest as without it.
        let documents = "my card was charged twice\nrefund please\ncard charged twice again\nwhere is my refund\n"
        let clustered = try VOCBinary.run(["cluster", "--k", "2", "--seed", "1", "--format", "tsv"], stdin: documents)
        let withLong = try VOCBinary.run(["cluster", "--k", "2", "--seed", "1", "--format", "tsv"], stdin: long + "\n" + documents)
        #expect(clustered.status == 0 && withLong.status == 1)
        #expect(withLong.stdout == "none\t(too long)\n" + clustered.stdout)
        #expect(withLong.stderr.contains("line 1: longer than 1048576 bytes, not clustered"))
    }

    /// `--input -` is stdin, as for other Unix filters.
    @Test func aDashAsInputIsStdin() throws {
        let texts = "I love it\nMy bag is lost and nobody helps\n\nWhere is my refund?\n"
        let score = try VOCBinary.run(["score", "--format", "tsv"], stdin: texts)
        let dash = try VOCBinary.run(["score", "--format", "tsv", "--input", "-"], stdin: texts)
        #expect(dash.status == 0 && dash.stdout == score.stdout && score.stdout.split(separator: "\n").count == 4)
        let cluster = try VOCBinary.run(["cluster", "--k", "2", "--seed", "3", "--format", "tsv"], stdin: texts + texts)
        let clusterDash = try VOCBinary.run(["cluster", "--k", "2", "--seed", "3", "--format", "tsv", "--input", "-"], stdin: texts + texts)
        #expect(clusterDash.status == 0 && clusterDash.stdout == cluster.stdout && cluster.stdout.split(separator: "\n").count == 8)
        #expect(try VOCBinary.run(["score", "--input", "/no/such/file"]).status == 2)
    }

    /// On one core (`taskset`) `voc score` scores its chunks one after the other instead of in a task group:
    /// the output is the same, line for line, over more than one chunk.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/taskset")))
    func scoreOnOneCoreWritesWhatItWritesOnAll() throws {
        let sentences = ["I love it", "My bag is lost and nobody helps", "", "Where is my refund?", "Not bad at all, thanks!", "NEVER again"]
        let texts = (0..<12_000).map { "\(sentences[$0 % sentences.count]) #\($0)" }.joined(separator: "\n") + "\n"
        let directory = try VOCBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("texts.txt")
        try texts.write(to: input, atomically: true, encoding: .utf8)
        #expect(texts.utf8.count > 1 << 18, "more than one 256 KB chunk")
        let all = try VOCBinary.run(["score", "--format", "tsv", "--input", input.path])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/taskset")
        process.arguments = ["-c", "0", VOCBinary.executable.path, "score", "--format", "tsv", "--input", input.path]
        var environment = ProcessInfo.processInfo.environment
        environment["VOC_LEXICONS"] = VOCBinary.packageRoot.appendingPathComponent("lexicons").path
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let pinned = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(all.stdout.split(separator: "\n").count == 12_000)
        #expect(pinned == all.stdout)
    }

    /// A pipe is read as it comes (`LineStream`), a file is mapped: the output is the same, line for line, on
    /// every core and on one, over many chunks and with the input written in pieces while the output is read.
    @Test func scoreReadsAPipeAsItReadsAFile() throws {
        let sentences = ["I love it", "My bag is lost and nobody helps", "", "Where is my refund?", "Not bad at all, thanks!", "NEVER again 😡"]
        let texts = (0..<12_000).map { "\(sentences[$0 % sentences.count]) #\($0)" }.joined(separator: "\n") + "\nno newline at the end"
        let directory = try VOCBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("texts.txt")
        try texts.write(to: input, atomically: true, encoding: .utf8)
        let fromFile = try VOCBinary.run(["score", "--format", "jsonl", "--input", input.path])
        #expect(fromFile.status == 0)
        #expect(fromFile.stdout.split(separator: "\n").count == 12_001)
        let pinned = FileManager.default.isExecutableFile(atPath: "/usr/bin/taskset")
        for command in [[VOCBinary.executable.path]] + (pinned ? [["/usr/bin/taskset", "-c", "0", VOCBinary.executable.path]] : []) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: command[0])
            process.arguments = Array(command.dropFirst()) + ["score", "--format", "jsonl"]
            var environment = ProcessInfo.processInfo.environment
            environment["VOC_LEXICONS"] = VOCBinary.packageRoot.appendingPathComponent("lexicons").path
            process.environment = environment
            let stdin = Pipe(), stdout = Pipe()
            process.standardInput = stdin
            process.standardOutput = stdout
            try process.run()
            // Written from a thread in pieces of 1 to 64 KB while the output is read here: a reader that took
            // all its input first would still pass, one that lost or split lines at a piece's edge would not.
            let bytes = Array(texts.utf8)
            let writer = stdin.fileHandleForWriting
            Thread.detachNewThread {
                var offset = 0, piece = 1
                while offset < bytes.count {
                    let end = min(bytes.count, offset + piece)
                    writer.write(Data(bytes[offset..<end]))
                    offset = end
                    piece = piece * 7 % 65_521 + 1
                }
                try? writer.close()
            }
            let out = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(command)")
            #expect(out == fromFile.stdout, "\(command)")
        }
    }

    /// `voc bench --baseline` runs another build beside each run of this one (after it, then before it in the next
    /// round), on the same corpus, and reports both.
    @Test func benchRunsABaselineBuildBackToBack() throws {
        let directory = try VOCBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try VOCBinary.run([
            "bench", "--sizes", "200", "--runs", "2", "--stage", "ingest", "--cache", directory.path, "--baseline", VOCBinary.executable.path, "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        struct Figures: Decodable { var messages: Int; var seconds: [String: Double]; var perChannel: [String: Int] }
        let both = try JSONDecoder().decode([String: [Figures]].self, from: Data(result.stdout.utf8))
        let (this, baseline) = (try #require(both["this"]?.first), try #require(both["baseline"]?.first))
        #expect(this.messages == 200 && baseline.messages == 200)
        #expect(this.perChannel == baseline.perChannel && this.perChannel.values.reduce(0, +) > 0)
        #expect(this.seconds["ingest"] != nil && baseline.seconds["ingest"] != nil && this.seconds["themes"] == nil)
        let missing = directory.appendingPathComponent("no-such-voc").path
        #expect(try VOCBinary.run(["bench", "--sizes", "200", "--baseline", missing]).status == 2)
    }

    /// A what-if file is typed by hand: what cannot be a count, a rate or a value is named with where it
    /// is, and nothing is computed from it (a negative count gave zero affected customers and exit 0).
    @Test(arguments: [
        (#"{"themes":[{"theme":"x","severity":"serious","customers":{"chat":-5}}]}"#, "themes[0] (x): customers.chat is -5"),
        (#"{"themes":[{"theme":"x","severity":"serious","customers":{},"survey_mentions":9,"survey_respondents":4}]}"#,
         "survey_mentions (9) is more than survey_respondents (4)"),
        (#"{"customer_value":-3,"themes":[]}"#, "customer_value -3.0 is not a non-negative number"),
        (#"{"themes":[{"theme":"x","customers":{"chat":5}}]}"#, "themes[0].severity: missing"),
        (#"{"themes":[{"theme":"x","severity":"serious","customers":{"chat":"five"}}]}"#, "themes[0].customers.chat: expected a whole number"),
    ])
    func impactCountsThatCannotBeAreNamed(_ json: String, _ reason: String) throws {
        let tmp = try VOCBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let counts = tmp.appendingPathComponent("counts.json")
        try json.write(to: counts, atomically: false, encoding: .utf8)
        let result = try VOCBinary.run(["impact", "--counts", counts.path])
        #expect(result.status == 2, "\(result.stdout)")
        #expect(result.stderr.contains(reason), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    /// A value of the wrong type in voc.yaml is named by its key and what was wanted, not Swift's dump.
    @Test(arguments: [
        ("customer_value: abc", "customer_value: expected a number"),
        ("complain_rate: {serious: 1.5}", "complain_rate.serious: expected a list"),
        ("complain_rate: [1]", "complain_rate: expected a mapping"),
    ])
    func configurationTypeErrorsNameTheKey(_ yaml: String, _ reason: String) throws {
        let tmp = try VOCBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let config = tmp.appendingPathComponent("voc.yaml")
        try yaml.write(to: config, atomically: false, encoding: .utf8)
        let result = try VOCBinary.run(["impact", "--counts", "/dev/null", "--config", config.path])
        #expect(result.status == 2 && result.stderr.contains("voc.yaml: \(reason)"), "\(result.stderr)")
        #expect(!result.stderr.contains("DecodingError"))
    }

    @Test func impactWhatIfCalculatorFromCounts() throws {
        let tmp = try VOCBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let counts = tmp.appendingPathComponent("counts.json")
        try #"{"customer_base":100000,"customer_value":500,"themes":[{"theme":"x","severity":"quality_or_treatment","customers":{"chat":60,"executive":4}}]}"#
            .write(to: counts, atomically: true, encoding: .utf8)
        let config = tmp.appendingPathComponent("flat.yaml")
        try "discount_rate: 0\n".write(to: config, atomically: true, encoding: .utf8)
        let result = try VOCBinary.run(["impact", "--counts", counts.path, "--config", config.path, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        struct Figures: Decodable { struct Span: Decodable { var low, base, high: Double }; var rar: Span; var cost_of_inaction: Span; var affected: Span }
        let figures = try JSONDecoder().decode([Figures].self, from: Data(result.stdout.utf8))
        #expect(abs(figures[0].affected.base - 533.33) < 0.01)
        #expect(abs(figures[0].rar.base - 66_666.67) < 0.01 && abs(figures[0].rar.low - 13_333.33) < 0.01 && abs(figures[0].rar.high - 1_600_000) < 0.01)
        #expect(abs(figures[0].cost_of_inaction.base - 866_666.67) < 0.01)
    }

    /// kill -9 at many points during ingest and then during analysis: after every kill SQLite's integrity
    /// check passes and the store opens; rerunning reaches exactly the counts and themes of an uninterrupted run.
    @Test func killedIngestAndAnalysisLeaveAnIntactStoreAndResume() throws {
        let tmp = try VOCBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let (corpus, expected) = try VOCBinary.corpusAndReference(in: tmp, messages: 12_000, weeks: 2, seed: 5)
        let reference = tmp.appendingPathComponent("reference.sqlite").path
        let db = tmp.appendingPathComponent("killed.sqlite").path
        var generator = SplitMix64(seed: 5)
        func killDuring(_ arguments: [String], afterMicroseconds delay: UInt64) throws {
            let process = Process()
            process.executableURL = VOCBinary.executable
            process.arguments = arguments
            process.environment = ["VOC_LEXICONS": VOCBinary.packageRoot.appendingPathComponent("lexicons").path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(useconds_t(delay))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let check = try VOCBinary.run(["status", "--check", "--db", db])
            #expect(check.status == 0 && check.stderr.contains("integrity: ok"), "after a kill: \(check.stderr)")
        }
        for _ in 0..<Self.kills { try killDuring(["ingest", corpus, "--db", db], afterMicroseconds: 50_000 + generator.next() % 900_000) }
        try VOCBinary.run(["ingest", corpus, "--db", db])
        #expect(try VOCBinary.counts(db) == expected)

        try VOCBinary.run(["analyze", "--db", reference])
        for _ in 0..<Self.kills { try killDuring(["analyze", "--db", db], afterMicroseconds: 200_000 + generator.next() % 2_500_000) }
        try VOCBinary.run(["analyze", "--db", db])
        for week in ["2026-W46", "2026-W47"] {
            let themes = try VOCBinary.run(["themes", "--json", "--week", week, "--db", db]).stdout
            let wanted = try VOCBinary.run(["themes", "--json", "--week", week, "--db", reference]).stdout
            #expect(themes.filter { $0 != " " }.count > 100 && themes == wanted, "themes of \(week) differ after killed analyses")
        }
    }

    /// Kills per phase; the closing note of issue 8 reports a longer run (VOC_KILLS=100).
    static let kills = Int(ProcessInfo.processInfo.environment["VOC_KILLS"] ?? "") ?? 8
}


/// Two processes on one store: two ingests of different files at once, and a reader while they write.
@Suite(.serialized) struct ConcurrentUseTests {
    @Test func twoWritersAndAReaderShareOneStore() throws {
        let tmp = try VOCBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let a = try VOCBinary.generate(messages: 6_000, weeks: 2, seed: 31, in: tmp, named: "a")
        let b = try VOCBinary.generate(messages: 6_000, weeks: 2, seed: 32, in: tmp, named: "b")
        // Reference counts: the same two ingests one after the other (the corpora share some natural ids,
        // which the store dedupes, so the reference is the sequential result, not a sum).
        func counts(_ db: String) throws -> (Int, Int) {
            let json = try VOCBinary.run(["status", "--json", "--db", db]).stdout
            struct Status: Decodable { var feedback: Int; var quarantined: Int }
            let status = try JSONDecoder().decode(Status.self, from: Data(json.utf8))
            return (status.feedback, status.quarantined)
        }
        let sequential = tmp.appendingPathComponent("sequential.sqlite").path
        try VOCBinary.run(["ingest", a, "--db", sequential])
        try VOCBinary.run(["ingest", b, "--db", sequential])
        let shared = tmp.appendingPathComponent("shared.sqlite").path
        let nothing = tmp.appendingPathComponent("nothing")
        try FileManager.default.createDirectory(at: nothing, withIntermediateDirectories: true)
        try VOCBinary.run(["ingest", nothing.path, "--db", shared])  // create the schema once
        let environment = ["VOC_LEXICONS": VOCBinary.packageRoot.appendingPathComponent("lexicons").path]
        func start(_ arguments: [String]) throws -> (Process, Pipe) {
            let process = Process()
            process.executableURL = VOCBinary.executable
            process.arguments = arguments
            process.environment = environment
            let err = Pipe()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = err
            try process.run()
            return (process, err)
        }
        let (first, firstErr) = try start(["ingest", a, "--db", shared])
        let (second, secondErr) = try start(["ingest", b, "--db", shared])
        // A reader meanwhile sees a consistent store and never a raw "database is locked".
        var reads = 0
        while first.isRunning || second.isRunning {
            let status = try VOCBinary.run(["status", "--json", "--db", shared])
            #expect(status.status == 0, "\(status.stderr)")
            #expect(!status.stderr.contains("database is locked"))
            reads += 1
            usleep(100_000)
        }
        first.waitUntilExit()
        second.waitUntilExit()
        let errors = String(decoding: firstErr.fileHandleForReading.readDataToEndOfFile() + secondErr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect([0, 1].contains(first.terminationStatus) && [0, 1].contains(second.terminationStatus), "\(errors.suffix(500))")
        #expect(!errors.contains("database is locked"))
        #expect(reads > 0)
        // No lost and no duplicated writes: the concurrent store holds exactly what the sequential one does.
        let (fq, qq) = try counts(sequential)
        let (fs, qs) = try counts(shared)
        #expect(fs == fq && qs == qq, "concurrent \(fs)/\(qs) vs sequential \(fq)/\(qq)")
        #expect(try VOCBinary.run(["status", "--db", shared]).status == 0)
    }
}

extension ConcurrentUseTests {
    /// Reports, drill-downs and a second analysis while an ingest writes: the readers answer from a
    /// consistent snapshot (exit 0), the second writer waits or says plainly that the store is busy.
    @Test func reportAndDrillWhileAnIngestWrites() throws {
        let tmp = try VOCBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let a = try VOCBinary.generate(messages: 4_000, weeks: 2, seed: 41, in: tmp, named: "a")
        let b = try VOCBinary.generate(messages: 16_000, weeks: 2, seed: 42, in: tmp, named: "b")
        let db = tmp.appendingPathComponent("voc.sqlite").path
        let first = try VOCBinary.run(["run", a, "--db", db, "--out", tmp.appendingPathComponent("reports").path])
        #expect([0, 1].contains(first.status), "\(first.stderr.suffix(300))")
        let ingest = Process()
        ingest.executableURL = VOCBinary.executable
        ingest.arguments = ["ingest", b, "--db", db]
        ingest.environment = ["VOC_LEXICONS": VOCBinary.packageRoot.appendingPathComponent("lexicons").path]
        ingest.standardOutput = FileHandle.nullDevice
        ingest.standardError = FileHandle.nullDevice
        try ingest.run()
        var answered = 0
        while ingest.isRunning {
            for command in [["drill", "refund"], ["report", "--out", tmp.appendingPathComponent("during").path], ["themes"]] {
                let result = try VOCBinary.run(command + ["--db", db])
                #expect(result.status == 0, "\(command[0]) during ingest: \(result.stderr.suffix(300))")
                #expect(!result.stderr.contains("database is locked"))
                answered += 1
            }
            let writer = try VOCBinary.run(["analyze", "--week", "2026-W47", "--db", db])
            #expect(writer.status == 0 || writer.stderr.contains("in use by another voc process"), "\(writer.stderr.suffix(300))")
            #expect(!writer.stderr.contains("database is locked"))
        }
        ingest.waitUntilExit()
        #expect([0, 1].contains(ingest.terminationStatus))
        #expect(answered >= 3)
        #expect(try VOCBinary.run(["status", "--check", "--db", db]).stderr.contains("integrity: ok"))
    }
}

/// With redaction on (the default), no address, phone number, card number, IBAN or customer name from the
/// input appears in anything any command prints or writes.
@Suite(.serialized) struct PersonalDataTests {
    static let secrets = [
        "zelda.quixote@example.org", "zelda.quixote", "+44 20 7946 0321", "020 7946 0321", "4111 1111 1111 1111", "4111111111111111",
        "GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432", "Zelda Quixote", "Quixote", "+1 (415) 555-0199",
        "Baker Street", "NW1 6XE", "zelda(at)example", "4155550321", "Larkspur",
    ]

    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString(options: .lineLength76Characters) }

    /// The personal data `writeInputs` hides in base64, as it stands in the input.
    static let encodedSecrets = [
        "Refund, call +44 20 7946 0321", "<p>Refund still missing, write to <a href=\"mailto:zelda.quixote@example.org\">me</a></p>",
        "%PDF card 4111 1111 1111 1111",
    ].map(base64)

    static func writeInputs(to directory: URL) throws {
        let fm = FileManager.default
        for folder in ["surveys", "email", "chat", "community", "search"] {
            try fm.createDirectory(at: directory.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        var csv = "response_id,date,email,nps,comment\n"
        for i in 0..<40 {
            csv += "r\(i),2026-11-1\(6 + i % 4),zelda.quixote@example.org,\(i % 3),\"My refund is late, call me on +44 20 7946 0321 or "
                + "write to zelda.quixote@example.org, card 4111 1111 1111 1111 was charged twice; or zelda(at)example(dot)org, "
                + "or text me on 4155550321, and ship it to 7 Larkspur Close, Bath BA1 1AA\"\n"
        }
        csv += "r99,not a date zelda.quixote@example.org,zelda.quixote@example.org,3,refund late\n"
        try csv.write(to: directory.appendingPathComponent("surveys/nps.csv"), atomically: true, encoding: .utf8)
        var mbox = ""
        for i in 0..<20 {
            mbox += """
                From zelda.quixote@example.org Mon Nov 16 10:00:00 2026
                From: Zelda Quixote <zelda.quixote@example.org>
                To: support@shop.example
                Subject: Refund for card 4111111111111111
                Date: Tue, 17 Nov 2026 10:\(10 + i):00 +0000
                Message-ID: <pii-\(i)@example.org>

                Refund still missing after two weeks. IBAN GB82 WEST 1234 5698 7654 32, phone 020 7946 0321.

                Regards,
                Zelda Quixote
                221B Baker Street
                London NW1 6XE
                +1 (415) 555-0199


                """
        }
        // One message whose personal data is encoded: in the subject, across a quoted-printable soft break,
        // in a base64 HTML alternative, and in an attachment's name and body.
        mbox += """
            From zelda.quixote@example.org Mon Nov 16 10:00:00 2026
            From: Zelda Quixote <zelda.quixote@example.org>
            Subject: =?utf-8?B?\(encodedSecrets[0])?=
            Date: Tue, 17 Nov 2026 11:00:00 +0000
            Message-ID: <pii-encoded@example.org>
            Content-Type: multipart/mixed; boundary="m"

            --m
            Content-Type: multipart/alternative; boundary="a"

            --a
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: quoted-printable

            Refund still missing, write to zelda.quix=
            ote@example.org or card 4111=201111 1111 1111.
            --a
            Content-Type: text/html; charset=utf-8
            Content-Transfer-Encoding: base64

            \(encodedSecrets[1])
            --a--
            --m
            Content-Type: application/pdf
            Content-Disposition: attachment; filename="statement zelda.quixote@example.org.pdf"
            Content-Transfer-Encoding: base64

            \(encodedSecrets[2])
            --m--


            """
        try mbox.write(to: directory.appendingPathComponent("email/inbox.mbox"), atomically: true, encoding: .utf8)
        var chats = ""
        for i in 0..<20 {
            chats += #"{"id":"pii-c\#(i)","started":"2026-11-18T09:00:00Z","customer":"zelda.quixote@example.org","customer_name":"Zelda Quixote","turns":[{"role":"customer","author":"Zelda Quixote","time":"2026-11-18T09:00:00Z","text":"The refund never came, my card 4111 1111 1111 1111, mail zelda.quixote@example.org"},{"role":"agent","author":"Sam","text":"Sorry Zelda Quixote, checking"}]}"# + "\n"
        }
        try chats.write(to: directory.appendingPathComponent("chat/chats.jsonl"), atomically: true, encoding: .utf8)
        var atom = #"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>f</title>"#
        for i in 0..<10 {
            atom += "<entry><id>pii-\(i)</id><title>Refund late</title><updated>2026-11-19T10:00:00Z</updated><author><name>Zelda Quixote</name>"
                + "<email>zelda.quixote@example.org</email></author><content>Refund late, reach me at zelda.quixote@example.org or +44 20 7946 0321</content></entry>"
        }
        try (atom + "</feed>").write(to: directory.appendingPathComponent("community/forum.atom"), atomically: true, encoding: .utf8)
        var searches = "timestamp,query,results,session,customer\n"
        for i in 0..<10 { searches += "2026-11-19T10:0\(i):00Z,refund zelda.quixote@example.org,0,s\(i),zelda.quixote@example.org\n" }
        // Normalising a query must not come first: it would turn these into words no rule recognises.
        searches += "2026-11-19T10:10:00Z,\"refund ZELDA.QUIXOTE@EXAMPLE.ORG, call 020 7946 0321!\",0,s10,zelda.quixote@example.org\n"
        try searches.write(to: directory.appendingPathComponent("search/searches.csv"), atomically: true, encoding: .utf8)
    }

    @Test func noCommandPrintsOrWritesPersonalData() throws {
        let tmp = try VOCBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let input = tmp.appendingPathComponent("input")
        try Self.writeInputs(to: input)
        let db = tmp.appendingPathComponent("voc.sqlite").path
        let out = tmp.appendingPathComponent("out").path
        let commands: [[String]] = [
            ["run", input.path, "--out", out + "/reports"], ["ingest", input.path], ["analyze"], ["report", "--out", out + "/reports"],
            ["themes"], ["themes", "--json"], ["drill", "refund"], ["drill", "refund", "--limit", "50"], ["feed", "--format", "csv", "--out", out + "/feeds"],
            ["feed", "--format", "md", "--out", out + "/feeds-md"], ["feed"], ["impact", "--explain"], ["export"], ["export", "--format", "csv"],
            ["status"], ["status", "--json", "--check"], ["quarantine"], ["quarantine", "--list", "--limit", "0"], ["quarantine", "--list", "--json"],
        ]
        var printed = ""
        for command in commands {
            let result = try VOCBinary.run(command + ["--db", db])
            #expect(result.status <= 1, "\(command.joined(separator: " ")): \(result.stderr.suffix(300))")
            printed += result.stdout + result.stderr
        }
        var written = ""
        let files = FileManager.default.enumerator(atPath: out)?.allObjects.compactMap { $0 as? String } ?? []
        #expect(files.count >= 4)
        for file in files { written += (try? String(contentsOfFile: out + "/" + file, encoding: .utf8)) ?? "" }
        for secret in Self.secrets {
            #expect(!printed.contains(secret), "printed: \(secret)")
            #expect(!written.contains(secret), "written: \(secret)")
        }
        #expect(printed.contains("[EMAIL]") || written.contains("[EMAIL]"), "the verbatims are there, redacted")
        // Quarantine keeps input as received (the survey row with an unreadable date): forgetting the customer
        // by their address takes it too.
        func quarantinedNamingThem() throws -> Int {
            try DatabaseQueue(path: db).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM quarantine WHERE instr(lower(CAST(raw AS TEXT)), 'zelda.quixote@example.org') > 0") ?? 0 }
        }
        #expect(try quarantinedNamingThem() > 0)
        let forget = try VOCBinary.run(["forget", "zelda.quixote@example.org", "--db", db])
        #expect(forget.status == 0 && !forget.stdout.contains("zelda"), "\(forget.stdout)")
        #expect(try quarantinedNamingThem() == 0)
        #expect(!forget.stdout.contains(" and 0 quarantined"), "\(forget.stdout)")
    }

    /// Every value of every table of the store, the stored copy of each email and its attachments' names
    /// included, holds no address, phone, card or IBAN of the input, encoded or not: only quarantine keeps
    /// raw input, as documented. (Names are not redacted: a stored email keeps its sender's name.)
    @Test func theStoreHoldsNoPersonalDataOutsideQuarantine() throws {
        let tmp = try VOCBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let input = tmp.appendingPathComponent("input")
        try Self.writeInputs(to: input)
        let db = tmp.appendingPathComponent("voc.sqlite").path
        #expect(try VOCBinary.run(["run", input.path, "--db", db, "--out", tmp.appendingPathComponent("r").path]).status <= 1)
        let secrets = Self.secrets.filter { !$0.contains("Quixote") } + ["zelda.quix", "quixote example org", "7946 0321"]
            + Self.encodedSecrets.map { String($0.prefix(40)) }
        let store = try DatabaseQueue(path: db)
        var values = 0, emails = 0
        try store.read { db in
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'feedback_fts%'") {
                let columns = try Row.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [table]).map { $0["name"] as String }
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"") {
                    for column in columns where !(table == "quarantine" && column == "raw") {
                        let value: String
                        switch (row[column] as DatabaseValue).storage {
                        case .string(let text): value = text
                        case .blob(let bytes): value = String(decoding: bytes, as: UTF8.self)
                        default: continue
                        }
                        values += 1
                        if table == "feedback", column == "raw", value.contains("[application/pdf in base64, not kept in the stored copy]") { emails += 1 }
                        for secret in secrets { #expect(!value.contains(secret), "\(table).\(column) holds \(secret)") }
                    }
                }
            }
        }
        #expect(values > 500 && emails == 1)
    }
}

/// Verbatims that look like spreadsheet formulas stay text in every CSV `voc` writes.
@Suite struct FormulaInjectionTests {
    @Test func csvExportsAndFeedsNeverStartACellWithAFormula() throws {
        let tmp = try VOCBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        var csv = "response_id,date,nps,comment\n"
        let payloads = [#""=HYPERLINK(""http://evil.example"",""refund"")""#, "+cmd|' /C calc'!A0 refund late", "-2+3 refund late", "@SUM(1) refund late"]
        for (i, payload) in payloads.enumerated() { csv += "r\(i),2026-11-16,1,\(payload)\n" }
        try csv.write(to: tmp.appendingPathComponent("nps.csv"), atomically: true, encoding: .utf8)
        let db = tmp.appendingPathComponent("voc.sqlite").path
        try VOCBinary.run(["run", tmp.appendingPathComponent("nps.csv").path, "--db", db, "--out", tmp.appendingPathComponent("r").path])
        let export = try VOCBinary.run(["export", "--format", "csv", "--db", db])
        #expect(export.status == 0 && export.stdout.contains("HYPERLINK"))
        let feed = try VOCBinary.run(["feed", "--format", "csv", "--db", db]).stdout
        for output in [export.stdout, feed] {
            for line in output.split(separator: "\n") {
                for cell in line.split(separator: ",") {
                    let text = cell.hasPrefix("\"") ? cell.dropFirst() : cell[...]
                    #expect(!(text.first.map { "=+-@".contains($0) } ?? false) || Double(text.filter { $0 != "\"" }) != nil,
                            "a cell starts a formula: \(cell)")
                }
            }
        }
    }
}

/// `voc.yaml` tells the readers what detection cannot: survey columns by name, forum selectors, agent
/// names in chat, and how few results make a failed search.
@Suite(.serialized) struct ReadingSettingsTests {
    /// `surveys.date_order` reads slash dates that could go either way; a value it does not know is named.
    @Test func surveyDateOrderFromTheConfiguration() throws {
        let tmp = try VOCBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        try "ResponseId,SubmittedAt,NPS,Comment\nR1,05/11/2026 10:00,2,Late again\n".write(
            to: tmp.appendingPathComponent("survey.csv"), atomically: false, encoding: .utf8)
        let config = tmp.appendingPathComponent("voc.yaml")
        let db = tmp.appendingPathComponent("voc.sqlite").path
        try "surveys:\n  date_order: dmy\n".write(to: config, atomically: false, encoding: .utf8)
        let refused = try VOCBinary.run(["ingest", tmp.path, "--db", db])
        #expect(refused.status == 2 && refused.stderr.contains("surveys.date_order: day_first or month_first"), "\(refused.stderr)")
        try "surveys:\n  date_order: day_first\n".write(to: config, atomically: false, encoding: .utf8)
        #expect(try VOCBinary.run(["ingest", tmp.path, "--db", db]).status == 0)
        #expect(try VOCBinary.run(["status", "--db", db]).stdout.contains("2026-W45 1"))
    }

    /// The same for plain-text chat transcripts, forum pages and search logs, each under its channel.
    @Test func chatCommunityAndSearchDateOrdersFromTheConfiguration() throws {
        let tmp = try VOCBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        try "[05/11/2026 10:00] Anna: my parcel is late again\n".write(to: tmp.appendingPathComponent("chat.txt"), atomically: false, encoding: .utf8)
        try "query,timestamp,results\nleather boots,05/11/2026 10:00,0\n".write(to: tmp.appendingPathComponent("searches.csv"), atomically: false, encoding: .utf8)
        let config = tmp.appendingPathComponent("voc.yaml")
        let db = tmp.appendingPathComponent("voc.sqlite").path
        for key in ["chat", "community", "search"] {
            try "\(key):\n  date_order: ymd\n".write(to: config, atomically: false, encoding: .utf8)
            let refused = try VOCBinary.run(["ingest", tmp.path, "--db", db])
            #expect(refused.status == 2 && refused.stderr.contains("\(key).date_order: day_first or month_first, not \"ymd\""), "\(refused.stderr)")
        }
        try "chat:\n  date_order: day_first\nsearch:\n  date_order: day_first\n".write(to: config, atomically: false, encoding: .utf8)
        #expect(try VOCBinary.run(["ingest", tmp.path, "--db", db]).status == 0)
        #expect(try VOCBinary.run(["status", "--db", db]).stdout.contains("2026-W45 2"))
    }

    /// `timezone`: a week runs Monday to Sunday where the business is, and a time written without a zone is
    /// a time there. Sunday 22 November, 22:00 in New York: an email with its zone and a survey answer without
    /// one fall in the same week there, in two weeks in UTC. A store keeps the zone its weeks were counted in.
    @Test func weeksAreCountedInTheConfiguredZone() throws {
        let tmp = try VOCBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let inputs = tmp.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        try "ResponseId,SubmittedAt,NPS,Comment\nR1,2026-11-22 22:00,2,Late again\n".write(
            to: inputs.appendingPathComponent("survey.csv"), atomically: false, encoding: .utf8)
        try """
            From: Ann <ann@example.org>
            To: support@shop.example
            Subject: Parcel
            Date: Sun, 22 Nov 2026 22:00:00 -0500
            Message-ID: <zone-1@example.org>

            My parcel is late again.

            """.write(to: inputs.appendingPathComponent("mail.eml"), atomically: false, encoding: .utf8)
        let config = tmp.appendingPathComponent("voc.yaml").path
        func ingest(_ db: String) throws -> (status: Int32, stderr: String) {
            let result = try VOCBinary.run(["ingest", inputs.path, "--db", db, "--config", config])
            return (result.status, result.stderr)
        }
        func weeks(_ db: String) throws -> String { try VOCBinary.run(["status", "--db", db]).stdout }

        try "timezone: America/New_York\n".write(toFile: config, atomically: false, encoding: .utf8)
        let local = tmp.appendingPathComponent("local.sqlite").path
        #expect(try ingest(local).status == 0)
        let localWeeks = try weeks(local)
        #expect(localWeeks.contains("weeks (Monday to Sunday, America/New_York): 2026-W47 2"), "\(localWeeks)")
        #expect(try VOCBinary.run(["analyze", "--db", local, "--config", config]).status == 0)
        let reports = tmp.appendingPathComponent("reports")
        #expect(try VOCBinary.run(["report", "--db", local, "--week", "2026-W47", "--out", reports.path]).status == 0)
        let title = try String(contentsOf: reports.appendingPathComponent("2026-W47.md"), encoding: .utf8).prefix(100)
        #expect(title.contains("week 2026-W47 (Monday to Sunday, America/New_York)"), "\(title)")
        // The export gives each time as the instant and as the wall clock where the business is.
        let csv = try VOCBinary.run(["export", "--db", local, "--format", "csv"]).stdout
        #expect(csv.hasPrefix("id,channel,external_id,source,week,timestamp,local_time,"), "\(csv.prefix(120))")
        #expect(csv.components(separatedBy: "\"2026-11-23T03:00:00Z\",\"2026-11-22T22:00:00-05:00\"").count == 3, "\(csv)")
        let jsonl = try VOCBinary.run(["export", "--db", local]).stdout
        #expect(jsonl.components(separatedBy: "\"localTime\":\"2026-11-22T22:00:00-05:00\"").count == 3, "\(jsonl)")

        try "surveys:\n  date_order: month_first\n".write(toFile: config, atomically: false, encoding: .utf8)  // no zone set
        let utc = tmp.appendingPathComponent("utc.sqlite").path
        #expect(try ingest(utc).status == 0)
        let utcWeeks = try weeks(utc)
        #expect(utcWeeks.contains("2026-W47 1") && utcWeeks.contains("2026-W48 1"), "\(utcWeeks)")
        #expect(try VOCBinary.run(["export", "--db", utc, "--format", "csv"]).stdout.contains("\"2026-11-23T03:00:00Z\",\"2026-11-23T03:00:00Z\""))
        // Without a zone in the configuration, the store's own is used.
        #expect(try ingest(local).status == 0)
        #expect(try weeks(local).contains("2026-W47 2"))

        try "timezone: Europe/London\n".write(toFile: config, atomically: false, encoding: .utf8)
        let moved = try ingest(local)
        #expect(moved.status == 2 && moved.stderr.contains("this store counts its weeks in America/New_York, the configuration says Europe/London"), "\(moved.stderr)")
        let later = try ingest(utc)
        #expect(later.status == 2 && later.stderr.contains("this store counts its weeks in UTC"), "\(later.stderr)")

        try "timezone: EST\n".write(toFile: config, atomically: false, encoding: .utf8)
        let unknown = try ingest(tmp.appendingPathComponent("other.sqlite").path)
        #expect(unknown.status == 2 && unknown.stderr.contains("timezone: a zone name such as Europe/London"), "\(unknown.stderr)")
    }

    @Test func configurationMapsColumnsSelectorsAgentsAndSearchThreshold() throws {
        let tmp = try VOCBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let fm = FileManager.default
        for folder in ["surveys", "community", "chat", "search"] {
            try fm.createDirectory(at: tmp.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try "RID,When,Q7,Q8,Q9\nx1,2026-11-16,2,the refund never came,blue\nx2,2026-11-17,9,fine,red\n"
            .write(to: tmp.appendingPathComponent("surveys/export.csv"), atomically: true, encoding: .utf8)
        try """
            <html><body><div class="msg"><span class="who">ann</span><span class="when">2026-11-16T10:00:00Z</span>
            <div class="msg-text">Checkout keeps failing</div></div></body></html>
            """.write(to: tmp.appendingPathComponent("community/thread.html"), atomically: true, encoding: .utf8)
        try "[2026-11-16 10:00] Ann: where is my parcel\n[2026-11-16 10:01] Sam: checking now\n"
            .write(to: tmp.appendingPathComponent("chat/log.txt"), atomically: true, encoding: .utf8)
        try "time,query,results\n2026-11-16T10:00:00Z,red kettle,2\n2026-11-16T10:01:00Z,blue kettle,9\n"
            .write(to: tmp.appendingPathComponent("search/log.csv"), atomically: true, encoding: .utf8)
        try """
            surveys:
              columns: {id: RID, time: When, nps: Q7, text: [Q8]}
            community:
              selectors: {post: [msg], body: [msg-text], author: [who], time: [when]}
            chat:
              agent_names: [Sam]
            search:
              failed_at_most: 2
            """.write(to: tmp.appendingPathComponent("voc.yaml"), atomically: true, encoding: .utf8)
        let db = tmp.appendingPathComponent("voc.sqlite").path
        let result = try VOCBinary.run(["ingest", tmp.path, "--db", db])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr.suffix(400))")
        let export = try VOCBinary.run(["export", "--db", db]).stdout
        struct Row: Decodable {
            struct F: Decodable {
                var channel: String
                var text: String
                var role: String?
                var externalID: String
                struct S: Decodable { var nps: Int? }
                var scores: S
            }
            var feedback: F
        }
        let rows = try export.split(separator: "\n").map { try JSONDecoder().decode(Row.self, from: Data($0.utf8)).feedback }
        let survey = rows.filter { $0.channel == "survey" }.sorted { $0.externalID < $1.externalID }
        #expect(survey.map(\.text) == ["the refund never came", "fine"])
        #expect(survey.map(\.scores.nps) == [2, 9])
        #expect(rows.contains { $0.channel == "community" && $0.text.contains("Checkout keeps failing") })
        let chat = Dictionary(uniqueKeysWithValues: rows.filter { $0.channel == "chat" }.map { ($0.text, $0.role ?? "") })
        #expect(chat == ["where is my parcel": "customer", "checking now": "agent"])
        #expect(rows.filter { $0.channel == "search" }.map(\.text) == ["red kettle"])

        try "surveys:\n  columns: {nps: Q99}\n".write(to: tmp.appendingPathComponent("voc.yaml"), atomically: true, encoding: .utf8)
        let missing = try VOCBinary.run(["ingest", tmp.appendingPathComponent("surveys").path, "--channel", "survey", "--db", db,
                                          "--config", tmp.appendingPathComponent("voc.yaml").path])
        #expect(missing.status == 1 && missing.stderr.contains("\"Q99\" from surveys.columns"), "\(missing.stderr.suffix(300))")
        try "chat:\n  agents: [Sam]\n".write(to: tmp.appendingPathComponent("voc.yaml"), atomically: true, encoding: .utf8)
        #expect(try VOCBinary.run(["ingest", tmp.path, "--db", db]).stderr.contains("chat: unknown key(s) agents"))
    }
}

/// Input limits from `voc.yaml`, and a store that runs out of space.
@Suite(.serialized) struct LimitsTests {
    static func surveys(rows: Int, longComment: Int) -> String {
        var csv = "response_id,date,nps,comment\n"
        for i in 0..<rows {
            let comment = i == 1 ? String(repeating: "slow refund ", count: longComment / 12) : "delivery \(i) was late"
            csv += "r\(i),2026-11-16,\(i % 11),\(comment)\n"
        }
        return csv
    }

    @Test func limitsFromTheConfigurationQuarantineWhatIsOverThem() throws {
        let tmp = try VOCBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        try Self.surveys(rows: 6, longComment: 3_000).write(to: tmp.appendingPathComponent("nps.csv"), atomically: true, encoding: .utf8)
        try "limits:\n  max_message_bytes: 1000\n  max_records_per_file: 4\n".write(
            to: tmp.appendingPathComponent("voc.yaml"), atomically: true, encoding: .utf8)
        let db = tmp.appendingPathComponent("voc.sqlite").path
        let result = try VOCBinary.run(["ingest", tmp.path, "--db", db])
        #expect(result.status == 1, "quarantined input exits 1: \(result.stderr)")
        #expect(result.stderr.contains("limits.max_message_bytes"))
        #expect(result.stderr.contains("limits.max_records_per_file"))
        // Rows 0, 2, 3 stored; row 1 over the size limit and row 4 onward past the record limit quarantined.
        #expect(result.stdout.contains("total: read 5 = stored 3 + duplicates 0 + set aside 0 + quarantined 2"), "\(result.stdout)")

        try "limits:\n  max_message_byte: 1000\n".write(to: tmp.appendingPathComponent("voc.yaml"), atomically: true, encoding: .utf8)
        let typo = try VOCBinary.run(["ingest", tmp.path, "--db", db])
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("unknown limit max_message_byte"))
    }

    /// A file with many bad records names the first ten on stderr and counts the rest, so the summary stays
    /// readable; `voc quarantine` then counts, lists and extracts every one of them, raw bytes as read.
    @Test func manyRejectionsAreNamedTenPerFileAndKeptInFull() throws {
        let tmp = try VOCBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let path = tmp.appendingPathComponent("2026-W47-search.csv")
        var lines = ["query,time,results"]
        var bad: [Int] = []  // file line numbers of the rows with a count that is not a number
        for i in 0..<40 {
            lines.append("lost parcel \(i),2026-11-17T10:\(10 + i):00Z,\(i % 4 == 0 ? "0" : "n/a")")
            if i % 4 != 0 { bad.append(i + 2) }
        }
        try (lines.joined(separator: "\n") + "\n").write(to: path, atomically: true, encoding: .utf8)
        let db = tmp.appendingPathComponent("voc.sqlite").path
        let ingest = try VOCBinary.run(["ingest", path.path, "--db", db])
        #expect(ingest.status == 1)
        #expect(ingest.stdout.contains("total: read 40 = stored 10 + duplicates 0 + set aside 0 + quarantined 30"), "\(ingest.stdout)")
        let named = ingest.stderr.split(separator: "\n").filter { $0.hasPrefix("quarantined \(path.path): line ") }
        #expect(named.map { Int($0.components(separatedBy: ": line ")[1].prefix { $0.isNumber }) } == bad.prefix(10).map { $0 })
        #expect(ingest.stderr.contains("quarantined 20 more from \(path.path)"), "\(ingest.stderr)")

        let overview = try VOCBinary.run(["quarantine", "--db", db])
        #expect(overview.status == 0 && overview.stdout.contains("30  \(path.path)") && overview.stdout.contains("result count \"n/a\" is not a number"))
        let listed = try VOCBinary.run(["quarantine", "--list", "--limit", "0", "--json", "--db", db])
        let positions = listed.stdout.split(separator: "\n").compactMap { line -> String? in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) .flatMap { ($0 as? [String: Any])?["position"] as? String }
        }
        #expect(positions == bad.map { "line \($0)" })
        let firstTwo = try VOCBinary.run(["quarantine", "--list", "--limit", "2", "--db", db])
        #expect(firstTwo.stdout.split(separator: "\n").count == 2 && firstTwo.stderr.contains("28 more"))

        let out = tmp.appendingPathComponent("extracted")
        let extract = try VOCBinary.run(["quarantine", "--extract", out.path, "--source", "W47-search", "--db", db])
        #expect(extract.status == 0 && extract.stdout.contains("wrote 30 record(s)"))
        let index = try String(contentsOf: out.appendingPathComponent("index.tsv"), encoding: .utf8).split(separator: "\n")
        #expect(index.count == 31)
        let firstFile = String(index[1].split(separator: "\t")[1])
        let raw = try String(contentsOf: out.appendingPathComponent(firstFile), encoding: .utf8)
        #expect(raw.trimmingCharacters(in: .newlines) == lines[bad[0] - 1])

        // Two rows repaired, the file ingested again: they are stored, and their quarantine is resolved. Read
        // only in part (the records-per-file limit), a file resolves nothing.
        lines[bad[0] - 1] = lines[bad[0] - 1].replacingOccurrences(of: "n/a", with: "0")
        lines[bad[1] - 1] = lines[bad[1] - 1].replacingOccurrences(of: "n/a", with: "0")
        try (lines.joined(separator: "\n") + "\n").write(to: path, atomically: true, encoding: .utf8)
        let config = tmp.appendingPathComponent("small.yaml")
        try "limits:\n  max_records_per_file: 20\n".write(to: config, atomically: true, encoding: .utf8)
        let partly = try VOCBinary.run(["ingest", path.path, "--db", db, "--config", config.path])
        #expect(partly.stdout.contains("stored 2 "), "\(partly.stdout)")
        #expect(!partly.stderr.contains("resolved"))
        #expect(try VOCBinary.run(["status", "--db", db]).stdout.contains("quarantined 31,"), "30 and the limit's own record")
        let again = try VOCBinary.run(["ingest", path.path, "--db", db])
        #expect(again.status == 0, "rows refused before count as duplicates, as any record read twice")
        #expect(again.stderr.contains("resolved 3 record(s)"), "the two repaired rows and the limit's record: \(again.stderr)")
        #expect(again.stderr.contains("; 28 earlier one(s) still refused"))
        #expect(try VOCBinary.run(["status", "--db", db]).stdout.contains("quarantined 28,"))
        let resolved = try VOCBinary.run(["quarantine", "--list", "--all", "--limit", "0", "--db", db]).stdout
        #expect(resolved.split(separator: "\n").filter { $0.contains("resolved in run 3") }.count == 3)
        #expect(try VOCBinary.run(["quarantine", "--list", "--limit", "0", "--db", db]).stdout.split(separator: "\n").count == 28)
    }

    /// A file is the same file whatever path names it: read again through another path (relative, with
    /// "./" or "..", from another directory), its refused records are not quarantined twice, it is one file
    /// in the overview, and once it is repaired they are resolved. Each record is named by the path it was
    /// first refused through.
    @Test func quarantineKnowsAFileByWhereItIsNotHowItWasNamed() throws {
        let tmp = try VOCBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let folder = tmp.appendingPathComponent("exports")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("2026-W47-search.csv")
        var lines = ["query,time,results", "lost parcel,2026-11-17T10:10:00Z,0", "refund form,2026-11-17T10:11:00Z,n/a"]
        func write() throws { try (lines.joined(separator: "\n") + "\n").write(to: path, atomically: true, encoding: .utf8) }
        try write()
        let db = tmp.appendingPathComponent("voc.sqlite").path
        #expect(try VOCBinary.run(["ingest", path.path, "--db", db]).status == 1)
        lines.append("track order,2026-11-17T10:12:00Z,none")
        try write()
        let other = "./exports/../exports/2026-W47-search.csv"
        let relative = try VOCBinary.run(["ingest", other, "--db", db], in: tmp)
        #expect(relative.stdout.contains("read 3 = stored 0 + duplicates 2 + set aside 0 + quarantined 1"), "\(relative.stdout)")
        #expect(relative.stderr.contains("quarantined \(other): line 4"), "\(relative.stderr)")
        #expect(try VOCBinary.run(["status", "--db", db]).stdout.contains("quarantined 2,"))
        let overview = try VOCBinary.run(["quarantine", "--db", db]).stdout
        #expect(overview.contains("2  \(path.path)") && !overview.contains(other), "one file, by its first name: \(overview)")
        let bySource = try VOCBinary.run(["quarantine", "--list", "--source", other, "--db", db], in: tmp).stdout.split(separator: "\n")
        #expect(bySource.count == 2 && bySource[0].contains("\(path.path):line 3") && bySource[1].contains("\(other):line 4"), "\(bySource)")

        lines[2] = lines[2].replacingOccurrences(of: "n/a", with: "0")
        lines[3] = lines[3].replacingOccurrences(of: "none", with: "0")
        try write()
        let repaired = try VOCBinary.run(["ingest", "2026-W47-search.csv", "--db", db], in: folder)
        #expect(repaired.status == 0 && repaired.stderr.contains("resolved 2 record(s)"), "\(repaired.stderr)")
        #expect(try VOCBinary.run(["status", "--db", db]).stdout.contains("quarantined 0,"))
    }

    /// Two survey exports that number their responses alike: the second file's other answers under the same
    /// ids are quarantined and named, not counted as duplicates; reading both again adds nothing.
    @Test func twoExportsNumberingResponsesAlikeLoseNothing() throws {
        let tmp = try VOCBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let nps = tmp.appendingPathComponent("nps.csv"), csat = tmp.appendingPathComponent("csat.csv")
        try "response_id,date,nps,comment\nr1,2026-11-16,3,delivery late\nr2,2026-11-16,9,great\n".write(to: nps, atomically: true, encoding: .utf8)
        try "response_id,date,nps,comment\nr1,2026-11-17,2,app keeps crashing\nr2,2026-11-16,9,great\n".write(to: csat, atomically: true, encoding: .utf8)
        let db = tmp.appendingPathComponent("voc.sqlite").path
        // One file at a time: read together, either file may be read first (two readers run at once).
        #expect(try VOCBinary.run(["ingest", nps.path, "--db", db]).status == 0)
        let first = try VOCBinary.run(["ingest", csat.path, "--db", db])
        #expect(first.status == 1)
        #expect(first.stdout.contains("total: read 2 = stored 0 + duplicates 1 + set aside 0 + quarantined 1"), "\(first.stdout)")
        #expect(first.stderr.contains("quarantined \(csat.path): line 2: id \"r1#comment\" is already stored with another text"), "\(first.stderr)")
        #expect(!first.stderr.contains("1 more"), "\(first.stderr)")
        let again = try VOCBinary.run(["ingest", nps.path, csat.path, "--db", db])
        #expect(again.stdout.contains("total: read 4 = stored 0 + duplicates 4 + set aside 0 + quarantined 0"), "\(again.stdout)")
        let listed = try VOCBinary.run(["quarantine", "--list", "--db", db]).stdout
        #expect(listed.contains("\(csat.path):line 2") && listed.contains("\(nps.path) line 2"), "\(listed)")
    }

    /// A 50 MB single CSV field: that record is quarantined with its size; the rows around it go in.
    @Test func aFiftyMegabyteFieldIsQuarantinedAndTheRestGoesIn() throws {
        let tmp = try VOCBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let path = tmp.appendingPathComponent("nps.csv")
        var data = Data("response_id,date,nps,comment\nr1,2026-11-16,3,delivery late\nr2,2026-11-16,2,\"".utf8)
        data.append(Data(repeating: UInt8(ascii: "x"), count: 50 << 20))
        data.append(Data("\"\nr3,2026-11-17,9,fine\n".utf8))
        try data.write(to: path)
        let result = try VOCBinary.run(["ingest", path.path, "--db", tmp.appendingPathComponent("voc.sqlite").path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("total: read 3 = stored 2 + duplicates 0 + set aside 0 + quarantined 1"), "\(result.stdout)")
        #expect(result.stderr.contains("line 3") && result.stderr.contains("max_message_bytes"), "\(result.stderr.suffix(300))")
    }

    /// A full store (limits.max_store_mb stands in for a small disk) ends with a clear message, exit 3, an
    /// intact store, and a rerun with room completes to exactly the counts of an uncapped ingest.
    @Test func aFullStoreEndsWithAClearErrorAndAnIntactStore() throws {
        let tmp = try VOCBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let (corpus, expected) = try VOCBinary.corpusAndReference(in: tmp, messages: 8_000, weeks: 1, seed: 11)
        let capped = tmp.appendingPathComponent("capped.yaml").path
        try "limits:\n  max_store_mb: 2\n".write(toFile: capped, atomically: true, encoding: .utf8)
        let db = tmp.appendingPathComponent("full.sqlite").path
        let full = try VOCBinary.run(["ingest", corpus, "--db", db, "--config", capped])
        #expect(full.status == 3)
        #expect(full.stderr.contains("the store is full"), "\(full.stderr)")
        #expect(!full.stderr.contains("SQLITE_FULL"))
        let check = try VOCBinary.run(["status", "--check", "--db", db])
        #expect(check.status == 0 && check.stderr.contains("integrity: ok"), "\(check.stderr)")
        try VOCBinary.run(["ingest", corpus, "--db", db])
        #expect(try VOCBinary.counts(db) == expected)
    }

    /// The same on a real full disk: a 3 MB tmpfs, where the machine lets the tests mount one (root on Linux).
    @Test(.enabled(if: TinyDisk.canMount, "needs permission to mount a tmpfs"))
    func aFullDiskEndsWithAClearErrorAndAnIntactStore() throws {
        let tmp = try VOCBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let corpus = try VOCBinary.generate(messages: 8_000, weeks: 1, seed: 11, in: tmp, named: "corpus")
        guard let disk = TinyDisk.mount() else { return }
        defer { TinyDisk.unmount(disk) }
        let db = disk + "/voc.sqlite"
        let full = try VOCBinary.run(["ingest", corpus, "--db", db])
        #expect(full.status == 3)
        #expect(full.stderr.contains("the store is full"), "\(full.stderr.suffix(400))")
        let check = try VOCBinary.run(["status", "--check", "--db", db])
        #expect(check.status == 0 && check.stderr.contains("integrity: ok"), "\(check.stderr)")
    }
}

/// A 3 MB tmpfs for the full-disk test.
enum TinyDisk {
    static var canMount: Bool {
        guard let path = mount() else { return false }
        unmount(path)
        return true
    }

    static func mount() -> String? {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("voc-disk-\(UUID().uuidString)").path
        guard (try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)) != nil else { return nil }
        guard run("/bin/mount", ["-t", "tmpfs", "-o", "size=3m", "tmpfs", path]) == 0 else {
            try? FileManager.default.removeItem(atPath: path)
            return nil
        }
        return path
    }

    /// Unmounts the disk and removes its mount point.
    static func unmount(_ path: String) {
        _ = run("/bin/umount", [path])
        try? FileManager.default.removeItem(atPath: path)
    }

    static func run(_ tool: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
