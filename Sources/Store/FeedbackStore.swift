import Foundation
public import GRDB
public import Ingest

/// The SQLite store: feedback, quarantine, runs, and each week's analysis. Every write is one transaction
/// (ingest groups its batches into larger ones, `beginBulk`), so an interrupted run never leaves a partial
/// batch.
public final class FeedbackStore: Sendable {
    public let writer: any DatabaseWriter
    /// Bulk ingest's checkpoints (file stores only).
    private let checkpoints: BackgroundCheckpoints?

    /// Opens (creating if needed) a database file in WAL mode; a second writer waits up to 10 s for the lock.
    /// `maxBytes` caps the file's size: past it a write fails with `SQLITE_FULL`, exactly as on a full disk.
    public init(path: String, maxBytes: Int? = nil) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        configuration.allowsUnsafeTransactions = true  // `beginBulk` holds a transaction across writes
        configuration.prepareDatabase { db in
            // WAL + NORMAL: never corrupts; after a power cut the last commits may be missing, and since
            // ingest is idempotent a rerun restores them. FULL costs an fsync per batch.
            try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY")
            if let maxBytes {
                let pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
                try db.execute(sql: "PRAGMA max_page_count = \(max(1, maxBytes / pageSize))")
            }
        }
        // Migrations on a connection of their own, without the in-memory temporary storage the store's
        // connections use: a migration that copies the feedback table (v6) kept its statement journal in
        // memory and peaked at 790 MB on a 1.5M-record store, 160 MB with temporary files.
        do {
            var migrating = Configuration()
            migrating.busyMode = .timeout(10)
            try Migrations.migrator.migrate(try DatabaseQueue(path: path, configuration: migrating))
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        writer = pool
        try Migrations.migrator.migrate(pool)  // nothing left to do, unless another process wrote in between
        checkpoints = try BackgroundCheckpoints(path: path)
    }

    /// True when the store cannot take another batch: it is within 16 MB of its `max_page_count`, or its disk
    /// has less than 16 MB free. SQLite reports a full disk inside a trigger or a RETURNING statement as an aborted
    /// transaction, so after a failed write the caller asks this to tell the user what really happened.
    public func isFull() -> Bool {
        let pages = try? writer.read { db in
            (try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0, try Int.fetchOne(db, sql: "PRAGMA max_page_count") ?? .max)
        }
        let margin = 16 << 20
        if let (count, limit) = pages, count + margin / 4096 >= limit { return true }
        var info = statvfs()
        let directory = (writer.path as NSString).deletingLastPathComponent
        guard statvfs(directory.isEmpty ? "." : directory, &info) == 0 else { return false }
        return UInt64(info.f_bavail) * UInt64(info.f_frsize) < UInt64(margin)
    }

    /// An in-memory store (tests).
    public init() throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.allowsUnsafeTransactions = true
        let queue = try DatabaseQueue(configuration: configuration)
        writer = queue
        checkpoints = nil
        try Migrations.migrator.migrate(queue)
    }

    // MARK: runs

    public func beginRun(version: String, command: String, seed: UInt64?, lexiconHashes: String, parameters: String) throws -> Int64 {
        try writer.write { db in
            try db.execute(
                sql: "INSERT INTO runs(version, command, seed, lexicon_hashes, parameters, started_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [version, command, seed.map { Int64(bitPattern: $0) }, lexiconHashes, parameters, DateParsing.isoString(Date())])
            return db.lastInsertedRowID
        }
    }

    public func endRun(_ id: Int64, counts: String) throws {
        try writer.write { db in
            try db.execute(sql: "UPDATE runs SET ended_at = ?, counts = ? WHERE id = ?", arguments: [DateParsing.isoString(Date()), counts, id])
        }
    }

    // MARK: ingest

    /// What one batch did.
    public struct BatchResult: Sendable {
        public var stored = 0
        public var duplicates = 0
        public var quarantined = 0
        public var setAside = 0
        /// The records the store itself quarantined (the readers' rejections aside), to be named to the user.
        public var refused: [Rejection] = []
    }

    /// Opens a write transaction that the following `insert` calls join, until `commitBulk`. Feedback ids are
    /// hashes, so every commit rewrites nearly every leaf page of the id index (twice: WAL and checkpoint);
    /// ingest commits every few hundred thousand records instead of after every file. Search logs into the
    /// 100k bench store, replayed: 0.345 s with a commit per file, 0.214 s with one (docs/scaling-history.md).
    /// Its commit leaves the checkpoint to `BackgroundCheckpoints`.
    public func beginBulk() throws {
        try writer.writeWithoutTransaction { db in
            if let checkpoints {
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
                // The log starts over only at a transaction's start and only once it is all copied back, which
                // background checkpoints never achieve: the next transaction is already appending. Left alone
                // the log grew with the input (gigabytes for a 2 GB mailbox, each page written into fresh
                // page-cache pages the kernel zeroes first: 54 s of kernel time in a 74 s ingest). Past
                // `logRestartBytes` the writer waits for the checkpoint, copies back the rest itself, and the
                // transaction it begins starts the log over.
                let pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
                if checkpoints.logFrames * pageSize > Self.logRestartBytes {
                    checkpoints.wait()
                    _ = try db.checkpoint(.passive)
                }
            }
            try db.beginTransaction(.immediate)
        }
    }

    /// Log length past which `beginBulk` lets the log start over. 2 GB mailbox, two alternating pairs: 84.9 and
    /// 79.8 s without, 68.4 and 71.7 s with (kernel time 51 → 30 s); the 1M corpus's ingest 0.90× the time; the
    /// 200 MB mailbox unchanged (docs/scaling-history.md).
    static let logRestartBytes = 64 << 20

    /// Commits the transaction `beginBulk` opened (nothing when none is open), then has the log checkpointed
    /// in the background.
    public func commitBulk() throws {
        try writer.writeWithoutTransaction { db in
            guard db.isInsideTransaction else { return }
            try db.commit()
            try endBulk(db)
        }
    }

    /// Rolls back the transaction `beginBulk` opened: after a failed write, the store is as it was at the
    /// last commit, and rerunning the ingest completes it.
    public func rollbackBulk() {
        try? writer.writeWithoutTransaction { db in
            guard db.isInsideTransaction else { return }
            try db.rollback()
            try endBulk(db)
        }
    }

    /// Returns once the checkpoints bulk commits asked for are done.
    func waitForCheckpoints() { checkpoints?.wait() }

    /// Other writes checkpoint as SQLite does by default (every 1,000 pages of log).
    private func endBulk(_ db: Database) throws {
        guard let checkpoints else { return }
        try db.execute(sql: "PRAGMA wal_autocheckpoint = 1000")
        checkpoints.request()
    }

    /// Stores a batch in one transaction (or in the open `beginBulk` one): new feedback goes in, feedback
    /// already stored (same channel and natural id) is counted as a duplicate, rejections go to quarantine.
    /// `sourceKey` is where the batch's file is, whatever path named it (see `resolveQuarantine`); nil: each
    /// rejection's own path.
    public func insert(_ feedback: [Feedback], rejections: [Rejection], run: Int64, sourceKey: String? = nil) throws -> BatchResult {
        try insert(FeedbackRows(feedback), rejections: rejections, run: run, sourceKey: sourceKey)
    }

    /// `insert` for a batch encoded beforehand (ingest encodes each batch where it is cleaned).
    public func insert(_ rows: FeedbackRows, rejections: [Rejection], run: Int64, sourceKey: String? = nil) throws -> BatchResult {
        try writer.writeWithoutTransaction { db in
            guard !db.isInsideTransaction else { return try insert(rows, rejections: rejections, run: run, sourceKey: sourceKey, in: db) }
            var result = BatchResult()
            try db.inTransaction {
                result = try insert(rows, rejections: rejections, run: run, sourceKey: sourceKey, in: db)
                return .commit
            }
            return result
        }
    }

    private func insert(_ rows: FeedbackRows, rejections: [Rejection], run: Int64, sourceKey: String?, in db: Database) throws -> BatchResult {
        var result = BatchResult()
        let firstRowID = try Int64.fetchOne(db, sql: "SELECT coalesce(max(rowid), 0) FROM feedback") ?? 0
        // Executed, not fetched: `RETURNING` made SQLite build a result row per insert (100k-message
        // corpus ingest 10.3 s -> 6.5 s); the change count says the same.
        var one = RowBinder(try db.makeStatement(sql: Self.insertRowSQL), in: db)
        var group = RowBinder(try db.makeStatement(sql: Self.insertGroupSQL), in: db)
        var violations: [Rejection] = []
        func bind(_ row: Int, from bytes: UnsafePointer<UInt8>, to binder: inout RowBinder) {
            for value in rows.row(row) { binder.bind(value, bytes: bytes) }
            binder.bind(run)
        }
        func insertOne(_ row: Int, from bytes: UnsafePointer<UInt8>) throws {
            bind(row, from: bytes, to: &one)
            // Only the uniqueness rule is ignored (a duplicate); any other constraint is a rejection.
            switch try one.step() {
            case .inserted:
                result.stored += 1
            case .ignored:
                result.duplicates += 1
            case .refused(let message):
                violations.append(rows.rejection(ofRow: row, reason: "violates the store's schema: \(message)"))
            }
        }
        // Rows go in `rowsPerStatement` at a time: a statement per row opened the table's and both indexes'
        // cursors, and closed its statement journal, for every row. A group's change count is all its
        // outcome says, so a group a constraint refused goes row by row (SQLite undoes the whole statement,
        // then each row meets its fate), and set-aside records are counted once the batch is in. Every value
        // is bound in place from the group's part of the encoded rows.
        var start = 0
        while start < rows.count {
            let end = min(start + Self.rowsPerStatement, rows.count)
            try rows.withBytes(ofRow: start) { bytes in
                // Large messages go row by row too: a group's values are all held at once until its step.
                if end - start == Self.rowsPerStatement, rows.sizes[start..<end].reduce(0, +) <= Self.groupBytes {
                    for row in start..<end { bind(row, from: bytes, to: &group) }
                    if let inserted = try group.stepCountingChanges() {
                        result.stored += inserted
                        result.duplicates += end - start - inserted
                    } else {
                        for row in start..<end { try insertOne(row, from: bytes) }
                    }
                } else {
                    for row in start..<end { try insertOne(row, from: bytes) }
                }
            }
            start = end
        }
        if result.duplicates > 0 {
            let conflicts = try conflictingDuplicates(rows, in: db)
            result.duplicates -= conflicts.count
            violations += conflicts
        }
        // The set-aside records among the rows just stored (rowids only grow). Counted per row, they kept
        // four survey groups in five (two records in five have no free text) from going in as one statement.
        result.setAside = try Int.fetchOne(
            db, sql: "SELECT count(*) FROM feedback WHERE rowid > ? AND set_aside IS NOT NULL", arguments: [firstRowID]) ?? 0
        // The batch's customer voice into the full-text index in one statement (migration v2): rowids
        // only grow, so the rows above the batch's starting rowid are exactly the ones just stored.
        try db.execute(sql: """
            INSERT INTO feedback_fts(rowid, text) SELECT rowid, text FROM feedback
            WHERE rowid > ? AND set_aside IS NULL AND (role IS NULL OR role = 'customer')
            """, arguments: [firstRowID])
        let quarantine = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO quarantine(run_id, channel, source_file, source_key, position, reason, raw) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        for (r, byTheStore) in rejections.map({ ($0, false) }) + violations.map({ ($0, true) }) {
            let key = sourceKey ?? r.source.file
            try quarantine.execute(arguments: [run, r.channel?.rawValue, r.source.file, key, r.source.position, r.reason, Data(r.raw)])
            if db.changesCount == 1 {
                result.quarantined += 1
                if byTheStore { result.refused.append(r) }
            } else {
                // Refused again at the same place: the first copy is kept, and marked as still there.
                result.duplicates += 1
                try db.cachedStatement(sql: "UPDATE quarantine SET seen_run = ?, resolved_run = NULL WHERE source_key = ? AND position = ?")
                    .execute(arguments: [run, key, r.source.position])
            }
        }
        return result
    }

    /// The rows of a batch whose id the store already holds with another text from another place: not the
    /// same record read again but another one under the same id (two survey tools numbering responses 1, 2,
    /// 3 under the same question; an edited post). The first one stays; the others go to quarantine, not
    /// into the duplicate count, where they were lost. A row that went in has its own text, so it is never
    /// one of them; a record read again from its place (its file's name and position) is the same record
    /// even if a newer `voc` or other redaction cleaned it differently.
    private func conflictingDuplicates(_ rows: FeedbackRows, in db: Database) throws -> [Rejection] {
        var conflicts: [Rejection] = []
        var start = 0
        while start < rows.count {
            let end = min(start + 500, rows.count)
            var byID: [Data: [Int]] = [:]
            for row in start..<end { byID[Data(rows.bytes(.id, ofRow: row)), default: []].append(row) }
            let placeholders = Array(repeating: "?", count: byID.count).joined(separator: ", ")
            let stored = try Row.fetchCursor(
                db, sql: "SELECT id, text, source_file, source_position FROM feedback WHERE id IN (\(placeholders))",
                arguments: StatementArguments(Array(byID.keys)))
            while let found = try stored.next() {
                let id: Data = found[0]
                let text: String = found[1] ?? ""
                let (file, position): (String, String) = (found[2] ?? "", found[3] ?? "")
                func samePlace(_ row: Int) -> Bool {
                    rows.bytes(.position, ofRow: row).elementsEqual(position.utf8)
                        && Self.fileName(rows.bytes(.file, ofRow: row)).elementsEqual(Self.fileName(ArraySlice(file.utf8)))
                }
                for row in byID[id] ?? [] where !rows.bytes(.text, ofRow: row).elementsEqual(text.utf8) && !samePlace(row) {
                    let externalID = String(decoding: rows.bytes(.externalID, ofRow: row), as: UTF8.self)
                    let place = [file, position].filter { !$0.isEmpty }.joined(separator: " ")
                    conflicts.append(rows.rejection(ofRow: row, reason: "id \(Rejection.excerpt(externalID, limit: 60)) is already stored with "
                        + "another text (\(place)): that record is kept; this one is another under the same id or an edited copy"))
                }
            }
            start = end
        }
        return conflicts
    }

    /// The last component of a path's bytes.
    private static func fileName(_ path: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        path.lastIndex(of: 0x2F).map { path[($0 + 1)...] } ?? path
    }

    // MARK: reading feedback

    /// Weeks that hold feedback, oldest first.
    public func weeks() throws -> [Week] {
        // One index seek per week instead of a scan of every record (1.7M records: 0.12 s -> 1 ms); every
        // command that picks a default week asks this first.
        try writer.read { db in
            try String.fetchAll(db, sql: """
                WITH RECURSIVE w(week) AS (
                    SELECT min(week) FROM feedback
                    UNION ALL SELECT (SELECT min(week) FROM feedback WHERE week > w.week) FROM w WHERE w.week IS NOT NULL)
                SELECT week FROM w WHERE week IS NOT NULL
                """).compactMap(Week.init)
        }
    }

    /// Whether `week` has been analysed at all (one row of `analyses`; a lookup by key).
    public func isAnalysed(_ week: Week) throws -> Bool {
        try writer.read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM analyses WHERE week = ?", arguments: [week.description]) == true }
    }

    /// Weeks whose feedback is newer than their analysis (or that have none), oldest first: what `voc run`
    /// analyses, so adding a week to a large store re-analyses that week only. Run ids only grow, so a
    /// week needs work when its newest feedback came in a later run than the one that analysed it.
    public func weeksNeedingAnalysis() throws -> [Week] {
        try writer.read { db in try String.fetchAll(db, sql: Self.weeksNeedingAnalysisSQL).compactMap(Week.init) }
    }

    static let weeksNeedingAnalysisSQL = """
        SELECT f.week FROM feedback f LEFT JOIN analyses a ON a.week = f.week
        GROUP BY f.week HAVING max(f.run_id) > coalesce(max(a.run_id), 0) ORDER BY f.week
        """

    /// One week's customer voice (customer turns, not set aside), in a stable order, each with its row in
    /// the store (what the week's analysis rows are saved against).
    public func customerVoice(in week: Week) throws -> [StoredFeedback] {
        try writer.read { db in
            // Only the columns analysis reads (not the raw message), through a cursor: a week of a million-message
            // store is 250,000 rows, and SELECT * held every raw email.
            var out: [StoredFeedback] = []
            let rows = try Row.fetchCursor(db, sql: """
                SELECT \(Self.feedbackColumns()), rowid FROM feedback
                WHERE week = ? AND set_aside IS NULL AND (role IS NULL OR role = 'customer') ORDER BY id
                """, arguments: [week.description])
            while let row = try rows.next() { out.append(StoredFeedback(row: row[16], feedback: Self.feedback(row))) }
            return out
        }
    }

    /// `FeedbackRows.groupRows`: a group's rows are encoded in one part.
    static let rowsPerStatement = FeedbackRows.groupRows
    static let groupBytes = 1 << 20

    static let insertRowSQL = insertSQL(rows: 1)
    static let insertGroupSQL = insertSQL(rows: rowsPerStatement)

    static func insertSQL(rows: Int) -> String {
        let values = "(" + Array(repeating: "?", count: 21).joined(separator: ", ") + ")"
        return """
            INSERT INTO feedback(id, channel, external_id, source_file, source_position, received_at, week, customer,
                nps, csat, rating, customer_value, role, language, set_aside, conversation, outcome, text, raw, attachments, run_id)
            VALUES \(Array(repeating: values, count: rows).joined(separator: ", "))
            ON CONFLICT DO NOTHING
            """
    }

    /// Feedback ids as query arguments, in the form the store keeps them.
    static func idArguments(_ ids: [String]) -> StatementArguments {
        StatementArguments(ids.map { id -> (any DatabaseValueConvertible) in
            var bytes: [UInt8] = []
            return Digest.appendBytes(hex: id, to: &bytes) ? Data(bytes) : id
        })
    }

    /// The columns `feedback(_:)` reads, in its order, each with `prefix` (a table alias such as `f.`).
    static func feedbackColumns(_ prefix: String = "") -> String {
        ["channel", "source_file", "source_position", "external_id", "received_at", "text", "customer", "nps", "csat", "rating",
         "customer_value", "role", "language", "set_aside", "conversation", "outcome"].map { prefix + $0 }.joined(separator: ", ")
    }

    /// Feedback from a row that starts with `feedbackColumns()`, read by position (named lookups hash the
    /// column name for every value).
    static func feedback(_ row: Row) -> Feedback {
        Feedback(
            channel: Channel(rawValue: row[0])!, source: SourceRef(file: row[1], position: row[2]), externalID: row[3],
            timestamp: Date(timeIntervalSince1970: row[4]), text: row[5], customer: row[6],
            scores: Scores(nps: row[7], csat: row[8], rating: row[9]), customerValue: row[10],
            role: (row[11] as String?).flatMap(SpeakerRole.init), language: row[12], setAside: row[13], conversation: row[14],
            outcome: (row[15] as String?).flatMap(Outcome.init))
    }

    /// Feedback by stable id.
    public func feedback(ids: [String]) throws -> [String: Feedback] {
        guard !ids.isEmpty else { return [:] }
        return try writer.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT \(Self.feedbackColumns()) FROM feedback WHERE id IN (\(ids.map { _ in "?" }.joined(separator: ",")))",
                arguments: Self.idArguments(ids))
            return Dictionary(rows.map { (row: Row) in let f = Self.feedback(row); return (f.id, f) }, uniquingKeysWith: { a, _ in a })
        }
    }

    /// Ids of feedback whose text holds the words of `query` (stemmed, best first). Only words are read, each
    /// quoted, so no FTS5 syntax reaches the index; a word of three or more letters written with a trailing
    /// "*" is a prefix ("refun*": refund, refunded, refunds). `anyTerm`: messages holding any of the words,
    /// rather than all of them.
    public func search(_ query: String, weeks: [Week]? = nil, limit: Int = 200, anyTerm: Bool = false) throws -> [String] {
        try searchCounting(query, weeks: weeks, limit: limit, anyTerm: anyTerm).ids
    }

    /// `search`, and how many messages match in all (past `limit`): what a drill by free text says it matched.
    /// One pass of the index: the count is a window over the same matches.
    public func searchCounting(_ query: String, weeks: [Week]? = nil, limit: Int = 200, anyTerm: Bool = false) throws -> (ids: [String], total: Int) {
        guard let (condition, arguments) = Self.searchCondition(query, weeks: weeks, anyTerm: anyTerm) else { return ([], 0) }
        return try writer.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT lower(hex(f.id)), count(*) OVER () FROM feedback_fts JOIN feedback f ON f.rowid = feedback_fts.rowid WHERE \(condition) ORDER BY rank LIMIT \(limit)",
                arguments: arguments)
            return (rows.map { $0[0] as String }, rows.first.map { $0[1] as Int } ?? 0)
        }
    }

    /// The full-text condition of a search (nil when it holds no word), and its arguments.
    private static func searchCondition(_ query: String, weeks: [Week]?, anyTerm: Bool) -> (String, StatementArguments)? {
        let terms = searchTerms(query).joined(separator: anyTerm ? " OR " : " ")
        guard !terms.isEmpty else { return nil }
        var condition = "feedback_fts MATCH ?"
        var arguments: [(any DatabaseValueConvertible)?] = [terms]
        if let weeks {
            condition += " AND f.week IN (\(weeks.map { _ in "?" }.joined(separator: ",")))"
            arguments += weeks.map { $0.description }
        }
        return (condition, StatementArguments(arguments))
    }

    /// The words of a search as FTS5 strings: letters and digits, quoted; `"word"*` for a prefix. Shorter
    /// prefixes are whole words: "r*" would make the index read most of its terms.
    static func searchTerms(_ query: String) -> [String] {
        var terms: [String] = [], word = ""
        for character in query + " " {
            if character.isLetter || character.isNumber {
                word.append(character)
                continue
            }
            if !word.isEmpty { terms.append("\"\(word)\"" + (character == "*" && word.count >= 3 ? "*" : "")) }
            word = ""
        }
        return terms
    }
}
