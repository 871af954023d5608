import AsyncAlgorithms
import Foundation
import Report
import Ingest
import Store

/// What `voc ingest` did, per source: read = stored + duplicates + set aside + quarantined.
struct IngestSummary: Sendable {
    struct Source: Sendable {
        var channel: Channel?
        var read = 0
        var stored = 0
        var duplicates = 0
        var setAside = 0
        var quarantined = 0
        var note: String?
        /// The file was meant to be read and was not (unreadable, or no reader takes its format), where a
        /// note on configuration or documentation says it was left out on purpose.
        var notRead = false
        /// Rejections named on stderr so far (`Ingestion.namedRejections` at most).
        var named = 0
    }

    var sources: [String: Source] = [:]
    var order: [String] = []

    var quarantined: Int { sources.values.reduce(0) { $0 + $1.quarantined } }
    var stored: Int { sources.values.reduce(0) { $0 + $1.stored } }
    var read: Int { sources.values.reduce(0) { $0 + $1.read } }
    /// Files that were not read (`Source.notRead`), in the order given.
    var filesNotRead: [String] { order.filter { sources[$0]?.notRead == true } }
    /// Whether some input did not go in: a record quarantined or a file not read. Ingest and run then end
    /// with exit code 1, so a script that checks it learns that something is waiting to be looked at.
    var leftSomethingOut: Bool { quarantined > 0 || !filesNotRead.isEmpty }

    func table() -> String {
        var lines = ["source                                        channel     read   stored  dupes  set-aside  quarantined"]
        for path in order {
            let s = sources[path]!
            let name = path.count > 44 ? "…" + path.suffix(43) : path
            if let note = s.note {
                lines.append(name.padding(toLength: 46, withPad: " ", startingAt: 0) + note)
                continue
            }
            lines.append(name.padding(toLength: 46, withPad: " ", startingAt: 0) + (s.channel?.rawValue ?? "-").padding(toLength: 9, withPad: " ", startingAt: 0)
                + [s.read, s.stored, s.duplicates, s.setAside, s.quarantined].enumerated().map { i, v in
                    String(v).leftPadded([7, 9, 7, 11, 13][i])
                }.joined())
        }
        lines.append("total: read \(read) = stored \(stored) + duplicates \(sources.values.reduce(0) { $0 + $1.duplicates }) + set aside \(sources.values.reduce(0) { $0 + $1.setAside }) + quarantined \(quarantined)")
        let notRead = filesNotRead.count
        if notRead > 0 { lines.append("not read: \(notRead) file\(notRead == 1 ? "" : "s") (see above)") }
        return lines.joined(separator: "\n")
    }
}

/// A batch of one source's records on its way to the database writer.
struct Batch: Sendable {
    var path: String
    /// Where the file is (`Ingestion.sourceKey`): what its quarantined records are known by.
    var sourceKey: String
    var channel: Channel
    var feedback: [Feedback] = []
    /// The feedback encoded for the store once cleaned (`clean` empties `feedback` into it).
    var rows = FeedbackRows()
    var rejections: [Rejection] = []
    var read = 0
    /// Text, raw message and rejected bytes held, so a batch of large emails ends early.
    var bytes = 0
    /// The file's last batch, sent once the whole file was read (not after the records-per-file limit).
    var endsFile = false
}

/// A batch passed to the task that cleans it. The task takes it out, so the batch has one owner and is
/// cleaned in place: captured by the closure, it would be copied on the first change and held twice.
/// Unchecked: `take()` runs once, in the task, after the producer has let go of the box.
final class Handoff: @unchecked Sendable {
    private var batch: Batch?
    init(_ batch: Batch) { self.batch = batch }

    func take() -> Batch {
        defer { batch = nil }
        return batch!
    }
}

/// Readers run as async producers (two at a time, one per core) and hand batches to one database writer
/// through an `AsyncChannel`, whose `send` waits for the writer: memory stays bounded whatever the input size.
struct Ingestion {
    var readers: [any FeedbackReader]
    var redactor: Redactor
    var store: FeedbackStore
    var limits = IngestLimits()
    /// Records per transaction. Feedback ids are hashes, so a batch dirties pages all over the id index, and
    /// the larger the store the more pages each commit writes: fewer, larger transactions write each page once
    /// for more rows. 1M-message corpus ingest: 2,000 per batch 134 s, 10,000 99.8 s, 25,000 85.9 s; the 1M
    /// corpus's chat into a store already holding its surveys and emails, two alternating pairs: 25,000
    /// 16.7 / 18.8 s, 50,000 14.6 / 14.7 s, peak 248 → 340 MB (docs/scaling-history.md).
    var batchSize = 50_000
    /// ...or this many bytes of text and raw messages, whichever comes first. A file has up to three batches
    /// alive (read, cleaned, written), so this bounds memory for large emails: a 2 GB mbox peaked at 283 MB
    /// with 32 MB batches and 255 MB with 16 MB ones (the issue's ceiling is 300 MB). Since the stored copy
    /// of an email is decoded (more text per message), 16 MB batches peaked at 275–289 MiB in five runs and
    /// 12 MB ones at 253 MiB, as fast (65.1 against 66.3 s, back to back).
    var batchBytes = 12 << 20
    /// Records (or bytes) the writer stores between commits: batches join one transaction (`beginBulk`) until
    /// then, because every commit rewrites the id index's pages wherever the batch's hashed ids fell. An
    /// interrupted or failed ingest keeps what was committed; rerunning it stores the rest, nothing twice.
    /// Bytes: large emails gain nothing from long transactions and lost 8-12% with 256 MB ones (the last
    /// checkpoint no longer overlapped reading); with 32 MB they ingest as fast as with a commit per batch.
    var recordsPerCommit = 250_000
    var bytesPerCommit = 32 << 20
    /// Resident bytes above which the writer returns freed memory to the system after a batch. A 2 GB mbox
    /// peaks at about 275 MiB with it, as with a trim after every batch, and the 200 MB one ingests with 58%
    /// fewer page faults and 4% less CPU (6 alternating runs; docs/scaling-history.md, sixteenth session).
    static let residentBudget = 200 << 20
    /// Rejections named on stderr per source file; the rest are counted there and listed by `voc quarantine`
    /// (a million-record week with 1% bad rows printed ten thousand lines that hid the summary).
    static let namedRejections = 10

    func run(_ paths: [String], channel forced: Channel?, run: Int64) async throws -> IngestSummary {
        var summary = IngestSummary()
        let files = try expand(paths)
        var work: [(String, any FeedbackReader)] = []
        for (path, skipReason) in files {
            summary.order.append(path)
            if let skipReason {
                summary.sources[path] = .init(note: skipReason)
                continue
            }
            guard let source = try? SourceFile(contentsOf: path) else {
                summary.sources[path] = .init(note: "not readable (permission or I/O error)", notRead: true)
                continue
            }
            let reader = readers.first { $0.channel == forced && forced != nil } ?? readers.first { $0.accepts(source) }
            guard let reader else {
                summary.sources[path] = .init(note: "no reader for this format (not ingested; use --channel to force one)", notRead: true)
                continue
            }
            summary.sources[path] = .init(channel: reader.channel)
            work.append((path, reader))
        }
        let channel = AsyncChannel<Batch>()
        let progress = Progress("ingest")
        let redactor = self.redactor
        let (batchSize, batchBytes) = (self.batchSize, self.batchBytes)
        let limits = self.limits
        let producers = Task {
            await withTaskGroup(of: Void.self) { group in
                var next = 0
                func start() {
                    guard next < work.count else { return }
                    let (path, reader) = work[next]
                    next += 1
                    group.addTask { await Ingestion.produce(
                        path: path, reader: reader, redactor: redactor, limits: limits, batchSize: batchSize, batchBytes: batchBytes,
                        into: channel) }
                }
                for _ in 0..<min(2, work.count) { start() }
                while await group.next() != nil { start() }
            }
            channel.finish()
        }
        var total = 0
        var uncommitted = (records: 0, bytes: 0)
        var inTransaction = false
        for await batch in channel {
            let result: FeedbackStore.BatchResult
            do {
                if !inTransaction {
                    try store.beginBulk()
                    inTransaction = true
                }
                result = try store.insert(batch.rows, rejections: batch.rejections, run: run, sourceKey: batch.sourceKey)
                if batch.endsFile {
                    let (resolved, stillRefused) = try store.resolveQuarantine(file: batch.sourceKey, run: run)
                    if resolved > 0 {
                        Environment.log("resolved \(resolved) record(s) an earlier ingest of \(batch.path) quarantined: this reading of the file "
                            + "no longer refused them" + (stillRefused > 0 ? "; \(stillRefused) earlier one(s) still refused" : ""))
                    }
                }
                uncommitted = (uncommitted.records + batch.read, uncommitted.bytes + batch.bytes)
                if uncommitted.records >= recordsPerCommit || uncommitted.bytes >= bytesPerCommit {
                    try store.commitBulk()
                    uncommitted = (0, 0)
                    inTransaction = false
                }
            } catch {
                store.rollbackBulk()
                producers.cancel()
                if store.isFull() { throw StoreFullError() }
                throw error
            }
            var s = summary.sources[batch.path]!
            s.read += batch.read
            s.stored += result.stored - result.setAside
            s.setAside += result.setAside
            s.duplicates += result.duplicates
            s.quarantined += result.quarantined
            if result.quarantined > 0 {
                for rejection in (batch.rejections + result.refused).prefix(max(0, Ingestion.namedRejections - s.named)) {
                    Environment.log("quarantined \(rejection.source): \(rejection.reason)")
                    s.named += 1
                }
            }
            summary.sources[batch.path] = s
            total += batch.read
            progress.update("\(total) records")
            // glibc keeps freed memory in the arena of the thread that allocated it; readers, cleaners and
            // the writer run on different threads, so without a trim each arena stays at its high-water
            // mark (a 2.26 GB mbox: 501 MB peak with it, about 230 MB with a trim per batch). Trimming only
            // above a budget lets the next batches reuse pages the last one freed: a trim per batch made
            // them fault in and be zeroed again, half the page faults of a mail ingest.
            releaseFreedMemory(above: Ingestion.residentBudget)
        }
        await producers.value
        try store.commitBulk()
        progress.done()
        for path in summary.order {
            guard let s = summary.sources[path], s.quarantined > s.named else { continue }
            Environment.log("quarantined \(s.quarantined - s.named)\(s.named > 0 ? " more" : "") from \(path) (`voc quarantine --list --source \(path)` names them)")
        }
        return summary
    }

    /// Reads one file into batches. A full batch is cleaned (redacted, its language guessed) and handed to
    /// the writer by a child task while the next one is read, so one large file keeps both cores busy; the
    /// next batch waits for that task, which keeps batches in order and at most three in memory. The
    /// limits that hold for every channel are applied here, once: message size and records per file.
    static func produce(
        path: String, reader: any FeedbackReader, redactor: Redactor, limits: IngestLimits, batchSize: Int, batchBytes: Int,
        into channel: AsyncChannel<Batch>
    ) async {
        guard let source = try? SourceFile(contentsOf: path) else { return }
        let sourceKey = Ingestion.sourceKey(path)
        await withTaskGroup(of: Void.self) { group in
            var batch = Batch(path: path, sourceKey: sourceKey, channel: reader.channel)
            var inFlight = false
            var records = 0
            func ship() async {
                if inFlight { await group.next() }
                let handoff = Handoff(batch)
                batch = Batch(path: path, sourceKey: sourceKey, channel: reader.channel)
                group.addTask {
                    var full = handoff.take()
                    clean(&full, redactor: redactor, zone: reader.zone)
                    await channel.send(full)
                }
                inFlight = true
            }
            for event in reader.read(source) {
                records += 1
                batch.read += 1
                if records > limits.maxRecordsPerFile {
                    let reason = "more than \(limits.maxRecordsPerFile) records in one file (limits.max_records_per_file): "
                        + "record \(records) onward not read; split the file or raise the limit"
                    batch.rejections.append(Rejection(source: SourceRef(file: path, position: "record \(records)"), reason: reason, raw: [], channel: reader.channel))
                    break
                }
                switch event {
                case .feedback(let feedback) where feedback.text.utf8.count > limits.maxMessageBytes:
                    let reason = "text of \(feedback.text.utf8.count) bytes is over limits.max_message_bytes (\(limits.maxMessageBytes))"
                    let raw = Array(redactor.redact(feedback.text).utf8)
                    batch.rejections.append(Rejection(source: feedback.source, reason: reason, raw: raw, channel: reader.channel))
                    batch.bytes += feedback.text.utf8.count
                case .feedback(let feedback):
                    batch.bytes += feedback.text.utf8.count + (feedback.raw?.utf8.count ?? 0)
                    batch.feedback.append(feedback)
                case .rejected(let rejection):
                    batch.bytes += rejection.raw.count
                    batch.rejections.append(rejection)
                }
                if batch.read >= batchSize || batch.bytes >= batchBytes { await ship() }
            }
            // Always sent when the file was read to its end, even empty: the writer then resolves what the
            // file's earlier ingests quarantined and this one did not meet again.
            batch.endsFile = records <= limits.maxRecordsPerFile
            await ship()
        }
    }

    /// Personal data out of everything that will be stored or printed, and a language for each text, then
    /// each record encoded for the store (`FeedbackRows`) in id order (`idOrder`): here, on the core that
    /// cleans the batch, because the writer is the one thread a large ingest waits for. In place and a record
    /// at a time: each original string is freed as its redacted copy replaces it, and each record once it is
    /// encoded, so a batch is never held twice.
    static func clean(_ batch: inout Batch, redactor: Redactor, zone: LocalZone) {
        var rows = FeedbackRows(reservingCapacity: batch.feedback.count, zone: zone)
        for i in idOrder(batch.feedback) {
            batch.feedback[i].text = redactor.redact(batch.feedback[i].text)
            batch.feedback[i].raw = batch.feedback[i].raw.map(redactor.redact)
            // Attachments are named by their senders: "statement jane@example.org.pdf".
            if !batch.feedback[i].attachments.isEmpty { batch.feedback[i].attachments = batch.feedback[i].attachments.map(redactor.redact) }
            if batch.feedback[i].language == "und" { batch.feedback[i].language = LanguageGuess.language(of: batch.feedback[i].text) }
            rows.append(batch.feedback[i])
            batch.feedback[i].text = ""
            batch.feedback[i].raw = nil
        }
        batch.rows = rows
        batch.feedback = []
        for i in batch.rejections.indices {
            // A reason may quote a value from the input; it is logged, so it is redacted like text.
            batch.rejections[i].reason = redactor.redact(batch.rejections[i].reason)
        }
    }

    /// The order in which a batch is stored: by id, keeping file order among equal ids (so the first copy of
    /// a record is the one stored). Ids are hashes: in file order every insert seeks a random leaf of the
    /// store's id index, and in a store of a million records those seeks were most of the writer's time; in
    /// id order they walk the index from one end to the other. Analysis reads in id order anyway. The
    /// records are read in this order rather than moved into it: a batch of a million-message corpus
    /// (50,000 records) is larger than the caches, and swapping them into place touched each one twice more.
    static func idOrder(_ feedback: [Feedback]) -> [Int] {
        func key(_ id: String) -> UInt64 {
            var id = id
            return id.withUTF8 { bytes in
                var key: UInt64 = 0
                for k in 0..<min(16, bytes.count) { key = key << 4 | UInt64(Digest.hexValue(bytes[k]) ?? 0) }
                return key << UInt64(4 * (16 - min(16, bytes.count)))
            }
        }
        return feedback.indices.map { (key: key(feedback[$0].id), index: $0) }.sorted { ($0.key, $0.index) < ($1.key, $1.index) }.map(\.index)
    }

    /// Where the file at `path` is, whatever path named it: absolute, with symbolic links and "." and ".."
    /// resolved (the path as given, made absolute, if it cannot be resolved). A file read again through
    /// another path is then the same file to the quarantine.
    static func sourceKey(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return URL(fileURLWithPath: path).standardizedFileURL.path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Why a file found in a folder is left out on purpose, by its extension; nil to read it. A SQLite
    /// database is no feedback export: most often it is the store itself, kept beside its input.
    static func skipReason(_ pathExtension: String) -> String? {
        switch pathExtension {
        case "yaml", "yml", "md", "toml": "skipped: configuration or documentation"
        case "sqlite", "sqlite3", "db", "sqlite-wal", "sqlite-shm", "sqlite-journal", "db-wal", "db-shm", "db-journal": "skipped: a SQLite database (the store?)"
        default: nil
        }
    }

    /// Fails, naming it, when a path given to ingest is not there or a pattern matches nothing (a shell
    /// passes `exports/*.csv` on as it is when no file matches): checked before the store is opened, so a
    /// mistyped path leaves no new store behind, and an empty match is not an ingest of nothing.
    static func requireExisting(_ paths: [String]) throws {
        for path in paths {
            if Glob.isPattern(path) {
                if Glob.expand(path).isEmpty { throw UsageError("no file matches \(path)") }
            } else if !FileManager.default.fileExists(atPath: path) {
                throw UsageError("no such file or directory: \(path)")
            }
        }
    }

    /// Files, folders (recursively, sorted) and glob patterns; hidden files and configuration are skipped with a reason.
    func expand(_ paths: [String]) throws -> [(String, String?)] {
        var out: [(String, String?)] = []
        let fm = FileManager.default
        for path in paths {
            var candidates = [path]
            if Glob.isPattern(path) { candidates = Glob.expand(path) }
            for candidate in candidates {
                var isDirectory: ObjCBool = false
                guard fm.fileExists(atPath: candidate, isDirectory: &isDirectory) else { throw UsageError("no such file or directory: \(candidate)") }
                if isDirectory.boolValue {
                    let enumerator = fm.enumerator(atPath: candidate)
                    var files: [String] = []
                    while let next = enumerator?.nextObject() as? String {
                        if next.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
                        let full = (candidate as NSString).appendingPathComponent(next)
                        var dir: ObjCBool = false
                        if fm.fileExists(atPath: full, isDirectory: &dir), !dir.boolValue { files.append(full) }
                    }
                    for file in files.sorted() {
                        out.append((file, Self.skipReason((file as NSString).pathExtension.lowercased())))
                    }
                } else {
                    out.append((candidate, nil))
                }
            }
        }
        return out
    }
}

/// A write failed because the store's disk (or `limits.max_store_mb`) is full.
struct StoreFullError: Error, CustomStringConvertible {
    var description: String {
        "the store is full (no space left on its disk, or limits.max_store_mb reached): the batch being written was "
            + "rolled back and the store is intact; free space and rerun, nothing is stored twice"
    }
}

enum Glob {
    static func isPattern(_ path: String) -> Bool { path.contains("*") || path.contains("?") || path.contains("[") }

    static func expand(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { result.gl_pathv[$0].map { String(cString: $0) } }.sorted()
    }
}

/// Returns freed heap pages to the system: glibc's `malloc_trim`, looked up at run time because the Glibc
/// module does not export `malloc.h`; a no-op where there is no such function.
func releaseFreedMemory() { _ = mallocTrim?(0) }

/// `releaseFreedMemory` when the process holds more than `budget` bytes resident.
func releaseFreedMemory(above budget: Int) {
    if residentBytes() > budget { releaseFreedMemory() }
}

/// Resident memory from /proc/self/statm (0 where there is none).
func residentBytes() -> Int {
    let fd = open("/proc/self/statm", O_RDONLY)
    guard fd >= 0 else { return 0 }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: 128)
    let n = read(fd, &buffer, buffer.count)
    guard n > 0 else { return 0 }
    let fields = buffer[..<n].split(separator: 0x20)
    guard fields.count > 1, let pages = Int(String(decoding: fields[1], as: UTF8.self)) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

private let mallocTrim: (@convention(c) (Int) -> Int32)? = {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
    return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
}()
