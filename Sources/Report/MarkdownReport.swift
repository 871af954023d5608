import Ingest
public import Impact
import Sentiment
import Themes

/// The weekly report as Markdown: readable in a terminal, pastes into a wiki or an email.
public struct MarkdownReport: ReportRenderer {
    public init() {}

    public func render(_ r: WeeklyReport) -> String {
        var md: [String] = []
        let h = r.headline
        md.append("# Voice of the Customer — \(Format.safe(r.weekTitle))")
        md.append("")
        md.append("## Headline")
        md.append("")
        let total = h.channels.values.reduce(0, +)
        let previous = h.previousChannels.values.reduce(0, +)
        md.append("- **\(Format.number(total)) customer \(total == 1 ? "message" : "messages")** (\(Format.change(total, previous)) vs previous week): "
            + Channel.allCases.map { "\($0.rawValue) \(Format.number(h.channels[$0] ?? 0)) (\(Format.change(h.channels[$0] ?? 0, h.previousChannels[$0] ?? 0)))" }.joined(separator: ", "))
        let scored = ["positive", "neutral", "negative"].map { h.sentiment[$0] ?? 0 }.reduce(0, +)
        if scored > 0 {
            md.append("- **Sentiment**: " + ["negative", "neutral", "positive"].map { "\($0) \(Format.percent(Double(h.sentiment[$0] ?? 0) / Double(scored)))" }.joined(separator: ", ")
                + "; mean compound \(h.meanCompound.formattedSigned)")
        }
        if let nps = h.nps { md.append("- **NPS** \(Int(nps.rounded())) from \(Format.count(h.npsRespondents, "survey respondent", "survey respondents"))" + (h.csat.map { "; **CSAT** \(String(format1: $0)) / 5" } ?? "")) }
        let caveats = r.caveats
        if let cost = r.totalCost {
            md.append("- **Cost of inaction across themes** (next \(r.parameters.horizonWeeks) weeks; \(Format.valuation(r.parameters))): \(Format.span(cost))"
                + (caveats.isEmpty ? "" : "; read with the \(caveats.count) caveat(s) under the issue table"))
        } else {
            md.append("- **Cost of inaction**: not computed — configure `customer_value` (see `docs/cost-model.md`); affected customers are shown instead")
        }
        md.append("- **Not hidden**: \(Format.count(h.quarantined, "record", "records")) quarantined (all weeks), "
            + (h.setAside.isEmpty ? "none set aside" : h.setAside.sorted { $0.key < $1.key }.map { "\(Format.number($0.value)) set aside as \($0.key)" }.joined(separator: ", "))
            + ", \(Format.number(h.notEnglish)) not in English (\(h.languageCounts.isEmpty ? "" : h.languageCounts + "; ")counted, not scored or themed), "
            + "\(Format.number(h.tooShort)) too short for a theme, \(Format.number(h.otherTheme)) in the \"other\" theme")
        md.append("")
        md.append("## Issue themes ranked by cost of inaction")
        md.append("")
        md.append("| # | Theme | Owner | Msgs | Customers | Negative | Change | Trend (8 wk) | Cost / week of delay | Accrued since first seen |")
        md.append("|---:|---|---|---:|---:|---:|---|---|---|---|")
        for (i, row) in r.ranked.enumerated() {
            let change = "\(Format.change(row.messages, Int(row.trend.baselineMean.rounded())))\(row.trend.arrow.isEmpty ? "" : " " + row.trend.arrow)"
            let delay = row.cost?.revenueAtRisk.map(Format.span) ?? "A≈\(Format.number(row.cost?.affected.base ?? 0)) customers"
            md.append("| \(i + 1) | \(cell(row.theme.label)) | \(row.theme.department) | \(Format.number(row.messages)) | \(Format.number(row.customers)) | \(Format.percent(row.negativeShare)) | \(change) | \(Format.sparkline(row.weekly, held: row.weeksHeld)) | \(delay) | \(row.cost?.accrued.map(Format.span) ?? "n/a") |")
        }
        md.append("")
        md.append("Change is against the mean of the previous weeks (up to 6); ↑/↓ only when an exact conditional Poisson rate test gives p < 0.05 and the change is at least \(Format.percent(ThemeTrend.materialChange)). Figures are base (low–high)."
            + (r.ranked.contains { ($0.weeksHeld ?? 8) < $0.weekly.count } ? " · in a trend: a week before the store's first." : ""))
        md.append("")
        if !caveats.isEmpty {
            md.append("Caveats from the cost model:")
            md.append("")
            md.append(contentsOf: caveats.map { "- **\(cell($0.theme))**: \(Format.markdown($0.warning))" })
            md.append("")
        }
        md.append("## Emerging themes")
        md.append("")
        md.append(contentsOf: r.emerging.isEmpty ? ["None this week."] : r.emerging.map { "- **\(cell($0.theme.label))** (\($0.trend.status.rawValue), \(Format.count($0.messages, "message", "messages")), first seen \($0.firstSeen)) → \($0.theme.department)" })
        md.append("")
        md.append("## Merged and split themes")
        md.append("")
        md.append(contentsOf: r.changes.isEmpty ? ["None this week."] : r.changes.map { "- " + Format.markdown($0.sentence) })
        md.append("")
        md.append("## Fading themes")
        md.append("")
        md.append(contentsOf: r.fading.isEmpty ? ["None this week."] : r.fading.map {
            "- \(cell($0.theme.label)) (\($0.trend.status.rawValue): \(Format.count($0.messages, "message", "messages")) this week against \(Format.number($0.trend.baselineMean)) a week before)"
        })
        md.append("")
        md.append("## What else customers talk about")
        md.append("")
        md.append(contentsOf: r.praise.isEmpty ? ["Nothing beyond the issue themes."] : r.praise.map { "- \(cell($0.theme.label)): \(Format.count($0.messages, "message", "messages")), \(Format.percent($0.negativeShare)) negative" })
        md.append("")
        md.append("## Failed-search demand")
        md.append("")
        if r.searchThemes.isEmpty { md.append("No failed searches this week.") }
        for row in r.searchThemes {
            let lost = row.cost?.lostSearchRevenue.map { "lost revenue \(Format.span($0))" } ?? "lost revenue n/a (configure average_order_value)"
            let typed = row.searchedAs.isEmpty ? "" : "; searched as " + Format.searched(row.searchedAs, escape: cell)
            md.append("- **\(cell(row.theme.label))**: \(Format.count(row.messages, "zero-result search", "zero-result searches")) by \(Format.count(row.customers, "session", "sessions")); \(lost)\(typed)")
        }
        md.append("")
        md.append("## By department")
        md.append("")
        // This week's themes only: one gone quiet is under "Fading themes", and a list of zeros is no work.
        for department in r.departments {
            let owned = (r.themes + r.searchThemes).filter { $0.theme.department == department && $0.messages > 0 }
            guard !owned.isEmpty else { continue }
            md.append("- **\(department)**: " + owned.map { "\(cell($0.theme.label)) (\(Format.number($0.messages)))" }.joined(separator: "; "))
        }
        md.append("")
        md.append("## What customers say")
        for row in r.ranked.prefix(5) {
            md.append("")
            md.append("### \(cell(row.theme.label))")
            if !row.subthemes.isEmpty {
                md.append("")
                md.append("Sub-themes: " + row.subthemes.map { "\(cell($0.label)) (\(Format.number($0.messages)))" }.joined(separator: " · "))
                md.append("")
            }
            let terms = Format.keyTerms(row.theme)
            for quote in row.quotes.prefix(3) {
                md.append("> " + Format.highlight(Format.excerpt(quote, limit: 280, around: terms), terms: terms, open: "**", close: "**", escape: Format.markdown))
                md.append("")
            }
        }
        md.append("")
        md.append("## Method")
        md.append("")
        md.append(contentsOf: MethodNote.lines(r.parameters))
        md.append("")
        md.append("Run \(r.run.id), voc \(r.run.version), seed \(r.run.seed), parameters \(r.parameters.fingerprint). Lexicons: "
            + r.run.lexiconHashes.map { "\($0.0) \($0.1)" }.joined(separator: ", ") + ".")
        return md.joined(separator: "\n") + "\n"
    }

    /// Customer-derived text in a table cell or a list item (`Format.markdown` escapes the cell's "|" too).
    func cell(_ text: String) -> String { Format.markdown(text) }
}

/// The formulas, parameters and caveats printed under every report.
public enum MethodNote {
    public static func lines(_ p: ImpactParameters) -> [String] {
        var out: [String] = [
            "Cost of inaction per theme and week (details and sources: `docs/cost-model.md`):",
            "",
            "- F1 affected customers A = c × M per contact point, M = 1 / (complain_rate[severity] × reach[point]), at least 1; combined with \(p.combine.rawValue). Surveys: A = n_t / n_respondents × \(p.surveyPopulation.map { "survey_population (\(Format.number($0)))" } ?? "customer_base") (Wilson 95%).",
            "- F2 loyalty loss dL = loyalty_drop (\(p.loyaltyDrop.base), \(p.loyaltyDrop.low)–\(p.loyaltyDrop.high)), or the outcome split when resolution outcomes are known.",
            "- F3 revenue at risk per week RAR = A × dL × V (V = \(p.customerValue.map { "\($0.base)" } ?? "not configured"), \(p.valueUnit)).",
            "- F5 cost of inaction = Σ over \(p.horizonWeeks) weeks of RAR / (1 + \(p.discountRate.base))^(w/52), flat unless 6+ weeks of history give a trend.",
            "- F7 failed searches: lost = Z × p_exit (\(p.searchExit.base)) × conversion (\(p.searchConversion.base)) × AOV (\(p.averageOrderValue.map { "\($0.base)" } ?? "not configured")).",
            "",
            "Complain rates by severity: " + p.complainRate.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.base) (\($0.value.low)–\($0.value.high))" }.joined(separator: "; ") + ".",
            "Reach: " + p.reach.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.base) (\($0.value.low)–\($0.value.high))" }.joined(separator: "; ") + ".",
            "",
            "Where each parameter comes from:",
        ]
        var sources: [(String, Parameter)] = p.complainRate.sorted { $0.key < $1.key }.map { ("complain_rate.\($0.key)", $0.value) }
        sources += p.reach.sorted { $0.key < $1.key }.map { ("reach.\($0.key)", $0.value) }
        sources += [("loyalty_drop", p.loyaltyDrop), ("baseline_repurchase", p.baselineRepurchase), ("discount_rate", p.discountRate),
                    ("search_exit", p.searchExit), ("search_conversion", p.searchConversion)]
        if let v = p.customerValue { sources.append(("customer_value", v)) }
        if let a = p.averageOrderValue { sources.append(("average_order_value", a)) }
        out += sources.map { "- \($0.0) = \($0.1.base) (\($0.1.low)–\($0.1.high)): \($0.1.source)" }
        out += [
            "",
            "Caveats: the core complaint and repurchase figures (TARP/Goodman) are from 1976–86 and vendor-published; the often quoted \"1 in 26 customers complain\" is a misquote (about half complain to the front line, far fewer for minor problems); repurchase intentions overstate behaviour; community reach is folklore and every multiplier must be calibrated per business; revenue at risk is an expected value, not revenue lost. Low and high take each parameter at the end of its range that lowers or raises the figure.",
        ]
        out.append("Themes: curated taxonomy terms first (`lexicons/taxonomy.yaml`), then GSDMM-seeded spherical k-means on TF-IDF for the rest (`docs/themes.md`); sentiment: lexicon and rules (`lexicons/`), compound ≥ \(SentimentScore.positiveThreshold) positive, ≤ \(SentimentScore.negativeThreshold) negative.")
        return out
    }
}

extension String {
    init(format1 value: Double) {
        let scaled = Int((value * 10).rounded())
        self = "\(scaled / 10).\(abs(scaled % 10))"
    }
}

extension Double {
    var formattedSigned: String { (self >= 0 ? "+" : "") + String(format2: self) }
}

extension String {
    init(format2 value: Double) {
        let scaled = Int((value * 100).rounded())
        let fraction = abs(scaled % 100)
        self = "\(scaled < 0 && scaled > -100 ? "-" : "")\(scaled / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
