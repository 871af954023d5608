import Foundation
import Impact
public import Ingest
import Themes

/// What `voc drill` shows for one theme.
public struct DrillDown: Sendable, Encodable {
    public var query: String
    public var theme: DrillTheme
    public var weeks: [String]
    public var volume: [Int]
    /// The first of `weeks` the store holds feedback for, when earlier ones are not held (their 0 is no
    /// feedback, not no mentions); nil when every week is.
    public var historyStarts: String?
    public var sentiment: [String: Int]
    public var channels: [String: Int]
    public var related: [String]
    public var verbatims: [String]
    public var cost: [String]
    public var failedSearches: [String]
    public var subthemes: [SubThemeRow]
    /// Merges and splits this theme took part in, newest first.
    public var history: [ThemeChangeRow]
    /// A failed-search demand's commonest queries this week as typed, most first (empty for message themes):
    /// its verbatims are the same few queries over and over.
    public var searchedAs: [SearchedQuery]
    /// A drill by free text: how many messages of `weeks` it matched (nil for a theme named by id or label).
    /// The theme shown is the one most of them are in, and the verbatims are the matches.
    public var matchedMessages: Int?

    public struct DrillTheme: Sendable, Encodable {
        public var id: String
        public var label: String
        public var department: String
        public var severity: String
        public var status: String
        public var keyphrases: [String]
    }

    public init(
        query: String, row: ThemeRow, weeks: [Week], sentiment: [String: Int], channels: [String: Int], related: [String],
        verbatims: [String], failedSearches: [String], history: [ThemeChangeRow] = [], searchedAs: [SearchedQuery] = [],
        matchedMessages: Int? = nil
    ) {
        self.searchedAs = searchedAs
        self.matchedMessages = matchedMessages
        subthemes = row.subthemes
        self.history = history
        self.query = query
        theme = DrillTheme(
            id: row.theme.id, label: row.theme.label, department: row.theme.department, severity: row.theme.severity.rawValue,
            status: row.trend.status.rawValue, keyphrases: row.theme.keyphrases)
        self.weeks = weeks.map(\.description)
        volume = row.weekly
        weeksHeld = row.weeksHeld
        historyStarts = row.weeksHeld.flatMap { $0 < weeks.count && $0 > 0 ? weeks[weeks.count - $0].description : nil }
        self.sentiment = sentiment
        self.channels = channels
        self.related = related
        self.verbatims = verbatims
        cost = (row.cost?.explanation ?? ["no cost figures for this week"]) + (row.cost?.warnings.map { "warning: " + $0 } ?? [])
        self.failedSearches = failedSearches
        keyTerms = Format.keyTerms(row.theme)
        isSearch = row.isSearch
    }

    var keyTerms: Set<String>
    var weeksHeld: Int?
    /// A failed-search demand: its queries are not scored for sentiment, so the text says so rather than
    /// showing them all neutral.
    var isSearch: Bool

    enum CodingKeys: String, CodingKey {
        case query, theme, weeks, volume, sentiment, channels, related, verbatims, cost, subthemes, history
        case historyStarts = "history_starts"
        case failedSearches = "failed_searches"
        case searchedAs = "searched_as"
        case matchedMessages = "matched_messages"
    }

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self) + "\n"
    }

    /// Terminal text; `colour` adds ANSI bold-yellow to matched terms.
    public func text(colour: Bool, extraTerms: Set<String> = []) -> String {
        let terms = keyTerms.union(extraTerms)
        var out: [String] = []
        if let matchedMessages, let last = weeks.last {
            // Said first: the figures below are the theme's, not the words'.
            out.append("“\(Format.safe(query))”: \(Format.count(matchedMessages, "message", "messages")) in the \(weeks.count) weeks to \(last); the theme most of them are in:")
            out.append("")
        }
        out += ["\(theme.label)  [\(theme.id)]", "owner \(theme.department) · severity \(theme.severity) · status \(theme.status)", ""]
        let unheld = Format.unheldWeeks(volume.count, held: weeksHeld)
        out.append("volume  \(Format.sparkline(volume, held: weeksHeld))  "
            + zip(weeks, volume).enumerated().map { "\($0.element.0.suffix(3)):\($0.offset < unheld ? "–" : String($0.element.1))" }.joined(separator: " "))
        let total = max(1, sentiment.values.reduce(0, +))
        out.append("sentiment  " + (isSearch ? "not scored (failed searches)"
            : ["negative", "neutral", "positive"].map { "\($0) \(Format.percent(Double(sentiment[$0] ?? 0) / Double(total)))" }.joined(separator: "  ")))
        out.append("channels   " + channels.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "  "))
        out.append("top terms  " + theme.keyphrases.joined(separator: ", "))
        if !related.isEmpty { out.append("co-occurs  " + related.joined(separator: ", ")) }
        if !subthemes.isEmpty {
            out.append("")
            out.append("sub-themes this week:")
            for sub in subthemes {
                // Cut around the sub-theme's own words: the example is there to show that part of the theme.
                let own = Set(Stemmer.stems(of: sub.label, minimumLength: 3))
                let example = sub.example.map { "  “" + Format.safe(Format.excerpt($0, limit: 120, around: own.isEmpty ? terms : own)) + "”" } ?? ""
                out.append("  \(String(sub.messages).leftPadded(5))  \(sub.label)\(example)")
            }
        }
        if !history.isEmpty {
            out.append("")
            out.append("history:")
            out += history.map { "  \($0.week)  \($0.sentence)" }
        }
        out.append("")
        if let most = searchedAs.first {
            // A search theme's verbatims are its few queries over and over: they are listed with counts.
            out.append("searched as this week:")
            out += searchedAs.map { "  \(String($0.count).leftPadded(String(most.count).count))  \(Format.safe($0.query))" }
        } else {
            out.append(matchedMessages == nil ? "what customers say:" : "messages that match “\(Format.safe(query))”:")
            for v in verbatims {
                let quote = Format.excerpt(v, limit: 300, around: terms)
                let text = colour
                    ? Format.highlight(quote, terms: terms, open: "\u{1B}[1;33m", close: "\u{1B}[0m", escape: { $0 })
                    : Format.highlight(quote, terms: [], open: "", close: "", escape: { $0 })
                out.append("  “" + text + "”")
            }
        }
        out.append("")
        out.append("cost of inaction:")
        out += cost.map { "  " + $0 }
        if !failedSearches.isEmpty {
            out.append("")
            out.append("related failed searches: " + failedSearches.joined(separator: ", "))
        }
        return out.joined(separator: "\n") + "\n"
    }
}
