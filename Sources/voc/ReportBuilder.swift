import Foundation
import Impact
import Ingest
import Report
import Store
import Themes

/// Reads the store and builds the values the renderers take; the renderers never see the database.
struct ReportBuilder {
    let store: FeedbackStore
    let taxonomy: Taxonomy
    let parameters: ImpactParameters

    /// The latest complete week: the last week with data that ended before today, else the last week with data.
    static func defaultWeek(_ store: FeedbackStore) throws -> Week {
        let weeks = try store.weeks()
        guard let last = weeks.last else { throw UsageError("the store holds no feedback yet; run `voc ingest` or `voc run` first") }
        let current = Week(containing: Date(), in: try store.zone())
        return weeks.last { $0 < current } ?? last
    }

    /// One row per theme seen in `week` (or any theme when `includeAbsent`), with 8 weeks of history.
    func rows(_ week: Week, includeAbsent: Bool = false) throws -> [ThemeRow] {
        let start = week.adding(-7)
        let history = try store.themeWeeks(from: week.adding(-13), to: week)
        let impacts = try store.impacts(week: week)
        var rows: [ThemeRow] = []
        let stored = try store.themes()
        var texts: [String: Feedback] = [:]
        let subthemes = try store.subthemes(week: week)
        let repIDs = stored.flatMap { history[$0.theme.id]?[week]?.representatives ?? [] }
            + subthemes.values.flatMap { $0.compactMap(\.representatives.first) }
        texts = try store.feedback(ids: repIDs)
        let firstHeld = try store.weeks().first
        let held = firstHeld.map { first in (0..<8).filter { start.adding($0) >= first }.count }
        for s in stored {
            let weeks = history[s.theme.id] ?? [:]
            let current = weeks[week]
            guard current != nil || (includeAbsent && s.firstSeen <= week && s.lastSeen >= week.adding(-ThemeTrend.goneAfter)) else { continue }
            let previous = (1...6).reversed().map { weeks[week.adding(-$0)]?.messages ?? 0 }.enumerated()
                .filter { week.adding(-(6 - $0.offset)) >= s.firstSeen }.map(\.element)
            let trend = ThemeTrend(current: current?.messages ?? 0, history: previous, firstSeenThisWeek: s.firstSeen == week)
            let series = (0..<8).map { weeks[start.adding($0)]?.messages ?? 0 }
            let verbatims = (current?.representatives ?? []).compactMap { texts[$0]?.text }
            var row = ThemeRow(
                theme: s.theme, kind: s.kind, messages: current?.messages ?? 0, customers: current?.customers ?? 0,
                negativeShare: current?.negativeShare ?? 0, trend: trend, firstSeen: s.firstSeen, lastSeen: s.lastSeen,
                cost: impacts[s.theme.id], weekly: series, verbatims: verbatims,
                subthemes: (subthemes[s.theme.id] ?? []).map { sub in
                    SubThemeRow(label: sub.label, messages: sub.messages, example: sub.representatives.first.flatMap { texts[$0]?.text })
                })
            row.weeksHeld = held
            if s.kind == "search", current != nil { row.searchedAs = try searchedAs(theme: s.theme.id, week: week, limit: 3) }
            rows.append(row)
        }
        return rows
    }

    /// A failed-search theme's `limit` commonest queries of `week`, as typed (the report's three, the drill's more).
    func searchedAs(theme: String, week: Week, limit: Int) throws -> [SearchedQuery] {
        try store.commonTexts(theme: theme, week: week, limit: limit).map { SearchedQuery(query: $0.text, count: $0.count) }
    }

    /// Merges and splits up to `week` (of `theme` when given), newest first, with theme labels.
    func changes(through week: Week, theme: String? = nil) throws -> [ThemeChangeRow] {
        let labels = Dictionary(try store.themes().map { ($0.theme.id, $0.theme.label) }, uniquingKeysWith: { a, _ in a })
        return try store.themeEvents(through: week, theme: theme).map { ThemeChangeRow(week: $0.week, change: $0.change, label: { labels[$0] ?? $0 }) }
    }

    func weeklyReport(_ week: Week, run: RunInfo) throws -> WeeklyReport {
        let all = try rows(week, includeAbsent: true)
        let now = try store.summary(week: week)
        let before = try store.summary(week: week.adding(-1))
        let headline = Headline(
            channels: now.perChannel, previousChannels: before.perChannel, sentiment: now.sentiment, meanCompound: now.meanCompound,
            nps: now.nps, npsRespondents: now.npsRespondents, csat: now.csat, quarantined: now.quarantined, setAside: now.setAside,
            notEnglish: now.notEnglish, otherLanguages: now.otherLanguages, tooShort: now.tooShort, otherTheme: now.otherTheme)
        let fingerprints = try store.costParameters()
        var report = WeeklyReport(
            week: week, headline: headline, themes: all.filter { $0.kind == "voice" && ($0.messages > 0 || $0.trend.status == .gone || $0.trend.status == .fading) }, searchThemes: all.filter { $0.kind == "search" && $0.messages > 0 },
            departments: taxonomy.departments + [taxonomy.triageDepartment], parameters: parameters, run: run,
            changes: try changes(through: week).filter { $0.week == week.description })
        report.zone = try store.zone().identifier
        if let current = fingerprints[week.description] {
            report.otherParameterWeeks = fingerprints.filter { $0.key < week.description && $0.value != current }.keys.sorted()
        }
        return report
    }
}
