import Foundation
import GRDB

/// A quarantined record without its raw bytes: where it came from and why it was refused. Safe to print
/// (readers never put customer text in a reason); the raw bytes are not, and are read apart.
public struct QuarantinedRecord: Sendable, Codable, Equatable {
    public var id: Int64
    public var run: Int64
    public var channel: String?
    public var source: String
    public var position: String
    public var reason: String
    /// Size of the raw bytes kept.
    public var bytes: Int
    /// The run that read the record's file again in full without meeting it (nil: still outstanding).
    public var resolvedRun: Int64?
}

/// Quarantined records of one source file, for the overview.
public struct QuarantinedSource: Sendable, Codable, Equatable {
    public var source: String
    public var channel: String?
    public var count: Int
    /// The reason given most often in that file, and how often.
    public var commonReason: String
    public var commonReasonCount: Int
}

/// Which quarantined records to read: substrings of the source path and of the reason (nil: any), and
/// whether resolved records are included (outstanding ones only by default). `source` is looked for in the
/// path a record's file was named by and in its key (where the file is); `sourceKey`, the key of the
/// path the user named when it exists, in the key, so "./exports/x.csv" finds what "exports/x.csv" kept.
public struct QuarantineFilter: Sendable {
    public var source: String?
    public var sourceKey: String?
    public var reason: String?
    public var includesResolved: Bool

    public init(source: String? = nil, sourceKey: String? = nil, reason: String? = nil, includesResolved: Bool = false) {
        self.source = source
        self.sourceKey = sourceKey
        self.reason = reason
        self.includesResolved = includesResolved
    }

    fileprivate var clause: (sql: String, arguments: StatementArguments) {
        var conditions: [String] = includesResolved ? [] : ["resolved_run IS NULL"]
        var arguments: [(any DatabaseValueConvertible)?] = []
        var sources: [String] = []
        if let source {
            sources.append("instr(source_file, ?) > 0 OR instr(source_key, ?) > 0")
            arguments += [source, source]
        }
        if let sourceKey {
            sources.append("instr(source_key, ?) > 0")
            arguments.append(sourceKey)
        }
        if !sources.isEmpty { conditions.append("(" + sources.joined(separator: " OR ") + ")") }
        if let reason {
            conditions.append("instr(reason, ?) > 0")
            arguments.append(reason)
        }
        return (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "), StatementArguments(arguments))
    }
}

extension FeedbackStore {
    /// Quarantined records in the order they were kept (file order within a file), at most `limit`.
    public func quarantined(_ filter: QuarantineFilter = QuarantineFilter(), limit: Int? = nil) throws -> [QuarantinedRecord] {
        let (clause, arguments) = filter.clause
        let sql = "SELECT id, run_id, channel, source_file, position, reason, length(raw), resolved_run FROM quarantine" + clause
            + " ORDER BY id" + (limit.map { " LIMIT \(max(0, $0))" } ?? "")
        return try writer.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                QuarantinedRecord(
                    id: row[0], run: row[1], channel: row[2], source: row[3], position: row[4], reason: row[5], bytes: row[6], resolvedRun: row[7])
            }
        }
    }

    /// How many quarantined records match `filter`.
    public func quarantinedCount(_ filter: QuarantineFilter = QuarantineFilter()) throws -> Int {
        let (clause, arguments) = filter.clause
        return try writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM quarantine" + clause, arguments: arguments) ?? 0 }
    }

    /// Quarantined records per source file, most first, each with the reason it gives most often. A file is
    /// one file however it was named (its key), shown by the path its earliest record was read through.
    public func quarantinedSources(_ filter: QuarantineFilter = QuarantineFilter()) throws -> [QuarantinedSource] {
        let (clause, arguments) = filter.clause
        // Reasons are counted per file and the most frequent kept (ties: the one met first).
        let sql = """
            WITH reasons AS (
                SELECT source_key, channel, reason, count(*) AS n, min(id) AS first FROM quarantine\(clause)
                GROUP BY source_key, reason),
            ranked AS (
                SELECT *, sum(n) OVER (PARTITION BY source_key) AS total, min(first) OVER (PARTITION BY source_key) AS earliest,
                       row_number() OVER (PARTITION BY source_key ORDER BY n DESC, first) AS place FROM reasons)
            SELECT (SELECT source_file FROM quarantine WHERE id = earliest) AS source, channel, total, reason, n
            FROM ranked WHERE place = 1 ORDER BY total DESC, source
            """
        return try writer.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                QuarantinedSource(source: row[0], channel: row[1], count: row[2], commonReason: row[3], commonReasonCount: row[4])
            }
        }
    }

    /// Marks as resolved the outstanding records of `file` that `run` did not refuse again: called once the
    /// run has read the whole file, so each of them was repaired (and stored) or is gone from it. Returns
    /// how many, and how many the file still has outstanding from earlier runs (refused again by this one).
    /// Their raw bytes stay; `voc quarantine --all` still lists them. `file` is the file's key, as `insert`
    /// was given it (its path when it was given none).
    @discardableResult
    public func resolveQuarantine(file: String, run: Int64) throws -> (resolved: Int, stillRefused: Int) {
        // Without a transaction of its own, and counted on the same connection: ingest calls it inside its
        // open bulk transaction, which a reader would not see.
        try writer.writeWithoutTransaction { db in
            try db.execute(
                sql: "UPDATE quarantine SET resolved_run = ? WHERE source_key = ? AND resolved_run IS NULL AND coalesce(seen_run, run_id) != ?",
                arguments: [run, file, run])
            let resolved = db.changesCount
            let stillRefused = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM quarantine WHERE source_key = ? AND resolved_run IS NULL AND run_id != ?", arguments: [file, run]) ?? 0
            return (resolved, stillRefused)
        }
    }

    /// The raw bytes kept for quarantined record `id` (nil: no such record). Not redacted: they could not
    /// be parsed, so they may hold anything the source held.
    public func quarantinedBytes(id: Int64) throws -> [UInt8]? {
        try writer.read { db in
            try Data.fetchOne(db, sql: "SELECT raw FROM quarantine WHERE id = ?", arguments: [id]).map { [UInt8]($0) }
        }
    }
}
