import Foundation
import GRDB
public import Impact
public import Ingest
public import Sentiment
public import Themes

/// A theme as seen in one week.
public struct ThemeWeek: Sendable, Codable {
    public var theme: Theme
    /// `voice` for customer messages, `search` for failed-search demand themes.
    public var kind: String
    public var messages: Int
    public var customers: Int
    public var negativeShare: Double
    /// Ids of representative feedback.
    public var representatives: [String]
    /// The theme's sub-themes this week, largest first (empty when it did not split).
    public var subthemes: [SubThemeWeek]

    public init(
        theme: Theme, kind: String, messages: Int, customers: Int, negativeShare: Double, representatives: [String],
        subthemes: [SubThemeWeek] = []
    ) {
        self.theme = theme
        self.kind = kind
        self.messages = messages
        self.customers = customers
        self.negativeShare = negativeShare
        self.representatives = representatives
        self.subthemes = subthemes
    }
}

/// A sub-theme as seen in one week.
public struct SubThemeWeek: Sendable, Codable, Equatable {
    public var label: String
    public var keyphrases: [String]
    public var messages: Int
    /// Ids of representative feedback.
    public var representatives: [String]

    public init(label: String, keyphrases: [String], messages: Int, representatives: [String]) {
        self.label = label
        self.keyphrases = keyphrases
        self.messages = messages
        self.representatives = representatives
    }
}

/// A merge or split of themes, in the week it was seen.
public struct ThemeEvent: Sendable, Equatable {
    public var week: Week
    public var change: ThemeChange

    public init(week: Week, change: ThemeChange) {
        self.week = week
        self.change = change
    }
}

/// A stored feedback record and its row in the store: analysis rows (sentiment, mentions) are keyed by
/// the row, which is an integer in insertion order, not by the id, which is a hash.
public struct StoredFeedback: Sendable {
    public var row: Int64
    public var feedback: Feedback

    public init(row: Int64, feedback: Feedback) {
        self.row = row
        self.feedback = feedback
    }
}

/// One theme mention: a sentence of a message (or the whole message, sentence -1) and its sentiment.
public struct Mention: Sendable {
    /// The message's row in the store (`StoredFeedback.row`).
    public var row: Int64
    public var sentence: Int
    public var themeID: String
    public var compound: Double

    public init(row: Int64, sentence: Int, themeID: String, compound: Double) {
        self.row = row
        self.sentence = sentence
        self.themeID = themeID
        self.compound = compound
    }
}

/// Everything the analysis of one week produced; saved in one transaction, replacing an earlier analysis.
public struct WeekAnalysis: Sendable {
    public var week: Week
    /// Each analysed message's score, by its row in the store.
    public var sentiments: [(Int64, SentimentScore)]
    public var themes: [ThemeWeek]
    public var mentions: [Mention]
    public var impacts: [String: CostOfInaction]
    /// The parameters the impacts were computed with, kept beside them (`FeedbackStore.impactParameters`).
    public var parameters: ImpactParameters?
    public var events: [ThemeEvent] = []
    public var analysed = 0
    public var notEnglish = 0
    public var tooShort = 0
    public var otherTheme = 0
    public var setAside = 0

    public init(week: Week, sentiments: [(Int64, SentimentScore)], themes: [ThemeWeek], mentions: [Mention], impacts: [String: CostOfInaction]) {
        self.week = week
        self.sentiments = sentiments
        self.themes = themes
        self.mentions = mentions
        self.impacts = impacts
    }
}

/// A theme with its life span.
public struct StoredTheme: Sendable {
    public var theme: Theme
    public var kind: String
    public var firstSeen: Week
    public var lastSeen: Week
}

extension FeedbackStore {
    public func save(_ analysis: WeekAnalysis, run: Int64) throws {
        let week = analysis.week.description
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        try writer.write { db in
            // A week analysed before has its results replaced. A first analysis has none to delete (results are
            // saved in the same transaction as the week's `analyses` row), and skipping the deletes spares a
            // scan of the whole week (about 1.6 s for a 425,000-record week).
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM analyses WHERE week = ?", arguments: [week]) == true {
                try db.execute(sql: "DELETE FROM mentions WHERE week = ?", arguments: [week])
                try db.execute(sql: "DELETE FROM theme_weeks WHERE week = ?", arguments: [week])
                try db.execute(sql: "DELETE FROM impact WHERE week = ?", arguments: [week])
                try db.execute(sql: "DELETE FROM subthemes WHERE week = ?", arguments: [week])
                try db.execute(sql: "DELETE FROM theme_events WHERE week = ?", arguments: [week])
                try db.execute(sql: "DELETE FROM sentiment WHERE feedback IN (SELECT rowid FROM feedback WHERE week = ?)", arguments: [week])
            }
            // Rows go in key order (feedback rows): each insert then appends to the table and its indexes.
            var sentiment = RowBinder(try db.cachedStatement(sql: "INSERT INTO sentiment VALUES (?, ?, ?, ?, ?, ?)"), in: db)
            for (row, s) in analysis.sentiments.sorted(by: { $0.0 < $1.0 }) {
                sentiment.bind(row)
                sentiment.bind(s.compound)
                sentiment.bind(s.positive)
                sentiment.bind(s.neutral)
                sentiment.bind(s.negative)
                sentiment.bind(s.label.rawValue)
                try sentiment.execute()
            }
            for t in analysis.themes {
                let signature = String(decoding: try encoder.encode(t.theme.signature), as: UTF8.self)
                let keyphrases = String(decoding: try encoder.encode(t.theme.keyphrases), as: UTF8.self)
                try db.execute(sql: """
                    INSERT INTO themes(id, label, department, severity, curated, kind, keyphrases, signature, first_seen, last_seen)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET label = excluded.label, department = excluded.department, severity = excluded.severity,
                        keyphrases = excluded.keyphrases, signature = excluded.signature,
                        first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen)
                    """, arguments: [t.theme.id, t.theme.label, t.theme.department, t.theme.severity.rawValue, t.theme.curated, t.kind,
                                     keyphrases, signature, week, week])
                try db.execute(sql: "INSERT INTO theme_weeks VALUES (?, ?, ?, ?, ?, ?)", arguments: [
                    t.theme.id, week, t.messages, t.customers, t.negativeShare, t.representatives.joined(separator: ","),
                ])
                for (position, sub) in t.subthemes.enumerated() {
                    try db.execute(sql: "INSERT INTO subthemes VALUES (?, ?, ?, ?, ?, ?, ?)", arguments: [
                        t.theme.id, week, position + 1, sub.label, String(decoding: try encoder.encode(sub.keyphrases), as: UTF8.self),
                        sub.messages, sub.representatives.joined(separator: ","),
                    ])
                }
            }
            for e in analysis.events {
                try db.execute(sql: "INSERT OR IGNORE INTO theme_events VALUES (?, ?, ?, ?, ?)", arguments: [
                    week, e.change.kind.rawValue, e.change.theme, e.change.other, Double(e.change.similarity),
                ])
            }
            var mention = RowBinder(try db.cachedStatement(sql: "INSERT OR IGNORE INTO mentions VALUES (?, ?, ?, ?, ?)"), in: db)
            let ordered = analysis.mentions.sorted { ($0.row, $0.sentence, $0.themeID) < ($1.row, $1.sentence, $1.themeID) }
            for m in ordered {
                mention.bind(m.row)
                mention.bind(m.sentence)
                mention.bind(m.themeID)
                mention.bind(week)
                mention.bind(m.compound)
                try mention.execute()
            }
            for (theme, cost) in analysis.impacts {
                try db.execute(sql: "INSERT INTO impact VALUES (?, ?, ?, ?, ?)", arguments: [
                    theme, week, cost.parameters, cost.revenueAtRisk?.base, String(decoding: try encoder.encode(cost), as: UTF8.self),
                ])
            }
            if let parameters = analysis.parameters, let fingerprint = analysis.impacts.values.first?.parameters {
                try db.execute(sql: "INSERT OR IGNORE INTO impact_parameters VALUES (?, ?)", arguments: [
                    fingerprint, String(decoding: try encoder.encode(parameters), as: UTF8.self),
                ])
            }
            try db.execute(sql: "INSERT OR REPLACE INTO analyses VALUES (?, ?, ?, ?, ?, ?, ?)", arguments: [
                week, run, analysis.analysed, analysis.notEnglish, analysis.tooShort, analysis.otherTheme, analysis.setAside,
            ])
        }
    }

    /// Every theme ever stored, with first and last week seen.
    public func themes() throws -> [StoredTheme] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM themes ORDER BY id").map { row in
                let decoder = JSONDecoder()
                let signature = (try? decoder.decode([String: Float].self, from: Data((row["signature"] as String).utf8))) ?? [:]
                let keyphrases = (try? decoder.decode([String].self, from: Data((row["keyphrases"] as String).utf8))) ?? []
                let theme = Theme(
                    id: row["id"], label: row["label"], keyphrases: keyphrases, department: row["department"],
                    severity: Severity(rawValue: row["severity"]) ?? .average, curated: row["curated"], signature: signature)
                return StoredTheme(theme: theme, kind: row["kind"], firstSeen: Week(row["first_seen"])!, lastSeen: Week(row["last_seen"])!)
            }
        }
    }

    /// Weekly rows of every theme between two weeks (inclusive).
    public func themeWeeks(from start: Week, to end: Week) throws -> [String: [Week: (messages: Int, customers: Int, negativeShare: Double, representatives: [String])]] {
        try writer.read { db in
            var out: [String: [Week: (messages: Int, customers: Int, negativeShare: Double, representatives: [String])]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM theme_weeks WHERE week BETWEEN ? AND ?", arguments: [start.description, end.description]) {
                let reps = (row["representatives"] as String).split(separator: ",").map(String.init)
                out[row["theme_id"], default: [:]][Week(row["week"])!] = (row["messages"], row["customers"], row["negative_share"], reps)
            }
            return out
        }
    }

    /// Sub-themes of a theme in a week, largest first.
    public func subthemes(theme: String, week: Week) throws -> [SubThemeWeek] {
        try subthemes(week: week)[theme] ?? []
    }

    /// Sub-themes of every theme of a week, largest first, in one query.
    public func subthemes(week: Week) throws -> [String: [SubThemeWeek]] {
        try writer.read { db in
            var out: [String: [SubThemeWeek]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM subthemes WHERE week = ? ORDER BY theme_id, position", arguments: [week.description]) {
                let keyphrases = (try? JSONDecoder().decode([String].self, from: Data((row["keyphrases"] as String).utf8))) ?? []
                let reps = (row["representatives"] as String).split(separator: ",").map(String.init)
                out[row["theme_id"], default: []].append(
                    SubThemeWeek(label: row["label"], keyphrases: keyphrases, messages: row["messages"], representatives: reps))
            }
            return out
        }
    }

    /// Merges and splits up to and including `week`, newest first; only those involving `theme` when given.
    public func themeEvents(through week: Week, theme: String? = nil) throws -> [ThemeEvent] {
        try writer.read { db in
            let filter = theme == nil ? "" : " AND (theme_id = :theme OR other_id = :theme)"
            return try Row.fetchAll(db, sql: "SELECT * FROM theme_events WHERE week <= :week\(filter) ORDER BY week DESC, kind, theme_id, other_id",
                                    arguments: ["week": week.description, "theme": theme]).compactMap { row in
                guard let week = Week(row["week"]), let kind = ThemeChange.Kind(rawValue: row["kind"]) else { return nil }
                return ThemeEvent(week: week, change: ThemeChange(
                    kind: kind, theme: row["theme_id"], other: row["other_id"], similarity: Float(row["similarity"] as Double)))
            }
        }
    }

    /// Stored cost figures of a week, by theme.
    public func impacts(week: Week) throws -> [String: CostOfInaction] {
        try writer.read { db in
            var out: [String: CostOfInaction] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT theme_id, figures FROM impact WHERE week = ?", arguments: [week.description]) {
                out[row["theme_id"]] = try JSONDecoder().decode(CostOfInaction.self, from: Data((row["figures"] as String).utf8))
            }
            return out
        }
    }

    /// The impact parameters `week`'s figures were computed with; nil when the week has no figures, or they
    /// were computed before the store kept parameters.
    public func impactParameters(week: Week) throws -> ImpactParameters? {
        try costParameters()[week.description].flatMap(impactParameters(fingerprint:))
    }

    /// The impact parameters of the latest analysed week whose parameters are kept, for a new analysis when
    /// no configuration file is found: the store's costs stay in the terms it was given.
    public func latestImpactParameters() throws -> ImpactParameters? {
        for (_, fingerprint) in try costParameters().sorted(by: { $0.key > $1.key }) {
            if let parameters = try impactParameters(fingerprint: fingerprint) { return parameters }
        }
        return nil
    }

    /// The impact parameters kept under `fingerprint` (`impact_parameters`); nil for figures computed
    /// before the store kept them.
    public func impactParameters(fingerprint: String) throws -> ImpactParameters? {
        try writer.read { db in
            try String.fetchOne(db, sql: "SELECT parameters FROM impact_parameters WHERE fingerprint = ?", arguments: [fingerprint])
        }.map { try JSONDecoder().decode(ImpactParameters.self, from: Data($0.utf8)) }
    }

    /// Base revenue at risk of a theme in the weeks before `week`, oldest first, since it was first seen.
    public func revenueHistory(theme: String, before week: Week) throws -> [Double] {
        try writer.read { db in
            try Double?.fetchAll(db, sql: "SELECT rar_base FROM impact WHERE theme_id = ? AND week < ? ORDER BY week",
                                 arguments: [theme, week.description]).map { $0 ?? 0 }
        }
    }

    /// Ids of this week's messages that mention a theme (of one channel, if given): the clearest of the
    /// theme's prevailing sentiment first, so a drill into a complaint theme opens on complaints, not on the
    /// praise that shares its words ("quick refund, very impressed" in "Refund not received").
    public func messages(theme: String, week: Week, channel: Channel? = nil, mostNegativeFirst: Bool, limit: Int = 200) throws -> [String] {
        try writer.read { db in
            var arguments: [(any DatabaseValueConvertible)?] = [theme, week.description]
            let (clearest, order) = mostNegativeFirst ? ("min", "ASC") : ("max", "DESC")
            // Ranked on the mentions alone and joined to the feedback rows only for the ids kept: a join per
            // mention is a random lookup each (tens of thousands for a large theme of the 1M store).
            var ranked = "SELECT m.feedback AS row, \(clearest)(m.compound) AS clearest FROM mentions m"
            if let channel {
                ranked += " JOIN feedback c ON c.rowid = m.feedback AND c.channel = ?"
                arguments.insert(channel.rawValue, at: 0)
            }
            ranked += " WHERE m.theme_id = ? AND m.week = ? GROUP BY m.feedback ORDER BY clearest \(order), m.feedback LIMIT \(limit)"
            let sql = "SELECT lower(hex(f.id)) FROM (\(ranked)) r JOIN feedback f ON f.rowid = r.row ORDER BY r.clearest \(order), r.row"
            return try String.fetchAll(db, sql: sql, arguments: StatementArguments(arguments))
        }
    }

    /// The texts a theme's messages of one week most often are, lowercased and trimmed, with how many
    /// messages are each (most first, then alphabetical): how the customers typed a failed-search demand
    /// ("usb-c hub" 5, "usbc hub 4 port" 5, ...), which is what its owner adds as synonyms.
    public func commonTexts(theme: String, week: Week, limit: Int) throws -> [(text: String, count: Int)] {
        try writer.read { db in
            let sql = """
                SELECT lower(trim(f.text)) AS typed, count(DISTINCT m.feedback) AS n FROM mentions m JOIN feedback f ON f.rowid = m.feedback
                WHERE m.theme_id = ? AND m.week = ? GROUP BY typed ORDER BY n DESC, typed LIMIT \(limit)
                """
            return try Row.fetchAll(db, sql: sql, arguments: [theme, week.description]).map { ($0["typed"], $0["n"]) }
        }
    }

    /// Theme ids mentioned by feedback that matched a full-text query, with counts.
    public func themes(mentionedBy feedbackIDs: [String]) throws -> [String: Int] {
        guard !feedbackIDs.isEmpty else { return [:] }
        return try writer.read { db in
            var out: [String: Int] = [:]
            let sql = """
                SELECT m.theme_id, count(*) AS n FROM mentions m JOIN feedback f ON f.rowid = m.feedback
                WHERE f.id IN (\(feedbackIDs.map { _ in "?" }.joined(separator: ","))) GROUP BY m.theme_id
                """
            for row in try Row.fetchAll(db, sql: sql, arguments: Self.idArguments(feedbackIDs)) { out[row["theme_id"]] = row["n"] }
            return out
        }
    }
}
