import Foundation
import GRDB
public import Ingest
import Sentiment

/// Counts for `voc status` and the report headline.
public struct StoreStatus: Sendable, Codable, Equatable {
    public var feedback: Int
    public var perChannel: [String: Int]
    public var perWeek: [String: Int]
    public var setAside: [String: Int]
    public var quarantined: Int
    public var themes: Int
    public var runs: Int
    /// Weeks never analysed, or with feedback newer than their analysis (`weeksNeedingAnalysis`).
    public var notAnalysed: [String] = []
    /// The fingerprint of the impact parameters each week's costs were computed with (weeks with costs).
    public var costParameters: [String: String] = [:]
    /// The time zone the weeks are counted in (`FeedbackStore.zone`).
    public var timezone = "UTC"
}

/// One week's headline figures.
public struct WeekSummary: Sendable {
    public var perChannel: [Channel: Int]
    public var sentiment: [String: Int]
    public var meanCompound: Double
    public var nps: Double?
    public var npsRespondents: Int
    public var csat: Double?
    public var quarantined: Int
    public var setAside: [String: Int]
    public var notEnglish: Int
    /// The customer messages of the week in each language but English (and `und`), as guessed on ingest.
    public var otherLanguages: [String: Int] = [:]
    public var tooShort: Int
    public var otherTheme: Int
}

extension FeedbackStore {
    /// SQLite's full `PRAGMA integrity_check` and foreign-key check: `["ok"]`, or the problems found.
    public func integrityCheck() throws -> [String] {
        try writer.read { db in
            var problems = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
            problems += try String.fetchAll(db, sql: "PRAGMA foreign_key_check").map { "foreign key: \($0)" }
            return problems.isEmpty ? ["ok"] : problems
        }
    }

    public func status() throws -> StoreStatus {
        try writer.read { db in
            func grouped(_ sql: String) throws -> [String: Int] {
                var out: [String: Int] = [:]
                for row in try Row.fetchAll(db, sql: sql) { out[row[0] as String] = row[1] }
                return out
            }
            return StoreStatus(
                feedback: try Int.fetchOne(db, sql: "SELECT count(*) FROM feedback")!,
                perChannel: try grouped("SELECT channel, count(*) FROM feedback GROUP BY channel"),
                perWeek: try grouped("SELECT week, count(*) FROM feedback GROUP BY week"),
                setAside: try grouped("SELECT set_aside, count(*) FROM feedback WHERE set_aside IS NOT NULL GROUP BY set_aside"),
                quarantined: try Int.fetchOne(db, sql: "SELECT count(*) FROM quarantine WHERE resolved_run IS NULL")!,
                themes: try Int.fetchOne(db, sql: "SELECT count(*) FROM themes")!,
                runs: try Int.fetchOne(db, sql: "SELECT count(*) FROM runs")!,
                notAnalysed: try String.fetchAll(db, sql: Self.weeksNeedingAnalysisSQL),
                costParameters: try Self.costParameters(db),
                timezone: try Self.zone(db).identifier)
        }
    }

    /// The fingerprint of the impact parameters each week's costs were computed with, by week.
    public func costParameters() throws -> [String: String] {
        try writer.read { try Self.costParameters($0) }
    }

    private static func costParameters(_ db: Database) throws -> [String: String] {
        try Row.fetchAll(db, sql: "SELECT week, min(parameters) FROM impact GROUP BY week").reduce(into: [:]) { $0[$1[0] as String] = $1[1] as String }
    }

    /// Records of a week kept but set aside (auto-replies, agent turns, ...).
    public func setAsideCount(week: Week) throws -> Int {
        try writer.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM feedback WHERE week = ? AND set_aside IS NOT NULL", arguments: [week.description]) ?? 0
        }
    }

    /// A week's headline figures in one pass over its rows (it was seven queries, two of them joins: about
    /// two seconds for a 250,000-message week, paid twice by every report).
    public func summary(week: Week) throws -> WeekSummary {
        try writer.read { db in
            let w = week.description
            var perChannel: [Channel: Int] = [:]
            var sentiment: [String: Int] = [:]
            var compoundSum = 0.0, compoundCount = 0
            var setAside: [String: Int] = [:]
            // Survey scores per respondent, not per verbatim: the highest score of each conversation (response id).
            var nps: [String?: Int] = [:]
            var csat: [String?: Double] = [:]
            var otherLanguages: [String: Int] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT f.channel, f.set_aside, f.role, f.conversation, f.nps, f.csat, s.label, s.compound, f.language
                FROM feedback f LEFT JOIN sentiment s ON s.feedback = f.rowid WHERE f.week = ?
                """, arguments: [w])
            while let row = try rows.next() {
                let channel: String = row[0]
                let aside: String? = row[1]
                let role: String? = row[2]
                if let aside { setAside[aside, default: 0] += 1 } else if role == nil || role == "customer" {
                    perChannel[Channel(rawValue: channel)!, default: 0] += 1
                    if channel != "search", let language: String = row[8], !LanguageGuess.readsAsEnglish(language) {
                        otherLanguages[language, default: 0] += 1
                    }
                }
                if let label: String = row[6] {
                    sentiment[label, default: 0] += 1
                    if label != "unscored", let compound: Double = row[7] {
                        compoundSum += compound
                        compoundCount += 1
                    }
                }
                guard channel == "survey" else { continue }
                let conversation: String? = row[3]
                if let score: Int = row[4] { nps[conversation] = max(nps[conversation] ?? .min, score) }
                if let score: Double = row[5] { csat[conversation] = max(csat[conversation] ?? -.infinity, score) }
            }
            let promoters = nps.values.filter { $0 >= 9 }.count
            let detractors = nps.values.filter { $0 <= 6 }.count
            let analysis = try Row.fetchOne(db, sql: "SELECT * FROM analyses WHERE week = ?", arguments: [w])
            return WeekSummary(
                perChannel: perChannel, sentiment: sentiment, meanCompound: compoundCount > 0 ? compoundSum / Double(compoundCount) : 0,
                nps: nps.isEmpty ? nil : 100 * Double(promoters - detractors) / Double(nps.count), npsRespondents: nps.count,
                csat: csat.isEmpty ? nil : csat.values.reduce(0, +) / Double(csat.count),
                quarantined: try Int.fetchOne(db, sql: "SELECT count(*) FROM quarantine WHERE resolved_run IS NULL")!, setAside: setAside,
                notEnglish: analysis?["not_english"] ?? 0, otherLanguages: otherLanguages, tooShort: analysis?["too_short"] ?? 0,
                otherTheme: analysis?["other_theme"] ?? 0)
        }
    }

    /// Every stored feedback with its sentiment and themes, for `voc export`.
    /// Every stored feedback (of `week`, or all), with the week it is filed under, its sentiment and themes.
    public func export(week: Week?, _ body: (Feedback, String, String?, Double?, [String]) throws -> Void) throws {
        try writer.read { db in
            let sql = """
                SELECT \(Self.feedbackColumns("f.")), f.week AS week, s.label AS s_label, s.compound AS s_compound,
                       (SELECT group_concat(DISTINCT theme_id) FROM mentions m WHERE m.feedback = f.rowid) AS theme_ids
                FROM feedback f LEFT JOIN sentiment s ON s.feedback = f.rowid
                \(week == nil ? "" : "WHERE f.week = ?") ORDER BY f.week, f.id
                """
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: week.map { [$0.description] } ?? [])
            while let row = try cursor.next() {
                let themes = (row["theme_ids"] as String?)?.split(separator: ",").map(String.init) ?? []
                try body(Self.feedback(row), row["week"], row["s_label"], row["s_compound"], themes)
            }
        }
    }
}

extension FeedbackStore {
    /// Distinct survey respondents in a week (with or without a comment), for survey prevalence.
    public func surveyRespondents(week: Week) throws -> Int {
        try writer.read { db in
            try Int.fetchOne(db, sql: "SELECT count(DISTINCT conversation) FROM feedback WHERE week = ? AND channel = 'survey'",
                             arguments: [week.description]) ?? 0
        }
    }

    /// Sentiment labels and channels of the feedback mentioning a theme in the given weeks.
    public func mentionBreakdown(theme: String, weeks: [Week]) throws -> (sentiment: [String: Int], channels: [String: Int], related: [String: Int]) {
        try writer.read { db in
            let marks = weeks.map { _ in "?" }.joined(separator: ",")
            var arguments: [(any DatabaseValueConvertible)?] = [theme]
            arguments += weeks.map { $0.description }
            var sentiment: [String: Int] = [:], channels: [String: Int] = [:], related: [String: Int] = [:]
            // Mentions alone where the feedback row adds nothing: deleting feedback deletes its mentions (trigger
            // `feedback_analysis_delete`), and the join was a random lookup per mention (drill of a 58,000-mention
            // theme on the 1M store: these three queries 0.80 s -> 0.50 s through SQLite).
            let base = "FROM mentions m WHERE m.theme_id = ? AND m.week IN (\(marks))"
            for row in try Row.fetchAll(db, sql: """
                SELECT CASE WHEN m.compound >= \(SentimentScore.positiveThreshold) THEN 'positive' WHEN m.compound <= \(SentimentScore.negativeThreshold) THEN 'negative' ELSE 'neutral' END, count(*) \(base) GROUP BY 1
                """, arguments: StatementArguments(arguments)) { sentiment[row[0]] = row[1] }
            for row in try Row.fetchAll(db, sql: "SELECT f.channel, count(*) FROM feedback f WHERE f.rowid IN (SELECT m.feedback \(base)) GROUP BY 1",
                                        arguments: StatementArguments(arguments)) {
                channels[row[0]] = row[1]
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT o.theme_id, count(DISTINCT o.feedback) FROM mentions o WHERE o.theme_id != ? AND o.feedback IN
                (SELECT m.feedback \(base)) GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5
                """, arguments: StatementArguments([theme] + arguments)) { related[row[0]] = row[1] }
            return (sentiment, channels, related)
        }
    }

    /// What `forget` removed.
    public struct Forgotten: Sendable, Equatable {
        public var feedback: Int
        public var quarantined: Int
    }

    /// Deletes every feedback row of the customer reference `customer` and of their conversations, and every
    /// quarantined record whose raw bytes name one of `identifiers` (the customer's id or address as in the
    /// source, matched whole and ignoring ASCII case): quarantined input could not be parsed, so it carries
    /// no reference, and was kept as received. The deleted content is overwritten in the file
    /// (`secure_delete`, which not every SQLite build turns on), the full-text index merged, and the
    /// write-ahead log emptied after, so none of it stays on disk in free pages, index segments or old
    /// log frames.
    public func forget(customer: String, identifiers: [String] = []) throws -> Forgotten {
        try forget([(customer, identifiers)])[0]
    }

    /// `forget` for several customers at once (a batch of erasure requests): one transaction, and the
    /// index merged and the log emptied once for all of them.
    public func forget(_ customers: [(customer: String, identifiers: [String])]) throws -> [Forgotten] {
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA secure_delete = ON")
            defer { try? db.execute(sql: "PRAGMA secure_delete = OFF") }
            var all: [Forgotten] = []
            try db.inTransaction {
                for (customer, identifiers) in customers {
                    var forgotten = Forgotten(feedback: 0, quarantined: 0)
                    try db.execute(sql: """
                        DELETE FROM feedback WHERE customer = ?
                            OR conversation IN (SELECT conversation FROM feedback WHERE customer = ? AND conversation IS NOT NULL)
                        """, arguments: [customer, customer])
                    forgotten.feedback = db.changesCount
                    var ids = Set<Int64>()
                    for identifier in identifiers.map({ Array($0.utf8.map(Self.asciiLowercased)) }) where !identifier.isEmpty {
                        // SQLite narrows the records down; the whole-word test is here (`cust-26` is not `cust-267`).
                        let rows = try Row.fetchAll(db, sql: "SELECT id, raw FROM quarantine WHERE instr(lower(CAST(raw AS TEXT)), ?) > 0",
                                                    arguments: [String(decoding: identifier, as: UTF8.self)])
                        for row in rows where Self.names([UInt8](row["raw"] as Data), identifier) { ids.insert(row["id"]) }
                    }
                    for id in ids { try db.execute(sql: "DELETE FROM quarantine WHERE id = ?", arguments: [id]) }
                    forgotten.quarantined = ids.count
                    all.append(forgotten)
                }
                // A deleted row's words stay in the full-text index's segments, marked deleted, until a merge:
                // merging all of them drops them (0.2 s for 500,000 rows).
                if all.contains(where: { $0.feedback > 0 }) { try db.execute(sql: "INSERT INTO feedback_fts(feedback_fts) VALUES ('optimize')") }
                return .commit
            }
            try db.checkpoint(.truncate)
            return all
        }
    }

    private static func asciiLowercased(_ byte: UInt8) -> UInt8 { byte &- 0x41 < 26 ? byte | 0x20 : byte }

    /// Whether `raw` holds `identifier` (lowercased) as a whole word: not inside a longer id or address.
    static func names(_ raw: [UInt8], _ identifier: [UInt8]) -> Bool {
        func isPart(_ byte: UInt8) -> Bool {
            let lower = asciiLowercased(byte)
            return (lower >= 0x61 && lower <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || "._%+-@".utf8.contains(byte) || byte >= 0x80
        }
        guard raw.count >= identifier.count else { return false }
        var start = 0
        while start + identifier.count <= raw.count {
            var k = 0
            while k < identifier.count, asciiLowercased(raw[start + k]) == identifier[k] { k += 1 }
            if k == identifier.count {
                let end = start + identifier.count
                // A trailing full stop ends a sentence, not the address.
                let before = start == 0 || !isPart(raw[start - 1])
                let after = end == raw.count || !isPart(raw[end]) || (raw[end] == 0x2E && (end + 1 == raw.count || !isPart(raw[end + 1])))
                if before && after { return true }
            }
            start += 1
        }
        return false
    }
}
