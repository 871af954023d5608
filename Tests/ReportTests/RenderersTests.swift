import Foundation
import Impact
import Ingest
@testable import Report
import Testing
import Themes

/// Renderers are pure functions of values: fixed values in, expected text out.
@Suite struct RenderersTests {
    static func row(_ label: String, curated: Bool = true, messages: Int = 12, cost: Double? = 1_000, department: String = "billing", quote: String = "I was charged twice") -> ThemeRow {
        let theme = Theme(id: "billing.double-charge", label: label, keyphrases: ["charged twice"], department: department, severity: .moneyLoss,
                          curated: curated, signature: ["charg": 1, "twice": 1])
        let span = cost.map { Span(low: $0 / 2, base: $0, high: $0 * 2) }
        let coi = CostOfInaction(theme: theme.id, affected: Span(low: 10, base: 20, high: 40), revenueAtRisk: span,
                                 costOfInaction: span.map { Span(low: $0.low * 13, base: $0.base * 13, high: $0.high * 13) }, accrued: span,
                                 explanation: ["F3 RAR = ..."], warnings: [], parameters: "p")
        return ThemeRow(theme: theme, kind: "voice", messages: messages, customers: 10, negativeShare: 0.75,
                        trend: ThemeTrend(current: messages, history: [4, 4, 4], firstSeenThisWeek: false),
                        firstSeen: Week("2026-W44")!, lastSeen: Week("2026-W47")!, cost: coi, weekly: [0, 0, 0, 0, 4, 4, 4, messages], verbatims: [quote])
    }

    static func report(_ rows: [ThemeRow]) -> WeeklyReport {
        WeeklyReport(
            week: Week("2026-W47")!,
            headline: Headline(channels: [.chat: 30, .email: 10], previousChannels: [.chat: 20, .email: 10], sentiment: ["negative": 30, "neutral": 5, "positive": 5],
                               meanCompound: -0.3, nps: -20, npsRespondents: 40, csat: 3.1, quarantined: 2, setAside: ["auto-reply": 1], notEnglish: 3, tooShort: 1, otherTheme: 0),
            themes: rows, searchThemes: [], departments: ["billing", "triage"], parameters: ImpactParameters(),
            run: RunInfo(id: 7, version: "0.1.0", seed: 1, lexiconHashes: [("general.tsv", "abc123")]))
    }

    @Test func markdownHeadlineAndRankedTable() {
        let md = MarkdownReport().render(Self.report([Self.row("Double charges"), Self.row("Small", cost: 10)]))
        let lines = md.split(separator: "\n").map(String.init)
        #expect(lines[0] == "# Voice of the Customer — week 2026-W47")
        #expect(lines.contains("- **40 customer messages** (+33% vs previous week): survey 0 (–), email 10 (+0%), chat 30 (+50%), community 0 (–), search 0 (–)"))
        #expect(lines.contains("- **Cost of inaction across themes** (next 13 weeks; valued in revenue per customer per year): 13,130 (6,565–26,260)"))
        #expect(lines.contains("| 1 | Double charges | billing | 12 | 10 | 75% | +200% ↑ | ▁▁▁▁▃▃▃█ | 1,000 (500–2,000) | 1,000 (500–2,000) |"))
        #expect(lines.firstIndex { $0.hasPrefix("| 1 |") }! < lines.firstIndex { $0.hasPrefix("| 2 | Small") }!)
        #expect(md.contains("> I was **charged twice**"))
        #expect(md.contains("Run 7, voc 0.1.0, seed 1"))
    }

    /// Weeks before the store's first are not weeks without mentions: the trend marks them `·`, the HTML
    /// line starts after them and the feed says where its history starts.
    @Test func weeksBeforeTheStoreAreNotDrawnAsZero() {
        var row = Self.row("Double charges")
        row.weeksHeld = 3
        let md = MarkdownReport().render(Self.report([row]))
        #expect(md.contains("| +200% ↑ | ·····▃▃█ |") && md.contains("· in a trend: a week before the store's first."))
        #expect(HTMLReport().render(Self.report([row])).contains("points=\"57,13 68,13 80,2\""))
        let feed = DepartmentFeed(department: "billing", week: Week("2026-W47")!, themes: [row], generator: "voc")
        #expect(feed.json().contains("\"history_starts\" : \"2026-W45\""))
        #expect(feed.markdown().contains("- weekly volume: ·····▃▃█ 0 0 0 0 4 4 4 12 (the store starts at 2026-W45)"))
        #expect(!DepartmentFeed(department: "billing", week: Week("2026-W47")!, themes: [Self.row("Double charges")], generator: "voc").json().contains("history_starts"))
    }

    /// The messages not in English are counted by language, commonest first; without any the line is as before.
    @Test func theHeadlineNamesTheLanguagesNotEnglish() {
        var report = Self.report([])
        report.headline.otherLanguages = ["de": 1, "es": 2]
        #expect(MarkdownReport().render(report).contains(", 3 not in English (es 2, de 1; counted, not scored or themed), "))
        #expect(HTMLReport().render(report).contains("3 not English (es 2, de 1) · "))
        #expect(MarkdownReport().render(Self.report([])).contains(", 3 not in English (counted, not scored or themed), "))
    }

    /// A text is quoted and listed as an example once, whatever its case and spacing: a demand's examples
    /// were its commonest query over and over, and a short comment many customers send took several quotes.
    @Test func aTextIsQuotedOnce() throws {
        var search = Self.row("usbc hub", department: "search_catalogue")
        search.kind = "search"
        search.verbatims = ["usbc hub 4 port", "usb c dock", "usbc hub 4 port", "USBC  hub 4 port", "usb-c hub"]
        let json = DepartmentFeed(department: "search_catalogue", week: Week("2026-W47")!, themes: [search], generator: "voc").json()
        let items = try #require((try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["themes"] as? [[String: Any]])
        #expect(items.first?["examples"] as? [String] == ["usbc hub 4 port", "usb c dock", "usb-c hub"])
        var voice = Self.row("Late delivery", quote: "Late delivery")
        voice.verbatims = ["Late delivery", "late delivery ", "Parcel never came"]
        let md = MarkdownReport().render(Self.report([voice]))
        #expect(md.split(separator: "\n").filter { $0.hasPrefix("> ") }.count == 2)
    }

    /// The total is an amount of the customer value's currency: the headline says what a customer is valued
    /// at, not the unit alone (which read as a figure per customer per year).
    /// A failed-search demand shows how it was typed, escaped in both renderers; a row without queries
    /// shows nothing of the kind.
    @Test func failedSearchDemandShowsItsQueriesAsTyped() {
        var search = Self.row("usbc hub", department: "search_catalogue")
        search.searchedAs = [SearchedQuery(query: "usb-c hub", count: 5), SearchedQuery(query: "usb c <dock>", count: 3)]
        let bare = Self.row("leather boots", department: "search_catalogue")
        var report = Self.report([])
        report.searchThemes = [search, bare]
        let md = MarkdownReport().render(report)
        #expect(md.contains("- **usbc hub**: 12 zero-result searches by 10 sessions; lost revenue n/a (configure average_order_value); searched as “usb-c hub” (5), “usb c \\<dock\\>” (3)"))
        #expect(!md.contains("<dock>"))
        #expect(md.contains("- **leather boots**: 12 zero-result searches by 10 sessions; lost revenue n/a (configure average_order_value)\n"))
        let html = HTMLReport().render(report)
        #expect(html.contains("<td>“usb-c hub” (5), “usb c &lt;dock&gt;” (3)</td></tr>"))
        #expect(!html.contains("<dock>"))
    }

    /// Counts of one read in the singular: a demand searched once by one session, a theme of one message.
    @Test func aCountOfOneIsSingular() {
        var once = Self.row("children rain jacket", messages: 1, department: "search_catalogue")
        once.customers = 1
        func praise(_ label: String, messages: Int) -> ThemeRow {
            var row = Self.row(label, curated: false, messages: messages)
            row.negativeShare = 0
            return row
        }
        var report = Self.report([praise("quick refund", messages: 1), praise("works great", messages: 2)])
        report.searchThemes = [once]
        let md = MarkdownReport().render(report)
        #expect(md.contains("- **children rain jacket**: 1 zero-result search by 1 session; "))
        #expect(md.contains("- quick refund: 1 message, 0% negative"))
        #expect(md.contains("- works great: 2 messages, 0% negative"))
        #expect(HTMLReport().render(report).contains("<li>quick refund: 1 message, 0% negative</li>"))
        once.kind = "search"
        let feed = DepartmentFeed(department: "search_catalogue", week: Week("2026-W47")!, themes: [once], generator: "voc").markdown()
        #expect(feed.contains(", 1 zero-result search by 1 session"))
    }

    /// Customer text never becomes Markdown markup: a query, a label made of customer words or a quote
    /// holding HTML, a link or emphasis is shown as typed, in the report and in the department's feed.
    @Test func customerTextIsNeverMarkdownMarkup() {
        let hostile = "<img src=x onerror=alert(1)> [refund here](http://evil.example) **now** `x` #1 ~~no~~ &lt; a|b"
        let escaped = "\\<img src=x onerror=alert(1)\\> \\[refund here\\](http://evil.example) \\*\\*now\\*\\* \\`x\\` \\#1 \\~\\~no\\~\\~ \\&lt; a\\|b"
        #expect(Format.markdown(hostile) == escaped)
        var search = Self.row("<b>boots</b>", department: "search_catalogue")
        search.kind = "search"
        search.searchedAs = [SearchedQuery(query: hostile, count: 2)]
        var report = Self.report([Self.row("Double charges", quote: hostile)])
        report.searchThemes = [search]
        let md = MarkdownReport().render(report)
        #expect(md.contains("- **\\<b\\>boots\\</b\\>**: 12 zero-result searches"))
        #expect(md.contains("searched as “" + escaped + "” (2)"))
        #expect(md.contains("> " + escaped + "\n"))
        for feed in [DepartmentFeed(department: "search_catalogue", week: Week("2026-W47")!, themes: [search], generator: "voc"),
                     DepartmentFeed(department: "billing", week: Week("2026-W47")!, themes: [Self.row("Double charges", quote: hostile)], generator: "voc")] {
            let text = feed.markdown()
            // Every markup character of the customer's text is escaped: none stands without a backslash before it.
            let line = text.split(separator: "\n").first { $0.contains("img src") } ?? ""
            #expect(line.hasPrefix("  > ") || line.hasPrefix("- searched as: "))
            let characters = Array(line.drop { $0 == " " || $0 == ">" })
            let bare = characters.indices.filter { "<>[]`~".contains(characters[$0]) && ($0 == 0 || characters[$0 - 1] != "\\") }
            #expect(bare.isEmpty)
        }
        let billing = DepartmentFeed(department: "billing", week: Week("2026-W47")!, themes: [Self.row("Double charges", quote: hostile)], generator: "voc")
        #expect(billing.markdown().contains("  > " + escaped + "\n"))
        #expect(DepartmentFeed(department: "search_catalogue", week: Week("2026-W47")!, themes: [search], generator: "voc").markdown()
            .contains("## \\<b\\>boots\\</b\\> (`billing.double-charge`)"))
    }

    /// Terminal control sequences in customer text are dropped wherever it is shown: the drill's quotes,
    /// sub-theme examples and queries, and the reports and feeds someone may `cat`.
    @Test func customerTextCannotDriveTheTerminal() {
        let hostile = "\u{1B}]0;pwned\u{07}\u{1B}[31mMy refund never came\u{1B}[0m and\r I was charged twice.\u{9B}2J\u{1B}]52;c;ZXZpbA==\u{07}"
        let plain = "]0;pwned[31mMy refund never came[0m and I was charged twice.2J]52;c;ZXZpbA=="
        #expect(Format.safe(hostile) == plain)
        #expect(Format.safe("tab\there\nnext line") == "tab\there\nnext line")
        var row = Self.row("Double charges", quote: hostile)
        row.subthemes = [SubThemeRow(label: "refund", messages: 3, example: hostile)]
        let drill = DrillDown(query: "refund", row: row, weeks: [Week("2026-W47")!], sentiment: [:], channels: [:], related: [],
                              verbatims: [hostile], failedSearches: []).text(colour: true)
        var search = Self.row("usbc hub", department: "search_catalogue")
        search.kind = "search"
        search.searchedAs = [SearchedQuery(query: hostile, count: 2)]
        let searchDrill = DrillDown(query: "usbc", row: search, weeks: [Week("2026-W47")!], sentiment: [:], channels: [:], related: [],
                                    verbatims: [], failedSearches: [], searchedAs: search.searchedAs).text(colour: false)
        var report = Self.report([row])
        report.searchThemes = [search]
        let feed = DepartmentFeed(department: "billing", week: Week("2026-W47")!, themes: [row, search], generator: "voc")
        for text in [drill, searchDrill, MarkdownReport().render(report), HTMLReport().render(report), feed.markdown(), feed.csv(), feed.json()] {
            #expect(!text.unicodeScalars.contains { $0 == "\u{07}" || $0 == "\u{9B}" || $0 == "\r" && !text.contains("\r\n") })
            // The drill's own colour (ESC [1;33m … ESC [0m around matched terms) is the only ESC left.
            #expect(text.replacingOccurrences(of: "\u{1B}[1;33m", with: "").replacingOccurrences(of: "\u{1B}[0m", with: "").unicodeScalars.allSatisfy { $0 != "\u{1B}" })
        }
        #expect(drill.contains("charged twice"))
        #expect(searchDrill.contains("  2  " + plain))
    }

    @Test func theCostSaysWhatACustomerIsValuedAt() {
        var report = Self.report([Self.row("Double charges")])
        report.parameters.customerValue = Parameter(500, 300, 800, source: "test")
        report.parameters.valueUnit = "EUR revenue per customer per year"
        let md = MarkdownReport().render(report)
        #expect(md.contains("- **Cost of inaction across themes** (next 13 weeks; V = 500 EUR revenue per customer per year): "))
        report.parameters.customerValue = Parameter(37.5, 30, 45, source: "test")
        #expect(HTMLReport().render(report).contains("V = 37.5 EUR revenue per customer per year"))
    }

    /// Figures are never shown without their caveats: a theme's warnings under the table, and a note when
    /// the themes together would cost more than the whole customer base is worth in a year.
    @Test func costsThatCannotBeAreFlagged() {
        var warned = Self.row("Double charges", cost: 40_000)
        warned.cost?.warnings = ["survey prevalence from 40 respondents (< 100): wide interval"]
        var report = Self.report([warned, Self.row("Small", cost: 10)])
        report.parameters.customerBase = 1_000
        report.parameters.customerValue = Parameter(500, source: "test")
        let md = MarkdownReport().render(report)
        #expect(md.contains("(next 13 weeks; V = 500 revenue per customer per year): 520,130 (260,065–1,040,260); read with the 2 caveat(s) under the issue table"))
        #expect(md.contains("- **All themes**: the cost of inaction across themes, 520,130, is more than the whole customer base is worth in a year (1,000 x 500 = 500,000)"))
        #expect(md.contains("- **Double charges**: survey prevalence from 40 respondents (\\< 100): wide interval"))
        #expect(HTMLReport().render(report).contains("<li><b>Double charges</b>: survey prevalence from 40 respondents (&lt; 100): wide interval</li>"))
        // The department's feed carries them too.
        let feed = DepartmentFeed(department: "billing", week: Week("2026-W47")!, themes: [warned, Self.row("Small", cost: 10)], generator: "voc")
        #expect(feed.json().contains("\"warnings\" : [\n        \"survey prevalence from 40 respondents (< 100): wide interval\"\n      ]"))
        #expect(feed.json().contains("\"warnings\" : [\n\n      ]"))
        #expect(feed.markdown().contains("- caveat: survey prevalence from 40 respondents (\\< 100): wide interval"))
        report.otherParameterWeeks = ["2026-W45", "2026-W46"]
        #expect(MarkdownReport().render(report).contains("- **All themes**: the accrued costs add earlier weeks costed with other impact parameters (2026-W45, 2026-W46); "))
        report.otherParameterWeeks = []
        report.parameters.customerBase = 10_000
        report.themes[0].cost?.warnings = []
        #expect(!MarkdownReport().render(report).contains("caveat"))
        // A warning several themes share is one line naming them, or all of them.
        let unconfigured = "no customer value configured: showing affected customers only"
        var third = Self.row("Late parcels", cost: 5)
        for k in report.themes.indices { report.themes[k].cost?.warnings = [unconfigured] }
        third.cost?.warnings = [unconfigured, "survey prevalence from 40 respondents (< 100): wide interval"]
        report.themes.append(third)
        #expect(report.caveats.map(\.theme) == ["All themes", "Late parcels"])
        report.themes[1].cost?.warnings = []
        #expect(report.caveats.map(\.theme) == ["Double charges, Late parcels", "Late parcels"])
        #expect(MarkdownReport().render(report).contains("- **Double charges, Late parcels**: \(unconfigured)\n"))
    }

    /// A department's line lists what it has to act on this week: a theme gone quiet (no messages) is left to
    /// "Fading themes".
    @Test func departmentsListOnlyThemesWithMessagesThisWeek() {
        var gone = Self.row("Old outage", messages: 0, department: "digital")
        gone.trend = ThemeTrend(current: 0, history: [30, 28, 31], firstSeenThisWeek: false)
        let report = Self.report([Self.row("Double charges"), gone])
        let md = MarkdownReport().render(report)
        #expect(md.contains("- **billing**: Double charges (12)\n"))
        #expect(!md.contains("**digital**"))
        #expect(md.contains("- Old outage (fading: 0 messages this week against 30 a week before)"))
        let html = HTMLReport().render(report)
        #expect(html.contains("<li><b>billing</b>: Double charges (12)</li>"))
        #expect(!html.contains("<b>digital</b>"))
    }

    /// Quotes highlight the theme's content terms, not the function words of its seed phrases.
    @Test func quotesHighlightContentTermsNotTheFunctionWordsOfSeedPhrases() {
        var row = Self.row("App and website errors", quote: "Still waiting for an answer: the website shows an error at checkout.")
        row.theme.keyphrases = ["website shows an error", "checkout page"]
        row.theme.signature = ["websit": 1, "error": 0.8, "checkout": 0.7, "checkout page": 0.5]
        let md = MarkdownReport().render(Self.report([row]))
        #expect(md.contains("> Still waiting for an answer: the **website** shows an **error** at **checkout**."))
        row.theme.signature = [:]
        let unsigned = MarkdownReport().render(Self.report([row]))
        #expect(unsigned.contains("> Still waiting for an answer: the **website shows** an **error** at **checkout**."))
    }

    /// Counts in prose read as the headline's do: thousands grouped, the noun singular for one.
    @Test func countsInProseGroupThousands() {
        #expect(Format.count(35_765, "message", "messages") == "35,765 messages")
        #expect(Format.count(1, "message", "messages") == "1 message")
        #expect(Format.count(0, "record", "records") == "0 records")
    }

    /// Key words side by side share one mark; punctuation between them ends it, and the HTML and terminal
    /// marks follow the same spans.
    @Test func keyWordsSideBySideShareOneMark() {
        let terms: Set<String> = ["promo", "code", "expir", "checkout"]
        let text = "PROMO CODE EXPIRED, at checkout!  Checkout  again"
        #expect(Format.highlight(text, terms: terms, open: "**", close: "**", escape: Format.markdown) == "**PROMO CODE EXPIRED**, at **checkout**!  **Checkout**  again")
        #expect(Format.highlight("the code, the promo", terms: terms, open: "<mark>", close: "</mark>", escape: { $0 })
            == "the <mark>code</mark>, the <mark>promo</mark>")
        #expect(Format.highlight("", terms: terms, open: "[", close: "]", escape: { $0 }) == "")
        #expect(Format.highlight("  promo code  ", terms: terms, open: "[", close: "]", escape: { $0 }) == "  [promo code]  ")
    }

    @Test func htmlIsSelfContainedAndEscaped() {
        let hostile = Self.row("<script>alert(1)</script>", quote: "<img src=x onerror=alert(1)> \u{202E}gnp.exe")
        let html = HTMLReport().render(Self.report([hostile]))
        #expect(!html.contains("<script>alert") && html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("\u{202E}"))
        for external in ["http://", "https://", "src=\"", "<link", "@import", "url("] { #expect(!html.contains(external), "\(external)") }
        #expect(html.contains("<svg"))
        // The method note's code spans are code, not backticks.
        #expect(!html.contains("`") && html.contains("<code>docs/cost-model.md</code>"))
        #expect(escCode("a `b` c `d") == "a `b` c `d" && escCode("`<x>`") == "<code>&lt;x&gt;</code>")
    }

    @Test func csvFeedCellsCannotBecomeFormulas() {
        let row = Self.row("=HYPERLINK(\"http://evil\",\"click\")", quote: "+SUM(A1:A9)")
        let csv = DepartmentFeed(department: "billing", week: Week("2026-W47")!, themes: [row], generator: "voc").csv()
        #expect(csv.contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"click\"\")\""))
        #expect(csv.contains("\"'+SUM(A1:A9)\""))
        #expect(CSVCell.safe("-12.5") == "\"-12.5\"")  // plain numbers stay numbers
    }

    @Test func jsonFeedHasTheVersionedSchema() {
        let json = DepartmentFeed(department: "billing", week: Week("2026-W47")!, themes: [Self.row("Double charges")], generator: "voc 0.1.0").json()
        #expect(json.contains("\"schema\" : \"voc.feed/1\""))
        #expect(json.contains("\"id\" : \"billing.double-charge\""))
        #expect(json.contains("\"weekly_volume\" : ["))
        #expect(json.contains("\"cost_per_week_of_delay\" : {"))
        #expect(!json.contains("searched_as"))  // a message theme has no queries
    }

    /// A search theme's feed carries its queries as typed, formula-safe like every other text.
    @Test func searchFeedCarriesTheQueriesAsTyped() throws {
        var row = Self.row("usbc hub", department: "search_catalogue")
        row.kind = "search"
        row.searchedAs = [SearchedQuery(query: "usb-c hub", count: 5), SearchedQuery(query: "=usb c dock", count: 3)]
        let feed = DepartmentFeed(department: "search_catalogue", week: Week("2026-W47")!, themes: [row], generator: "voc 0.1.0")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(feed.json().utf8)) as? [String: Any])
        let theme = try #require((document["themes"] as? [[String: Any]])?.first)
        let typed = try #require(theme["searched_as"] as? [[String: Any]])
        #expect(typed.map { $0["query"] as? String } == ["usb-c hub", Format.safe("=usb c dock")])
        #expect(typed.map { $0["count"] as? Int } == [5, 3])
        let markdown = feed.markdown()
        #expect(markdown.contains("- searched as: “usb-c hub” (5), “\(Format.safe("=usb c dock"))” (3)"))
        // Sessions, not customers, and no sentiment: failed searches are not scored.
        #expect(markdown.contains(", 12 zero-result searches by 10 sessions\n"))
        #expect(!markdown.contains("negative") && !markdown.contains("  > "))
        #expect(theme["negative_share"] as? Double == 0.75)  // the JSON's contract is unchanged
    }

    @Test func themeTableIsAligned() {
        let table = ThemeTable().render([Self.row("Double charges"), Self.row("A much longer theme label", messages: 3)])
        let lines = table.split(separator: "\n")
        #expect(lines.count == 3)
        func column(_ line: Substring, _ text: String) -> Int? { line.firstRange(of: text).map { line.distance(from: line.startIndex, to: $0.lowerBound) } }
        #expect(column(lines[0], "THEME") == column(lines[1], "Double charges"))
        #expect(column(lines[0], "THEME") == column(lines[2], "A much longer theme label"))
        #expect(column(lines[0], "STATUS") == column(lines[2], "steady"))
        #expect(lines[1].contains("  75%  "))
        var search = Self.row("usbc hub", department: "search_catalogue")
        search.kind = "search"
        let searchLine = ThemeTable().render([search]).split(separator: "\n")[1]
        #expect(searchLine.contains("  –  ") && !searchLine.contains("75%"), "a failed search has no sentiment: \(searchLine)")
    }

    @Test func drillDownTextPlainWhenPiped() {
        let drill = DrillDown(query: "charged", row: Self.row("Double charges"), weeks: [Week("2026-W46")!, Week("2026-W47")!], sentiment: ["negative": 9, "positive": 1],
                              channels: ["chat": 10], related: ["d-refund (2)"], verbatims: ["I was charged twice"], failedSearches: [])
        let text = drill.text(colour: false)
        #expect(text.hasPrefix("Double charges  [billing.double-charge]\n"))
        #expect(text.contains("sentiment  negative 90%  neutral 0%  positive 10%"))
        #expect(!text.contains("\u{1B}["))
        #expect(drill.text(colour: true).contains("\u{1B}[1;33mcharged twice\u{1B}[0m"))
    }

    /// A drill by free text says how many messages it matched before the theme most of them are in, and
    /// heads its verbatims as matches, not as what the theme's customers say.
    @Test func aFreeTextDrillSaysWhatItMatched() throws {
        let drill = DrillDown(query: "charged twice", row: Self.row("Double charges"), weeks: [Week("2026-W46")!, Week("2026-W47")!], sentiment: [:],
                              channels: [:], related: [], verbatims: ["I was charged twice"], failedSearches: [], matchedMessages: 1234)
        let text = drill.text(colour: false)
        #expect(text.hasPrefix("“charged twice”: 1,234 messages in the 2 weeks to 2026-W47; the theme most of them are in:\n\nDouble charges  ["))
        #expect(text.contains("\nmessages that match “charged twice”:\n  “I was charged twice”\n") && !text.contains("what customers say"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(drill.json().utf8)) as? [String: Any])
        #expect(json["matched_messages"] as? Int == 1234)
        let byTheme = DrillDown(query: "billing.double-charge", row: Self.row("Double charges"), weeks: [Week("2026-W47")!], sentiment: [:],
                                channels: [:], related: [], verbatims: ["I was charged twice"], failedSearches: [])
        #expect(byTheme.text(colour: false).hasPrefix("Double charges  [") && byTheme.text(colour: false).contains("\nwhat customers say:\n"))
    }

    /// A failed-search demand's drill lists its queries with counts instead of repeating them as verbatims.
    @Test func aSearchDrillListsItsQueriesWithCounts() throws {
        var search = Self.row("usbc hub")
        search.kind = "search"
        let drill = DrillDown(query: "usbc hub", row: search, weeks: [Week("2026-W47")!], sentiment: ["neutral": 16],
                              channels: ["search": 16], related: [], verbatims: ["usbc hub 4 port", "usbc hub 4 port"], failedSearches: [],
                              searchedAs: [SearchedQuery(query: "usb-c hub", count: 12), SearchedQuery(query: "usb c dock", count: 4)])
        let text = drill.text(colour: false)
        #expect(text.contains("searched as this week:\n  12  usb-c hub\n   4  usb c dock\n"))
        #expect(!text.contains("what customers say") && !text.contains("“usbc hub 4 port”"))
        #expect(text.contains("\nsentiment  not scored (failed searches)\n"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(drill.json().utf8)) as? [String: Any])
        #expect((json["searched_as"] as? [[String: Any]])?.compactMap { $0["query"] as? String } == ["usb-c hub", "usb c dock"])
        let plain = DrillDown(query: "charged", row: Self.row("Double charges"), weeks: [Week("2026-W47")!], sentiment: [:], channels: [:],
                              related: [], verbatims: ["I was charged twice"], failedSearches: [])
        #expect(plain.text(colour: false).contains("what customers say:\n  “I was charged twice”"))
    }

    /// A quote longer than its place is cut after a whole word and says so; a short one is left as written.
    @Test func longQuotesAreCutAfterAWholeWordAndMarked() {
        #expect(Format.excerpt("I was charged twice", limit: 19) == "I was charged twice")
        #expect(Format.excerpt("Thanks for nothing", limit: 12) == "Thanks for…")
        #expect(Format.excerpt("Thanks for nothing", limit: 10) == "Thanks for…")
        #expect(Format.excerpt("Hello, world of pain", limit: 8) == "Hello…")
        #expect(Format.excerpt("Broken. Again and again", limit: 10) == "Broken. …")
        #expect(Format.excerpt("https://example.org/orders/1", limit: 10) == "https://ex…")
        #expect(Format.excerpt("first line\nsecond line", limit: 40) == "first line second line")
        let multi = "Order #747588. My phone case is defective and makes a strange noise. Also, the discount was not applied to my order. Thanks for nothing."
        var row = Self.row("Damaged or faulty product")
        row.subthemes = [SubThemeRow(label: "box / strange noise", messages: 11, example: multi)]
        let drill = DrillDown(query: "damaged", row: row, weeks: [Week("2026-W47")!], sentiment: [:], channels: [:], related: [],
                              verbatims: [String(repeating: "the parcel was late ", count: 20)], failedSearches: []).text(colour: false)
        #expect(drill.contains("box / strange noise  “Order #747588. My phone case is defective and makes a strange noise. Also, the discount was not applied to my order. …”\n"))
        #expect(drill.contains("“" + String(repeating: "the parcel was late ", count: 15).dropLast() + "…”\n"))
        let md = MarkdownReport().render(Self.report([Self.row("Double charges", quote: String(repeating: "charged twice ", count: 30))]))
        #expect(md.contains("> **" + Array(repeating: "charged twice", count: 20).joined(separator: " ") + "**…\n"))
    }

    /// A long quote whose mention of the theme comes late starts at that mention, marked as cut at both
    /// ends; one that mentions it early, or not at all, still starts where the customer started.
    @Test func longQuotesStartAtTheSentenceThatMentionsTheTheme() {
        let greeting = "Hello, I am writing about my order from last month, which I placed for my sister's birthday and which arrived two days late, in a box that was wet and torn at one corner, after I had chased the courier by phone twice."
        let mention = "Worse, I was charged twice for it and nobody answers my emails."
        let email = greeting + " " + mention + " Regards, Pat"
        let terms: Set<String> = ["charg", "twice"]
        #expect(Format.excerpt(email, limit: 120, around: terms) == "… " + mention + " Regards, Pat")
        #expect(Format.excerpt(email, limit: 60, around: terms) == "… Worse, I was charged twice for it and nobody answers my…")
        // Without the terms, or when the mention fits in the cut from the start, the quote starts at the start.
        #expect(Format.excerpt(email, limit: 120, around: []) == Format.excerpt(email, limit: 120))
        #expect(Format.excerpt(email, limit: 120, around: ["birthday"]) == Format.excerpt(email, limit: 120))
        #expect(Format.excerpt(mention + " " + greeting, limit: 120, around: terms) == Format.excerpt(mention + " " + greeting, limit: 120))
        // The sentence holding the most key terms wins over an earlier passing one.
        let two = greeting + " You charged me for shipping. " + mention
        #expect(Format.excerpt(two, limit: 120, around: terms) == "… " + mention)
        // A sub-theme's example is cut around the sub-theme's own words.
        var withSub = Self.row("Double charges")
        let unanswered = "Nobody answers my emails, and I have written four times since."
        let filler = "The parcel itself came on a Tuesday afternoon while I was out, and a neighbour kept it for me until the evening."
        let long = greeting + " I was charged twice for it. " + filler + " " + unanswered
        withSub.subthemes = [SubThemeRow(label: "emails / nobody answers", messages: 4, example: long)]
        let subDrill = DrillDown(query: "charged", row: withSub, weeks: [Week("2026-W47")!], sentiment: [:], channels: [:], related: [],
                                 verbatims: [], failedSearches: []).text(colour: false)
        #expect(subDrill.contains("emails / nobody answers  “… " + unanswered + "”\n"))
        #expect(Format.excerpt(long, limit: 120, around: terms).hasPrefix("… I was charged twice for it. The parcel"))
        // The renderers pass the theme's key terms.
        let md = MarkdownReport().render(Self.report([Self.row("Double charges", quote: email)]))
        #expect(md.contains("> … Worse, I was **charged twice** for it and nobody answers my emails. Regards, Pat\n"))
        let drill = DrillDown(query: "charged", row: Self.row("Double charges"), weeks: [Week("2026-W47")!], sentiment: [:], channels: [:],
                              related: [], verbatims: [greeting + " " + greeting + " " + mention], failedSearches: []).text(colour: false)
        #expect(drill.contains("  “… " + mention + "”\n"))
    }

    @Test func subThemesAndThemeChangesAreShownEscaped() {
        var row = Self.row("Double charges")
        row.subthemes = [SubThemeRow(label: "card <b>twice</b>", messages: 7, example: "charged twice on my card"),
                         SubThemeRow(label: "refund pending", messages: 5, example: nil)]
        let merge = ThemeChangeRow(week: Week("2026-W47")!, change: ThemeChange(kind: .merge, theme: "a", other: "b", similarity: 0.625),
                                   label: { ["a": "Double charges", "b": "Charged again"][$0]! })
        var report = Self.report([row])
        report.changes = [merge]
        let md = MarkdownReport().render(report)
        #expect(md.contains("\nSub-themes: card \\<b\\>twice\\</b\\> (7) · refund pending (5)\n"))
        #expect(md.contains("## Merged and split themes\n\n- “Charged again” merged into “Double charges” (similarity 0.63)\n"))
        let html = HTMLReport().render(report)
        #expect(html.contains("Sub-themes: card &lt;b&gt;twice&lt;/b&gt; (7) · refund pending (5)"))
        #expect(html.contains("<li>“Charged again” merged into “Double charges” (similarity 0.63)</li>"))
        let drill = DrillDown(query: "charged", row: row, weeks: [Week("2026-W47")!], sentiment: [:], channels: [:], related: [],
                              verbatims: [], failedSearches: [], history: [merge]).text(colour: false)
        #expect(drill.contains("sub-themes this week:\n      7  card <b>twice</b>  “charged twice on my card”\n      5  refund pending\n"))
        #expect(drill.contains("history:\n  2026-W47  “Charged again” merged into “Double charges” (similarity 0.63)"))
    }
}
