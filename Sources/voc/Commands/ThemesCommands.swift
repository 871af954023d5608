import ArgumentParser
import Foundation
import Impact
import Ingest
import Report
import Store
import Themes

struct ThemesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "themes", abstract: "List a week's themes as an aligned table.")

    enum Sort: String, ExpressibleByArgument { case cost, volume, change }

    @Option(help: "Only this department's themes.") var department: String?
    @Option(help: "Sort by cost, volume or change.") var sort = Sort.cost
    @Flag(help: "JSON instead of a table.") var json = false
    @OptionGroup var weekOptions: WeekOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var options: PipelineOptions

    func run() async throws {
        let pipeline = try options.pipeline()
        let db = try store.open()
        let week = try weekOptions.resolve(db)
        var rows = try pipeline.reportBuilder(week, store: db).rows(week)
        if let department {
            try FeedCommand.requireKnown(department, among: FeedCommand.departments(pipeline.taxonomy, rows))
            rows = rows.filter { $0.theme.department == department }
        }
        switch sort {
        case .cost: rows.sort { ($0.rankValue, $1.theme.id) > ($1.rankValue, $0.theme.id) }
        case .volume: rows.sort { ($0.messages, $1.theme.id) > ($1.messages, $0.theme.id) }
        case .change: rows.sort { (Double($0.messages) - $0.trend.baselineMean, $1.theme.id) > (Double($1.messages) - $1.trend.baselineMean, $0.theme.id) }
        }
        if json {
            print(DepartmentFeed(department: department ?? "all", week: week, themes: rows, generator: "voc \(Environment.version)", zone: try db.zone().identifier).json(), terminator: "")
        } else {
            print("themes for \(week)")
            print(ThemeTable().render(rows), terminator: "")
            // The report's caveats, here too: a cost is not read without them (`voc impact THEME --explain`).
            for row in rows { for warning in row.cost?.warnings ?? [] { print("caveat, \(row.theme.id): \(warning)") } }
        }
    }
}

struct DrillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drill", abstract: "Drill into a theme: by id, by label, or by free text through the full-text index.")

    @Argument(help: "A theme id, a theme label, or free text (\"refun*\": words that start so).") var query: String
    @Option(help: "How many weeks of history to show.") var weeks = 8
    @Option(help: "Only verbatims from this channel.") var channel: Channel?
    @Option(help: "How many verbatims to show.") var limit = 5
    @Flag(help: "JSON for scripts.") var json = false
    @OptionGroup var weekOptions: WeekOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var options: PipelineOptions

    /// Ten years of history at most; zero or fewer weeks, or a negative limit, were a trap (SIGILL).
    func validate() throws {
        guard (1...520).contains(weeks) else { throw ValidationError("--weeks must be from 1 to 520, not \(weeks)") }
        guard limit >= 0 else { throw ValidationError("--limit must be 0 or more, not \(limit)") }
        guard !query.allSatisfy(\.isWhitespace) else { throw ValidationError("give a theme id, a theme label or words to search for") }
    }

    func run() async throws {
        let pipeline = try options.pipeline()
        let db = try store.open()
        let week = try weekOptions.resolve(db)
        let builder = try pipeline.reportBuilder(week, store: db)
        let rows = try builder.rows(week, includeAbsent: true)
        let lowered = query.lowercased()
        // Whole words: "and" found "Account access and login" inside its label, and the full-text search
        // finds it in nearly every message.
        let words = Self.words
        let asked = words(query)
        guard asked.contains(where: { !pipeline.vectorizer.stopwords.contains($0) }) else {
            throw UsageError("\"\(query)\" holds only common words: name a theme (`voc themes` lists them) or give words customers wrote")
        }
        func holds(_ label: String) -> Bool {
            let have = words(label)
            return have.count >= asked.count && (0...(have.count - asked.count)).contains { Array(have[$0..<($0 + asked.count)]) == asked }
        }
        var row = rows.first { $0.theme.id == query } ?? rows.first { $0.theme.label.lowercased() == lowered }
            ?? rows.first { holds($0.theme.label) }
        let span = (0..<weeks).map { week.adding($0 - weeks + 1) }
        var matchedIDs: [String] = []
        var matchedMessages: Int?
        if row == nil {
            (matchedIDs, matchedMessages) = try db.searchCounting(query, weeks: span)
            if matchedIDs.isEmpty, asked.count > 1 {
                // Words typed as a sentence ("parcel never arrived") seldom all stand in one message.
                let some = asked.filter { !pipeline.vectorizer.stopwords.contains($0) }.joined(separator: " ")
                (matchedIDs, matchedMessages) = try db.searchCounting(some, weeks: span, anyTerm: true)
                if !matchedIDs.isEmpty { Environment.log("no message holds all of \"\(query)\"; showing those that hold some of them, best matches first") }
            }
            let counts = try db.themes(mentionedBy: matchedIDs)
            if let best = counts.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) { row = rows.first { $0.theme.id == best.key } }
        }
        guard let row else { throw UsageError("no theme or message matches \"\(query)\" in the \(weeks) weeks to \(week)") }
        let breakdown = try db.mentionBreakdown(theme: row.theme.id, weeks: span)
        // Free text shows what it matched; a theme shows its own messages: the report's examples of it first,
        // then the rest, the clearest of its prevailing sentiment first (a search for its first keyphrase
        // opened "Refund not received" on "Quick refund, very impressed").
        let (examples, rest) = matchedIDs.isEmpty ? try Self.verbatimIDs(of: row.theme.id, week: week, channel: channel, in: db) : ([], matchedIDs)
        let feedback = try db.feedback(ids: examples + rest)
        // Each text once: a template or a pasted complaint ("The delivery never arrived.") can match many
        // times, and the same words twice tell the reader nothing more.
        var texts = Set<String>()
        func messages(_ ids: [String], upTo count: Int = .max) -> [Feedback] {
            var found: [Feedback] = []
            for id in ids where found.count < count {
                guard let message = feedback[id], channel == nil || message.channel == channel, texts.insert(Self.textKey(message.text)).inserted
                else { continue }
                found.append(message)
            }
            return found
        }
        // The rest say something else first, as the examples do: a message's key is which of the theme's
        // strongest signature terms it holds, so one complaint under another greeting or emoji is a repeat.
        let shown = messages(examples, upTo: limit)
        let strongest = Examples.strongestTerms(of: row.theme)
        let others = Examples.distinctFirst(messages(rest), limit - shown.count) { message -> [Bool] in
            let words = Set(message.text.lowercased().split { !$0.isLetter }.map { Stemmer.stem(String($0)) })
            return strongest.isEmpty ? [] : strongest.map { $0.allSatisfy(words.contains) }
        }
        let verbatims = (shown + others).map(\.text)
        let searches = try builder.rows(week).filter { $0.isSearch && $0.theme.id != row.theme.id }
            .filter { $0.theme.sharesKeyphrase(with: row.theme) }
            .map { "\($0.theme.label) (\($0.messages))" }
        var rowWithHistory = row
        rowWithHistory.weekly = try db.themeWeeks(from: span[0], to: week)[row.theme.id].map { history in span.map { history[$0]?.messages ?? 0 } } ?? row.weekly
        rowWithHistory.weeksHeld = try db.weeks().first.map { first in span.filter { $0 >= first }.count }
        let drill = DrillDown(
            query: query, row: rowWithHistory, weeks: span, sentiment: breakdown.sentiment, channels: breakdown.channels,
            related: breakdown.related.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) (\($0.value))" }, verbatims: Array(verbatims),
            failedSearches: searches, history: try builder.changes(through: week, theme: row.theme.id),
            searchedAs: row.isSearch && matchedIDs.isEmpty ? try builder.searchedAs(theme: row.theme.id, week: week, limit: limit) : [],
            matchedMessages: matchedIDs.isEmpty ? nil : matchedMessages)
        let extra = Set(query.lowercased().split(separator: " ").map { Stemmer.stem(String($0)) })
        print(json ? drill.json() : drill.text(colour: Environment.stdoutIsTerminal, extraTerms: extra), terminator: "")
    }
}

extension DrillCommand {
    /// A text's words (runs of letters and digits), lowercased.
    static func words(_ text: String) -> [String] { text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init) }

    /// A text as a reader compares two: its words, without the punctuation and spacing around them.
    static func textKey(_ text: String) -> String { words(text).joined(separator: " ") }

    /// A theme's verbatims: the report's examples of it, and its other messages of the week, the clearest of
    /// its prevailing sentiment first. (`voc bench` times the drill through this too.)
    static func verbatimIDs(of theme: String, week: Week, channel: Channel?, in db: FeedbackStore) throws -> (examples: [String], rest: [String]) {
        let examples = try db.themeWeeks(from: week, to: week)[theme]?[week]?.representatives ?? []
        let thisWeek = try db.mentionBreakdown(theme: theme, weeks: [week]).sentiment
        let negative = 2 * (thisWeek["negative"] ?? 0) >= thisWeek.values.reduce(0, +)
        let rest = try db.messages(theme: theme, week: week, channel: channel, mostNegativeFirst: negative)
        return (examples, rest.filter { !examples.contains($0) })
    }
}

struct FeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feed", abstract: "Write each department's issue themes (JSON schema voc.feed/1, CSV or Markdown).")

    enum Format: String, ExpressibleByArgument {
        case json, csv, md

        /// "markdown" too: the overview says Markdown, and people type what they read.
        init?(argument: String) {
            self.init(rawValue: argument == "markdown" ? "md" : argument)
        }
    }

    @Option(help: "Only this department.") var department: String?
    @Option(help: "json, csv or md (markdown).") var format = Format.json
    @Option(help: "Write one file per department here instead of printing.") var out: String?
    @OptionGroup var weekOptions: WeekOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var options: PipelineOptions

    func run() async throws {
        let pipeline = try options.pipeline()
        let db = try store.open()
        let week = try weekOptions.resolve(db)
        let rows = try pipeline.reportBuilder(week, store: db).rows(week, includeAbsent: true)
        var departments = Self.departments(pipeline.taxonomy, rows)
        if let department {
            try Self.requireKnown(department, among: departments)
            departments = [department]
        }
        if let out { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) }
        let zone = try db.zone().identifier
        for department in departments {
            let owned = rows.filter { $0.theme.department == department }.sorted { ($0.rankValue, $1.theme.id) > ($1.rankValue, $0.theme.id) }
            let feed = DepartmentFeed(department: department, week: week, themes: owned, generator: "voc \(Environment.version)", zone: zone)
            let text = format == .json ? feed.json() : format == .csv ? feed.csv() : feed.markdown()
            if let out {
                let path = (out as NSString).appendingPathComponent("\(FileName.safe(department))-\(week).\(format.rawValue)")
                try text.write(toFile: path, atomically: true, encoding: .utf8)
                print(path)
            } else {
                print(text, terminator: "")
            }
        }
    }
}

extension FeedCommand {
    /// The taxonomy's departments, triage, and any other a stored theme names, in that order.
    static func departments(_ taxonomy: Taxonomy, _ rows: [ThemeRow]) -> [String] {
        var departments = taxonomy.departments + [taxonomy.triageDepartment]
        for row in rows where !departments.contains(row.theme.department) { departments.append(row.theme.department) }
        return departments
    }

    /// A `--department` no theme can have is a usage error naming the ones there are: a typo printed an
    /// empty table, or wrote no feed, and exited 0.
    static func requireKnown(_ department: String, among departments: [String]) throws {
        guard departments.contains(department) else {
            throw UsageError("no department \"\(department)\"; there are \(departments.joined(separator: ", "))")
        }
    }
}

/// Department and theme names become file names: keep letters, digits, dash and underscore only, so no name
/// can climb out of the output folder.
enum FileName {
    static func safe(_ name: String) -> String {
        let kept = name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "_" }
        let text = String(kept).trimmingCharacters(in: CharacterSet(charactersIn: "_"))
        return text.isEmpty ? "unnamed" : String(text.prefix(64))
    }
}
