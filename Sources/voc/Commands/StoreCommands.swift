import ArgumentParser
import Foundation
import Impact
import Ingest
import Report
import Store

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Counts: feedback per channel and week, quarantined, themes, runs.")

    @Flag(help: "JSON output.") var json = false
    @Flag(help: "Run SQLite's integrity check on the whole store first; exit 3 when it finds a problem.") var check = false
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let db = try store.open()
        if check {
            let problems = try db.integrityCheck()
            Environment.log("integrity: " + problems.joined(separator: "\n"))
            if problems != ["ok"] { throw ExitCode(3) }
        }
        let status = try db.status()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(status), as: UTF8.self))
        } else {
            func counts(_ byName: [String: Int]) -> String {
                byName.isEmpty ? "none" : byName.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            }
            print("feedback \(status.feedback): " + counts(status.perChannel))
            print("weeks (Monday to Sunday, \(status.timezone)): " + counts(status.perWeek))
            print("set aside: " + counts(status.setAside))
            print("quarantined \(status.quarantined), themes \(status.themes), runs \(status.runs)")
            print("not analysed (or newer feedback since): " + (status.notAnalysed.isEmpty ? "none" : status.notAnalysed.joined(separator: ", ")))
            // Which parameters the stored costs stand on: a changed voc.yaml applies only to weeks analysed since.
            let byFingerprint = Dictionary(grouping: status.costParameters.keys.sorted()) { status.costParameters[$0]! }
            for (fingerprint, weeks) in byFingerprint.sorted(by: { $0.value[0] < $1.value[0] }) {
                let shown = try db.impactParameters(fingerprint: fingerprint).map(Self.describe) ?? "parameters not kept (analysed before the store kept them)"
                print("costs of \(weeks.count == 1 ? weeks[0] : "\(weeks.count) weeks, \(weeks[0]) to \(weeks.last!)"): impact parameters \(fingerprint): \(shown)")
            }
        }
    }

    /// The parameters a reader checks first: what a customer is worth and how many there are.
    static func describe(_ p: ImpactParameters) -> String {
        func number(_ value: Double?) -> String { value.map { $0.rounded() == $0 ? String(Int($0)) : String($0) } ?? "not configured" }
        return "customer_value \(number(p.customerValue?.base)) (\(p.valueUnit)), customer_base \(number(p.customerBase)), "
            + "survey_population \(number(p.surveyPopulation)), horizon \(p.horizonWeeks) weeks"
    }
}

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Every stored feedback with its sentiment and themes, as JSON lines or CSV.")

    enum Format: String, ExpressibleByArgument { case jsonl, csv }

    @Option(help: "jsonl or csv.") var format = Format.jsonl
    @Option(help: "Only this ISO week.") var week: String?
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let db = try store.open()
        let week = try self.week.map { try WeekOptions.held($0, by: db) }
        // Each time also as the wall clock where the business is (the store's zone), next to the instant.
        let zone = try db.zone()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        var buffer = Data()
        if format == .csv {
            buffer.append(Data("id,channel,external_id,source,week,timestamp,local_time,customer,nps,csat,rating,role,language,set_aside,sentiment,compound,themes,text\r\n".utf8))
        }
        try db.export(week: week) { feedback, filedUnder, label, compound, themes in
            if format == .jsonl {
                struct Row: Encodable {
                    var id: String; var feedback: Feedback; var week: String; var localTime: String; var sentiment: String?; var compound: Double?
                    var themes: [String]
                }
                var copy = feedback
                copy.raw = nil
                buffer.append(try encoder.encode(Row(
                    id: feedback.id, feedback: copy, week: filedUnder, localTime: zone.isoString(feedback.timestamp), sentiment: label, compound: compound,
                    themes: themes)))
                buffer.append(0x0A)
            } else {
                let fields: [String] = [
                    feedback.id, feedback.channel.rawValue, feedback.externalID, feedback.source.description, filedUnder,
                    DateParsing.isoString(feedback.timestamp), zone.isoString(feedback.timestamp), feedback.customer ?? "", feedback.scores.nps.map(String.init) ?? "",
                    feedback.scores.csat.map(String.init) ?? "", feedback.scores.rating.map { "\($0)" } ?? "", feedback.role?.rawValue ?? "",
                    feedback.language, feedback.setAside ?? "", label ?? "", compound.map { "\($0)" } ?? "", themes.joined(separator: ";"), feedback.text,
                ]
                buffer.append(Data((fields.map(CSVCell.safe).joined(separator: ",") + "\r\n").utf8))
            }
            if buffer.count > 1 << 20 {
                try Environment.writeOutput(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try Environment.writeOutput(buffer)
    }
}

struct ForgetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget", abstract: "Delete every record linked to a customer (their id or email, or the stored c_... reference).",
        discussion: "Several customers at once, as arguments or one per line of --from FILE (# starts a comment): one transaction for all of them.")

    @Argument(help: "The customer's id or address as it appeared in the source, or a stored c_... reference.") var customers: [String] = []
    @Option(help: "A file of customers, one per line (- for standard input).") var from: String?
    @OptionGroup var store: StoreOptions

    func run() async throws {
        var all = customers
        if let from {
            guard let handle = from == "-" ? FileHandle.standardInput : FileHandle(forReadingAtPath: from) else { throw UsageError("cannot read \(from)") }
            all += String(decoding: handle.readDataToEndOfFile(), as: UTF8.self).split(whereSeparator: \.isNewline)
                .map { $0.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0].trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        }
        all = all.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !all.isEmpty else { throw UsageError("name a customer: their id or address as in the source, or a stored c_... reference (or --from FILE)") }
        let pseudonymizer = CustomerPseudonymizer(salt: ProcessInfo.processInfo.environment["VOC_SALT"] ?? "voc-default-salt")
        // Quarantined input is kept as received: only the id or address as written there finds it.
        let requests = all.map { customer in
            (customer: customer.hasPrefix("c_") ? customer : pseudonymizer.reference(for: customer) ?? customer,
             identifiers: customer.hasPrefix("c_") ? [] : [customer])
        }
        let db = try store.open()
        let removed = try db.forget(requests)
        for (request, result) in zip(requests, removed) {
            print("removed \(result.feedback) feedback record(s) linked to \(request.customer) and \(result.quarantined) quarantined record(s) naming them")
        }
        if requests.count > 1 {
            print("total: \(removed.map(\.feedback).reduce(0, +)) feedback and \(removed.map(\.quarantined).reduce(0, +)) quarantined record(s) for \(requests.count) customers")
        }
        if removed.contains(where: { $0.feedback > 0 }) {
            Environment.log("reports, feeds and exports written before may quote them: write those again (`voc report`, `voc feed`)")
        }
        if requests.contains(where: { $0.identifiers.isEmpty }), try db.quarantinedCount(QuarantineFilter(includesResolved: true)) > 0 {
            Environment.log("quarantined records are kept as received, without a customer reference: give the customer's id or address to remove those that name them")
        }
    }
}

struct QuarantineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarantine", abstract: "The input that was refused: counts per file, each record, or its raw bytes for repair.",
        // One paragraph per line: the help wraps them at the terminal's width, and a line broken here as well
        // came out broken twice.
        discussion: """
            Without options: quarantined records per source file, with the reason given most often.

            --list: one line per record (id, source:position, reason, size of the raw bytes kept).

            A record is resolved when its file is ingested again in full and no longer refused there (repaired and stored, or removed); resolved records keep their raw bytes and are shown with --all.

            --extract DIR: the raw bytes of each selected record to DIR/<id>.raw, and DIR/index.tsv naming them. The raw bytes are input that could not be parsed, so they are not redacted: treat the files like the store itself. To recover the records, repair the source file and ingest it again: what was stored before is not added twice.
            """)

    @Flag(help: "One line per record instead of counts per file.") var list = false
    @Option(help: "Only records whose source path contains this text (or, naming a file or folder, of that file or folder).") var source: String?
    @Option(help: "Only records whose reason contains this text.") var reason: String?
    @Option(help: "At most this many records with --list (0: all).") var limit = 100

    func validate() throws {
        guard limit >= 0 else { throw ValidationError("--limit must be 0 (all) or more, not \(limit)") }
    }
    @Flag(help: "Include resolved records.") var all = false
    @Option(help: "Write the selected records' raw bytes to this directory.") var extract: String?
    @Flag(help: "JSON lines.") var json = false
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let db = try store.open()
        // A path that exists is also looked for where it is, so it finds records kept through another path.
        let sourceKey = source.flatMap { FileManager.default.fileExists(atPath: $0) ? Ingestion.sourceKey($0) : nil }
        let filter = QuarantineFilter(source: source, sourceKey: sourceKey, reason: reason, includesResolved: all)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if let extract {
            try write(try db.quarantined(filter), from: db, to: extract)
        } else if list {
            let total = try db.quarantinedCount(filter)
            let records = try db.quarantined(filter, limit: limit > 0 ? limit : nil)
            for record in records {
                print(json ? String(decoding: try encoder.encode(record), as: UTF8.self)
                    : "\(record.id)\t\(record.source):\(record.position)\t\(record.reason)\t(\(record.bytes) bytes"
                        + (record.resolvedRun.map { ", resolved in run \($0))" } ?? ")"))
            }
            if records.count < total { Environment.log("\(total - records.count) more; --limit 0 lists them all") }
        } else {
            let sources = try db.quarantinedSources(filter)
            if json {
                for source in sources { print(String(decoding: try encoder.encode(source), as: UTF8.self)) }
                return
            }
            print("quarantined  source (most frequent reason)")
            for source in sources {
                let share = source.commonReasonCount == source.count ? "" : " (\(source.commonReasonCount) of them)"
                print(String(source.count).leftPadded(11) + "  " + source.source + "\n" + String(repeating: " ", count: 13) + source.commonReason + share)
            }
            print("total \(sources.reduce(0) { $0 + $1.count }); `voc quarantine --list` names each record")
        }
    }

    private func write(_ records: [QuarantinedRecord], from db: FeedbackStore, to directory: String) throws {
        let folder = URL(fileURLWithPath: directory)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw UsageError("cannot create \(directory): \(error.localizedDescription)")
        }
        var index = "id\tfile\tchannel\tsource\tposition\treason\n"
        for record in records {
            guard let bytes = try db.quarantinedBytes(id: record.id) else { continue }
            let name = "\(record.id).raw"
            try Data(bytes).write(to: folder.appendingPathComponent(name))
            let fields = [String(record.id), name, record.channel ?? "", record.source, record.position, record.reason]
            index += fields.map { $0.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ") }.joined(separator: "\t") + "\n"
        }
        try Data(index.utf8).write(to: folder.appendingPathComponent("index.tsv"))
        print("wrote \(records.count) record(s) and index.tsv to \(directory)")
    }
}
