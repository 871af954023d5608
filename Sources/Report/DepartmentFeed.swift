import Foundation
import Impact
public import Ingest
import Themes

/// One department's issue themes for its tracker; schema `voc.feed/1` (docs/feed-schema.md), upsert by theme id.
public struct DepartmentFeed: Sendable {
    public var department: String
    public var week: Week
    public var themes: [ThemeRow]
    public var generator: String
    /// The time zone the week runs Monday to Sunday in (`timezone`).
    public var zone: String

    public init(department: String, week: Week, themes: [ThemeRow], generator: String, zone: String = "UTC") {
        self.department = department
        self.week = week
        self.themes = themes
        self.generator = generator
        self.zone = zone
    }

    struct Document: Encodable {
        var schema = "voc.feed/1"
        var department: String
        var week: String
        var timezone: String
        var generated_by: String
        var themes: [Item]
    }

    struct Item: Encodable {
        var id: String
        var label: String
        var kind: String
        var severity: String
        var status: String
        var first_seen: String
        var last_seen: String
        var weekly_volume: [Int]
        /// The first week of `weekly_volume` the store holds feedback for, when the weeks before it are not
        /// held (their 0 is no feedback, not no mentions); absent when every week is.
        var history_starts: String?
        var messages: Int
        var customers: Int
        var negative_share: Double
        var cost_per_week_of_delay: Span?
        var accrued_cost: Span?
        var lost_search_revenue: Span?
        var affected_customers: Span?
        var top_phrases: [String]
        var examples: [String]
        /// What the cost model warns of these figures (a small survey, an estimate past the customer base):
        /// a department reads the figures with them, as the report's readers do.
        var warnings: [String]
        /// Search themes only (absent for messages): the commonest queries as typed.
        var searched_as: [SearchedQuery]?
    }

    func items() -> [Item] {
        themes.map { row in
            Item(
                id: row.theme.id, label: row.theme.label, kind: row.kind, severity: row.theme.severity.rawValue, status: row.trend.status.rawValue,
                first_seen: row.firstSeen.description, last_seen: row.lastSeen.description, weekly_volume: row.weekly,
                history_starts: row.weeksHeld.flatMap { $0 < row.weekly.count ? week.adding(1 - $0).description : nil },
                messages: row.messages,
                customers: row.customers, negative_share: (row.negativeShare * 1000).rounded() / 1000,
                cost_per_week_of_delay: row.cost?.revenueAtRisk.map(rounded), accrued_cost: row.cost?.accrued.map(rounded),
                lost_search_revenue: row.cost?.lostSearchRevenue.map(rounded), affected_customers: row.cost.map { rounded($0.affected) },
                top_phrases: row.theme.keyphrases, examples: row.quotes.prefix(5).map { Format.safe($0) },
                warnings: row.cost?.warnings ?? [],
                searched_as: row.isSearch ? row.searchedAs.map { SearchedQuery(query: Format.safe($0.query), count: $0.count) } : nil)
        }
    }

    func rounded(_ s: Span) -> Span { Span(low: s.low.rounded(), base: s.base.rounded(), high: s.high.rounded()) }

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let document = Document(department: department, week: week.description, timezone: zone, generated_by: generator, themes: items())
        return String(decoding: (try? encoder.encode(document)) ?? Data(), as: UTF8.self) + "\n"
    }

    public func csv() -> String {
        var lines = ["theme_id,label,kind,severity,status,first_seen,last_seen,messages,customers,negative_share,cost_per_week_low,cost_per_week_base,cost_per_week_high,accrued_base,top_phrases,example"]
        for item in items() {
            let fields: [String] = [
                item.id, item.label, item.kind, item.severity, item.status, item.first_seen, item.last_seen, "\(item.messages)", "\(item.customers)",
                "\(item.negative_share)", item.cost_per_week_of_delay.map { "\($0.low)" } ?? "", item.cost_per_week_of_delay.map { "\($0.base)" } ?? "",
                item.cost_per_week_of_delay.map { "\($0.high)" } ?? "", item.accrued_cost.map { "\($0.base)" } ?? "",
                item.top_phrases.joined(separator: "; "), item.examples.first ?? "",
            ]
            lines.append(fields.map(CSVCell.safe).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    public func markdown() -> String {
        var md = ["# Issue themes for \(department) — \(week)", ""]
        if themes.isEmpty { md.append("No themes this week.") }
        for (row, item) in zip(themes, items()) {
            md.append("## \(Format.markdown(item.label)) (`\(item.id)`)")
            md.append("")
            // A failed search is a query from a session, not scored for sentiment: said as the report says it.
            let volume = row.isSearch
                ? "\(Format.count(item.messages, "zero-result search", "zero-result searches")) by \(Format.count(item.customers, "session", "sessions"))"
                : "\(Format.count(item.messages, "message", "messages")) from \(Format.count(item.customers, "customer", "customers")), \(Format.percent(item.negative_share)) negative"
            md.append("- status **\(item.status)**, severity \(item.severity), first seen \(item.first_seen), \(volume)")
            md.append("- weekly volume: \(Format.sparkline(item.weekly_volume, held: row.weeksHeld)) \(item.weekly_volume.map(String.init).joined(separator: " "))"
                + (item.history_starts.map { " (the store starts at \($0))" } ?? ""))
            if let c = item.cost_per_week_of_delay { md.append("- cost per week of delay: \(Format.span(c)); accrued: \(Format.span(item.accrued_cost))") }
            if let l = item.lost_search_revenue { md.append("- lost search revenue: \(Format.span(l))") }
            for warning in item.warnings { md.append("- caveat: \(Format.markdown(warning))") }
            md.append("- top phrases: \(item.top_phrases.map(Format.markdown).joined(separator: ", "))")
            if let typed = item.searched_as, !typed.isEmpty {
                md.append("- searched as: " + Format.searched(typed, escape: Format.markdown))
            }
            // A search's examples are its queries again, which "searched as" lists with their counts.
            // Quoted as the report quotes them: cut at 280 characters around the theme's words, and escaped.
            let terms = Format.keyTerms(row.theme)
            for example in row.isSearch ? [] : item.examples {
                md.append("  > " + Format.markdown(Format.excerpt(example, limit: 280, around: terms)))
            }
            md.append("")
        }
        return md.joined(separator: "\n")
    }
}

/// CSV cells that cannot become spreadsheet formulas: a leading = + - @ tab or CR gets a quote prefix
/// (OWASP's advice for CSV injection), and every cell is quoted.
public enum CSVCell {
    public static func safe(_ value: String) -> String {
        var text = Format.safe(value)
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), Double(text) == nil { text = "'" + text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// `voc themes`: an aligned table.
public struct ThemeTable: ReportRenderer {
    public init() {}

    public func render(_ rows: [ThemeRow]) -> String {
        var table: [[String]] = [["ID", "THEME", "OWNER", "MSGS", "CUST", "NEG", "CHANGE", "STATUS", "COST/WEEK (base)", "8 WEEKS"]]
        for row in rows {
            table.append([
                row.theme.id, String(Format.safe(row.theme.label).prefix(38)), row.theme.department, "\(row.messages)", "\(row.customers)",
                // A failed search is not scored for sentiment: its share of negative messages is no figure.
                row.isSearch ? "–" : Format.percent(row.negativeShare),
                Format.change(row.messages, Int(row.trend.baselineMean.rounded())) + row.trend.arrow,
                row.trend.status.rawValue, row.cost?.revenueAtRisk.map { Format.number($0.base) } ?? row.cost?.lostSearchRevenue.map { Format.number($0.base) } ?? "-",
                Format.sparkline(row.weekly, held: row.weeksHeld),
            ])
        }
        let widths = (0..<table[0].count).map { c in table.map { $0[c].count }.max()! }
        let numeric: Set<Int> = [3, 4, 5, 8]
        return table.map { line in
            line.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return numeric.contains(c) ? pad + cell : cell + pad
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
