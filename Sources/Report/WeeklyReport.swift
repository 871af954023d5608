public import Impact
public import Ingest
public import Themes
import Text

/// One theme's line in a report or feed.
public struct ThemeRow: Sendable {
    public var theme: Theme
    public var kind: String
    public var messages: Int
    public var customers: Int
    public var negativeShare: Double
    public var trend: ThemeTrend
    public var firstSeen: Week
    public var lastSeen: Week
    public var cost: CostOfInaction?
    /// Mentions per week, oldest first, ending with the report's week.
    public var weekly: [Int]
    /// How many of `weekly`'s weeks, counting back from the last, the store holds feedback for (nil: all):
    /// the weeks before its first are not weeks without mentions, and are not drawn as such.
    public var weeksHeld: Int?
    public var verbatims: [String]
    /// This week's sub-themes, largest first.
    public var subthemes: [SubThemeRow]
    /// For a failed-search demand, its commonest queries as typed, most first.
    public var searchedAs: [SearchedQuery] = []

    public init(
        theme: Theme, kind: String, messages: Int, customers: Int, negativeShare: Double, trend: ThemeTrend, firstSeen: Week,
        lastSeen: Week, cost: CostOfInaction?, weekly: [Int], verbatims: [String], subthemes: [SubThemeRow] = []
    ) {
        self.subthemes = subthemes
        self.theme = theme
        self.kind = kind
        self.messages = messages
        self.customers = customers
        self.negativeShare = negativeShare
        self.trend = trend
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.cost = cost
        self.weekly = weekly
        self.verbatims = verbatims
    }

    /// Share of negative mentions from which a discovered theme counts as an issue (curated themes always do).
    public static let issueShare = 0.3

    /// A failed-search demand: its "messages" are zero-result searches, by sessions, never scored for sentiment.
    public var isSearch: Bool { kind == "search" }

    /// Curated themes, and discovered themes that are mostly complaints; the rest is praise or questions.
    public var isIssue: Bool { theme.curated || isSearch || negativeShare >= ThemeRow.issueShare }

    /// Ranking key: base cost of inaction, else affected customers, else volume.
    public var rankValue: Double {
        if isSearch { return cost?.lostSearchRevenue?.base ?? Double(messages) }
        return cost?.costOfInaction?.base ?? cost?.affected.base ?? Double(messages)
    }

    /// The verbatims without a text seen before (case and spacing aside), in order: what the reports quote and
    /// the feeds list as examples. A demand's examples were its commonest query four times over, and a short
    /// comment many customers send can be several of a theme's examples.
    var quotes: [String] {
        var seen = Set<String>()
        return verbatims.filter { seen.insert(Format.safe($0).lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")).inserted }
    }
}

extension String {
    /// Right-aligned in `width` columns, for terminal tables.
    public func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}

/// A sub-theme's line under its theme.
public struct SubThemeRow: Sendable, Encodable, Equatable {
    public var label: String
    public var messages: Int
    /// The most representative message, if it is still stored.
    public var example: String?

    public init(label: String, messages: Int, example: String?) {
        self.label = label
        self.messages = messages
        self.example = example
    }
}

/// A merge or split of themes, with the labels people know them by.
public struct ThemeChangeRow: Sendable, Encodable, Equatable {
    public var week: String
    public var kind: String
    public var theme: String
    public var other: String
    public var similarity: Float

    public init(week: Week, change: ThemeChange, label: (String) -> String) {
        self.week = week.description
        kind = change.kind.rawValue
        theme = label(change.theme)
        other = label(change.other)
        similarity = change.similarity
    }

    /// "“late refunds” merged into “refunds” (similarity 0.62)".
    public var sentence: String {
        kind == "merge"
            ? "“\(Format.safe(other))” merged into “\(Format.safe(theme))” (similarity \(String(format2: Double(similarity))))"
            : "“\(Format.safe(other))” split off “\(Format.safe(theme))” (similarity \(String(format2: Double(similarity))))"
    }
}

/// Headline figures of a week.
public struct Headline: Sendable {
    public var channels: [Channel: Int]
    public var previousChannels: [Channel: Int]
    public var sentiment: [String: Int]
    public var meanCompound: Double
    public var nps: Double?
    public var npsRespondents: Int
    public var csat: Double?
    public var quarantined: Int
    public var setAside: [String: Int]
    public var notEnglish: Int
    /// The messages not in English by language: the languages someone has to read.
    public var otherLanguages: [String: Int]
    public var tooShort: Int
    public var otherTheme: Int

    public init(
        channels: [Channel: Int], previousChannels: [Channel: Int], sentiment: [String: Int], meanCompound: Double, nps: Double?,
        npsRespondents: Int, csat: Double?, quarantined: Int, setAside: [String: Int], notEnglish: Int, otherLanguages: [String: Int] = [:],
        tooShort: Int, otherTheme: Int
    ) {
        self.channels = channels
        self.previousChannels = previousChannels
        self.sentiment = sentiment
        self.meanCompound = meanCompound
        self.nps = nps
        self.npsRespondents = npsRespondents
        self.csat = csat
        self.quarantined = quarantined
        self.setAside = setAside
        self.notEnglish = notEnglish
        self.otherLanguages = otherLanguages
        self.tooShort = tooShort
        self.otherTheme = otherTheme
    }

    /// "es 3, de 2": the languages of the messages not in English, commonest first ("" when none).
    var languageCounts: String {
        otherLanguages.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }
}

/// Provenance printed in the method note so any figure can be reproduced.
public struct RunInfo: Sendable {
    public var id: Int64
    public var version: String
    public var seed: UInt64
    public var lexiconHashes: [(String, String)]

    public init(id: Int64, version: String, seed: UInt64, lexiconHashes: [(String, String)]) {
        self.id = id
        self.version = version
        self.seed = seed
        self.lexiconHashes = lexiconHashes
    }
}

/// Everything the weekly report shows; renderers turn it into Markdown or HTML.
public struct WeeklyReport: Sendable {
    public var week: Week
    public var headline: Headline
    public var themes: [ThemeRow]
    public var searchThemes: [ThemeRow]
    public var departments: [String]
    public var parameters: ImpactParameters
    public var run: RunInfo
    /// Merges and splits seen this week.
    public var changes: [ThemeChangeRow]
    /// Earlier weeks whose costs were computed with other impact parameters than this week's: the accrued
    /// costs and trend projections add them up as they are.
    public var otherParameterWeeks: [String] = []
    /// The time zone the store counts its weeks in (`timezone`), named in the title when it is not UTC.
    public var zone = "UTC"

    /// "week 2026-W47", and where the week runs when that is not UTC.
    public var weekTitle: String { zone == "UTC" ? "week \(week)" : "week \(week) (Monday to Sunday, \(zone))" }

    public init(
        week: Week, headline: Headline, themes: [ThemeRow], searchThemes: [ThemeRow], departments: [String],
        parameters: ImpactParameters, run: RunInfo, changes: [ThemeChangeRow] = []
    ) {
        self.changes = changes
        self.week = week
        self.headline = headline
        self.themes = themes.sorted { ($0.rankValue, $1.theme.id) > ($1.rankValue, $0.theme.id) }
        self.searchThemes = searchThemes.sorted { ($0.rankValue, $1.theme.id) > ($1.rankValue, $0.theme.id) }
        self.departments = departments
        self.parameters = parameters
        self.run = run
    }

    public var totalCost: Span? {
        let costs = ranked.compactMap { $0.cost?.costOfInaction }
        guard !costs.isEmpty else { return nil }
        return Span(low: costs.reduce(0) { $0 + $1.low }, base: costs.reduce(0) { $0 + $1.base }, high: costs.reduce(0) { $0 + $1.high })
    }

    /// Issue themes present this week, ranked by cost.
    public var ranked: [ThemeRow] { themes.filter { $0.messages > 0 && $0.isIssue } }

    /// What the cost model warns of the ranked themes' figures (a small survey, an estimate that would exceed
    /// the customer base), by theme: printed under the table, so no figure is read without its caveat. A
    /// warning several themes share is one line naming them ("All themes" when every ranked theme has it):
    /// an unconfigured store gave every theme the same two lines.
    public var caveats: [(theme: String, warning: String)] {
        var out: [(theme: String, warning: String)] = []
        // Each theme's estimate can look possible alone while together they cannot be: no business loses more
        // than its whole customer base is worth in a year.
        if let total = totalCost?.base, let base = parameters.customerBase, let value = parameters.customerValue?.base, total > base * value {
            out.append(("All themes", "the cost of inaction across themes, \(Format.number(total)), is more than the whole customer base is "
                + "worth in a year (\(Format.number(base)) x \(Format.number(value)) = \(Format.number(base * value))): the estimates count the "
                + "same customers again, week after week and theme after theme; read every cost as an upper bound and calibrate "
                + "(survey_population, complain rates)"))
        }
        if !otherParameterWeeks.isEmpty {
            let weeks = otherParameterWeeks.count <= 3 ? otherParameterWeeks.joined(separator: ", ")
                : "\(otherParameterWeeks.count) weeks, \(otherParameterWeeks[0]) to \(otherParameterWeeks.last!)"
            out.append(("All themes", "the accrued costs add earlier weeks costed with other impact parameters (\(weeks)); "
                + "`voc analyze` of every week with one configuration makes them comparable (`voc status` lists each week's)"))
        }
        var themesByWarning: [String: [String]] = [:]
        var warnings: [String] = []  // in the order first given
        for row in ranked {
            for warning in row.cost?.warnings ?? [] {
                if themesByWarning[warning] == nil { warnings.append(warning) }
                themesByWarning[warning, default: []].append(row.theme.label)
            }
        }
        return out + warnings.map { warning in
            let themes = themesByWarning[warning]!
            return (themes.count > 1 && themes.count == ranked.count ? "All themes" : themes.joined(separator: ", "), warning)
        }
    }
    /// Discovered themes that are mostly praise, questions or neutral remarks.
    public var praise: [ThemeRow] { themes.filter { $0.messages > 0 && !$0.isIssue } }
    public var emerging: [ThemeRow] { ranked.filter { $0.trend.status == .new || $0.trend.status == .rising } }
    public var fading: [ThemeRow] { themes.filter { $0.isIssue && ($0.trend.status == .fading || $0.trend.status == .gone) } }
}

/// The Report stage's role: a value in, a document out.
public protocol ReportRenderer: Sendable {
    associatedtype Input
    func render(_ input: Input) -> String
}

/// A failed-search query as customers typed it, and how many searches it was: what a demand theme's owner
/// adds as a synonym.
public struct SearchedQuery: Sendable, Encodable, Equatable {
    public var query: String
    public var count: Int

    public init(query: String, count: Int) {
        self.query = query
        self.count = count
    }
}

enum Format {
    /// “usb-c hub” (5), “usb c dock” (3): a demand's queries as the reports and feeds list them.
    static func searched(_ queries: [SearchedQuery], escape: (String) -> String) -> String {
        queries.map { "“\(escape($0.query))” (\(number($0.count)))" }.joined(separator: ", ")
    }

    static func number(_ value: Double) -> String { number(Int(value.rounded())) }

    /// A count with its thousands grouped: "14,895".
    static func number(_ value: Int) -> String {
        var out = ""
        for (i, c) in String(value.magnitude).reversed().enumerated() {
            if i > 0, i % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (value < 0 ? "-" : "") + String(out.reversed())
    }

    /// What the costs are valued in: "V = 500 EUR revenue per customer per year". The total is an amount of
    /// that currency, not a figure per customer or per year; saying the unit alone read as if it were.
    static func valuation(_ parameters: ImpactParameters) -> String {
        guard let value = parameters.customerValue?.base else { return "valued in \(parameters.valueUnit)" }
        let shown = value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        return "V = \(shown) \(parameters.valueUnit)"
    }

    static func span(_ span: Span?) -> String {
        guard let span else { return "n/a" }
        return "\(number(span.base)) (\(number(span.low))–\(number(span.high)))"
    }

    static func percent(_ value: Double) -> String { "\(Int((value * 100).rounded()))%" }

    /// "1 message", "12 messages": a count with its noun, singular for one.
    static func count(_ n: Int, _ singular: String, _ plural: String) -> String { "\(number(n)) \(n == 1 ? singular : plural)" }

    static func change(_ now: Int, _ before: Int) -> String {
        guard before > 0 else { return now > 0 ? "new" : "–" }
        let delta = Double(now - before) / Double(before)
        return (delta >= 0 ? "+" : "") + percent(delta)
    }

    /// Text sparkline: ▁▂▃▄▅▆▇█ scaled to the series maximum; `·` for the leading weeks the store does not
    /// hold (all but the last `held`).
    static func sparkline(_ values: [Int], held: Int? = nil) -> String {
        let bars = Array("▁▂▃▄▅▆▇█")
        let top = max(1, values.max() ?? 1)
        let unheld = unheldWeeks(values.count, held: held)
        return String(values.enumerated().map { $0.offset < unheld ? "·" : bars[min(7, $0.element * 7 / top)] })
    }

    /// How many leading weeks of a series of `count` the store does not hold, when it holds the last `held`.
    static func unheldWeeks(_ count: Int, held: Int?) -> Int { max(0, count - (held ?? count)) }

    /// At most `limit` characters of a quote, on one line; a longer one is cut after its last whole word
    /// and marked "…", so a reader never takes a cut word ("Tha") for what the customer wrote. A single
    /// word longer than the limit (a URL) is cut where the limit falls.
    ///
    /// With the theme's key `terms`, a quote too long for its place starts at its sentence richest in them
    /// when showing it from the start would cut that sentence off: a long email's greeting and its other
    /// complaint came first, and the part that made it an example of the theme fell past the limit.
    static func excerpt(_ text: String, limit: Int, around terms: Set<String> = []) -> String {
        let line = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        guard line.count > limit else { return line }
        if let start = mentionStart(in: line, terms: terms, limit: limit) {
            return "… " + excerpt(String(line[start...]), limit: max(1, limit - 2))
        }
        let cut = line.prefix(limit)
        // The cut falls inside a word unless the next character is a space: that word goes.
        let whole = line[cut.endIndex].isWhitespace ? cut : cut[..<(cut.lastIndex(where: \.isWhitespace) ?? cut.startIndex)]
        let kept = String((whole.isEmpty ? cut : whole).reversed().drop { $0.isWhitespace || ",;:-–—".contains($0) }.reversed())
        // After a sentence's end the mark stands apart ("order. …"): the sentences after it are what was cut.
        return kept + (kept.last.map { ".!?".contains($0) } == true ? " …" : "…")
    }

    /// Where the sentence of `line` with the most words stemming to one of `terms` starts (the first such
    /// sentence on a tie), when a cut at `limit` characters from the line's start would not hold all of it;
    /// nil when it would, or when no sentence holds a term.
    private static func mentionStart(in line: String, terms: Set<String>, limit: Int) -> String.Index? {
        guard !terms.isEmpty else { return nil }
        let tokenized = Tokenizer().tokenize(line)
        let utf8 = line.utf8
        var best: (hits: Int, range: Range<String.Index>)?
        for sentence in tokenized.sentences.indices {
            let bytes = tokenized.byteRange(ofSentence: sentence)
            let range = utf8.index(utf8.startIndex, offsetBy: bytes.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: bytes.upperBound)
            let hits = words(of: line[range]).count { terms.contains(Stemmer.stem($0.lowercased())) }
            if hits > (best?.hits ?? 0) { best = (hits, range) }
        }
        guard let best, best.range.lowerBound > line.startIndex, line[..<best.range.upperBound].count > limit else { return nil }
        return best.range.lowerBound
    }

    /// The words of `text` as `highlight` reads them.
    private static func words(of text: Substring) -> [Substring] { text.split { !isWordCharacter($0) } }

    /// What a quote's words are made of, for highlighting and for finding a theme's mention: letters, digits
    /// and apostrophes ("don't").
    private static func isWordCharacter(_ character: Character) -> Bool { character.isLetter || character.isNumber || character == "'" }

    /// Customer text (quotes, queries, labels made from their words) as Markdown shows it, never as markup:
    /// Markdown passes inline HTML through, so a search for "<img src=x onerror=…>" or a message holding
    /// "[refund here](http://…)" rendered as an image or a link wherever a report or feed was previewed.
    /// Every character Markdown reads as inline markup is backslash-escaped (CommonMark allows it before
    /// any ASCII punctuation), after `safe`.
    static func markdown(_ text: String) -> String {
        var out = ""
        for c in safe(text) {
            if "\\*_`[]<>|#~&".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// Removes bidi controls and zero-width characters that could reorder or hide report text, and the
    /// control characters but tab and line feed: a message holding ESC sequences set the terminal's title,
    /// cleared its screen or wrote to its clipboard (OSC 52) when `voc drill` or `cat` of a report showed it.
    static func safe(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { s in
            !((0x202A...0x202E).contains(s.value) || (0x2066...0x2069).contains(s.value) || (0x200B...0x200F).contains(s.value)
                || s.value == 0xFEFF || s.value == 0x061C
                || (s.value < 0x20 && s != "\n" && s != "\t") || (0x7F...0x9F).contains(s.value))
        }))
    }

    /// Words of `text` whose stem is one of the theme's key terms, marked with `open` and `close`. Key words
    /// next to each other, with only spaces between them, share one mark ("**promo code expired**"): one
    /// mark per word made every phrase of a quote a row of bold fragments.
    static func highlight(_ text: String, terms: Set<String>, open: String, close: String, escape: (String) -> String) -> String {
        var out = ""
        var word = "", gap = ""
        var marking = false
        func flush() {
            guard !word.isEmpty else { return }
            if terms.contains(Stemmer.stem(word.lowercased())) {
                if marking, !gap.isEmpty, gap.allSatisfy({ $0 == " " }) {
                    out += escape(gap)
                } else {
                    out += (marking ? close : "") + escape(gap) + open
                }
                marking = true
            } else {
                out += (marking ? close : "") + escape(gap)
                marking = false
            }
            out += escape(word)
            word = ""
            gap = ""
        }
        for character in safe(text) {
            if isWordCharacter(character) {
                word.append(character)
            } else {
                flush()
                gap.append(character)
            }
        }
        flush()
        return out + (marking ? close : "") + escape(gap)
    }

    /// The stems a quote of the theme highlights: its signature's (its documents' weightiest content terms).
    /// A curated theme's keyphrases are its seed phrases as written, function words and all: read word by
    /// word they lit up every "an" of "website shows an error" and every "the" of "answers the phone". They
    /// count only for a theme without a signature, stemmed, from three letters.
    static func keyTerms(_ theme: Theme) -> Set<String> {
        let signature = Set(theme.signature.keys.flatMap { $0.split(separator: " ").map(String.init) })
        guard signature.isEmpty else { return signature }
        return Set(theme.keyphrases.flatMap { $0.split(separator: " ") }.filter { $0.count >= 3 }.map { Stemmer.stem($0.lowercased()) })
    }
}
