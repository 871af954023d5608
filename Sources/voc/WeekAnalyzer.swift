import Foundation
import Impact
import Ingest
import Sentiment
import Store
import Text
import Themes

/// Analyses one week of stored feedback; per-message work runs in chunks across all cores.
struct WeekAnalyzer {
    let pipeline: Pipeline

    /// Tokens, score and theme terms of one message.
    struct Analysed: Sendable {
        var score: SentimentScore
        var document: ThemeDocument
    }

    /// Tokenizes, scores and extracts theme terms for every text, in order, using every core.
    static func analyseAll(_ texts: [(String, Bool)], pipeline: Pipeline) async -> [Analysed] {
        // One tokenized text, scorer workspace and word cache per chunk, reused from message to message.
        await Parallel.map(count: texts.count, state: { (TokenizedText(), LexiconScorer.Workspace(), Vectorizer.WordCache()) }) { buffers, i in
            let (text, english) = texts[i]
            pipeline.tokenizer.tokenize(text, into: &buffers.0)
            let score = english ? pipeline.scorer.score(buffers.0, in: &buffers.1) : SentimentScore.unscored
            return Analysed(score: score, document: pipeline.vectorizer.document(buffers.0, words: &buffers.2))
        }
    }

    /// A week's work that needs nothing from the store but its messages: scores, documents and the themes
    /// found in them, before they are matched to the themes the store knows.
    struct Prepared: Sendable {
        var week: Week
        var voice: [Feedback], voiceRows: [Int64]
        var searches: [Feedback], searchRows: [Int64]
        var english: [Bool]
        var analysed: [Analysed]
        /// The English messages, which the themes are found in.
        var themed: [Int]
        var set: ThemeSet, searchSet: ThemeSet
    }

    /// Scores `week`'s customer voice (`FeedbackStore.customerVoice(in:)`, read by the caller) and finds its
    /// themes. Reads nothing from the store, so it can run while the week before is being saved.
    func prepare(_ week: Week, voice stored: consuming [StoredFeedback]) async -> Prepared {
        // Messages and failed searches apart, each with its row in the store (what results are saved against).
        var voice: [Feedback] = [], searches: [Feedback] = []
        var voiceRows: [Int64] = [], searchRows: [Int64] = []
        // Sized once: past 32 MB (a million-message week) glibc maps every doubling afresh.
        let searchCount = stored.count { $0.feedback.channel == .search }
        voice.reserveCapacity(stored.count - searchCount)
        voiceRows.reserveCapacity(stored.count - searchCount)
        searches.reserveCapacity(searchCount)
        searchRows.reserveCapacity(searchCount)
        // Each record moved out of the week's array, an empty one left in its place, and the array freed
        // here, before scoring: iterated, every record was copied (its strings retained here and released
        // when the array went, cold by then; 2% of a million-message analysis's samples) and the array (69 MB
        // at a million messages) lived through the scoring and theme finding.
        var records = consume stored
        let empty = StoredFeedback(
            row: 0, feedback: Feedback(channel: .survey, source: SourceRef(file: "", position: ""), externalID: "", timestamp: Date(timeIntervalSince1970: 0), text: ""))
        records.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for i in buffer.indices {
                let record = (base + i).move()
                (base + i).initialize(to: empty)
                if record.feedback.channel == .search {
                    searchRows.append(record.row)
                    searches.append((consume record).feedback)
                } else {
                    voiceRows.append(record.row)
                    voice.append((consume record).feedback)
                }
            }
        }
        records = []
        let english = voice.map { LanguageGuess.readsAsEnglish($0.language) }
        let t0 = Date()
        let analysed = await Self.analyseAll(zip(voice.map(\.text), english).map { ($0, $1) }, pipeline: pipeline)
        pipeline.clock?.add("tokenize+sentiment", Date().timeIntervalSince(t0))
        let t1 = Date()
        // Themes from English customer messages only; the rest is counted.
        let themed = voice.indices.filter { english[$0] }
        let set = pipeline.themeFinder.findThemes(themed.map { analysed[$0].document })
        // Failed searches: clustered into demand themes of their own.
        let searchSet = SearchQueries.themes(
            searches.map(\.text), vectorizer: pipeline.vectorizer, tokenizer: pipeline.tokenizer, department: pipeline.taxonomy.searchDepartment,
            synonyms: pipeline.taxonomy.searchSynonyms, seed: pipeline.seed)
        pipeline.clock?.add("themes", Date().timeIntervalSince(t1))
        return Prepared(
            week: week, voice: voice, voiceRows: voiceRows, searches: searches, searchRows: searchRows, english: english, analysed: analysed,
            themed: themed, set: set, searchSet: searchSet)
    }

    /// A mention's sentiment: its sentence's when it has one, else the message's. Read in place: a copy of
    /// the score for each mention retained and released its sentences.
    private static func compound(of score: borrowing SentimentScore, sentence: Int) -> Double {
        sentence >= 0 && sentence < score.sentences.count ? score.sentences[sentence].compound : score.compound
    }

    /// Matches a prepared week's themes to those the store knows (as saved by the weeks before) and costs them.
    func finish(_ prepared: consuming Prepared, store: FeedbackStore) throws -> WeekAnalysis {
        let (week, voice, voiceRows, searches, searchRows) = (prepared.week, prepared.voice, prepared.voiceRows, prepared.searches, prepared.searchRows)
        let (english, analysed, themed) = (prepared.english, prepared.analysed, prepared.themed)
        var set = prepared.set, searchSet = prepared.searchSet
        let t1 = Date()
        // Message-level figures only: the sentences' scores go into the mentions, and the analysis is held
        // until its save ends, while the next week is being prepared (250,000 sentence arrays a week).
        var sentiments: [(Int64, SentimentScore)] = []
        sentiments.reserveCapacity(voiceRows.count + searchRows.count)
        for (row, analysed) in zip(voiceRows, analysed) {
            var score = analysed.score
            score.sentences = []
            sentiments.append((row, score))
        }
        for row in searchRows { sentiments.append((row, SentimentScore.unscored)) }
        let known = try store.themes()
        let before = try store.themeWeeks(from: week, to: week)
        func sameWeek(_ kind: String) -> [Theme] { known.filter { $0.kind == kind && before[$0.theme.id] != nil }.map(\.theme) }
        let knownVoice = known.filter { $0.kind == "voice" }.map(\.theme)
        let ids = ThemeIdentity.match(set.themes, sameWeek: sameWeek("voice"), known: knownVoice)
        // Merges and splits against the themes active in the four weeks before this one.
        let recent = Set(try store.themeWeeks(from: week.adding(-4), to: week.adding(-1)).keys)
        let changes = ThemeIdentity.changes(set.themes, ids: ids, known: knownVoice, recent: recent)
        let labels = ThemeIdentity.steadyLabels(set.themes, ids: ids, known: knownVoice)
        for t in set.themes.indices { (set.themes[t].id, set.themes[t].label) = (ids[t], labels[t]) }
        let knownSearch = known.filter { $0.kind == "search" }.map(\.theme)
        let searchIDs = ThemeIdentity.match(searchSet.themes, sameWeek: sameWeek("search"), known: knownSearch)
        let searchLabels = ThemeIdentity.steadyLabels(searchSet.themes, ids: searchIDs, known: knownSearch)
        for t in searchSet.themes.indices { (searchSet.themes[t].id, searchSet.themes[t].label) = (searchIDs[t], searchLabels[t]) }
        pipeline.clock?.add("themes", Date().timeIntervalSince(t1))
        let t2 = Date()
        var mentions: [Mention] = []
        var themeWeeks: [ThemeWeek] = []
        var impacts: [String: CostOfInaction] = [:]
        let respondents = try store.surveyRespondents(week: week)
        func collect(_ set: ThemeSet, feedback: [Feedback], rows: [Int64], indexOf: (Int) -> Int, kind: String) throws {
            var byTheme = [[(Int, Double)]](repeating: [], count: set.themes.count)
            for m in set.mentions {
                let f = indexOf(m.document)
                let compound = kind == "voice" ? Self.compound(of: analysed[f].score, sentence: m.sentence) : SentimentScore.unscored.compound
                byTheme[m.theme].append((f, compound))
                mentions.append(Mention(row: rows[f], sentence: m.sentence, themeID: set.themes[m.theme].id, compound: compound))
            }
            var keys = CustomerKeys(feedback: feedback)
            // Each message's lowest mention in the theme at hand (`lowestIn`: which theme set it).
            var lowest = [Double](repeating: 0, count: feedback.count), lowestIn = [Int](repeating: -1, count: feedback.count)
            for (t, theme) in set.themes.enumerated() where !byTheme[t].isEmpty {
                let items = byTheme[t]
                let messages = CustomerKeys.distinct(items.map { Int32($0.0) })
                let people = CustomerKeys.distinct(messages.map { keys.person(Int($0)) })
                let negative = Double(items.filter { $0.1 <= SentimentScore.negativeThreshold }.count) / Double(items.count)
                // Customers as small integers, gathered with repeats and made distinct once: as sets of strings,
                // hashed again for every theme and contact point, the impact stage took 1.85 s at 1M, not 1.42.
                var perPoint: [String: [Int32]] = [:]
                var outcomes: [String: [Int32]] = [:]
                var surveyPeople: [Int32] = []
                // Customers raising the theme as a problem: praise of the same topic is not a cost. Curated themes
                // are issues by definition (a neutral "where is my refund?" counts); a discovered theme counts
                // only its negative mentions, so a praise cluster costs nothing.
                let complaining = CustomerKeys.distinct(items.filter { item in
                    kind == "search" || (theme.curated ? item.1 < SentimentScore.positiveThreshold : item.1 <= SentimentScore.negativeThreshold)
                }.map { Int32($0.0) })
                for message in complaining {
                    let f = Int(message)
                    let who = keys.person(f)
                    let channel = feedback[f].channel
                    switch channel {
                    case .survey: surveyPeople.append(keys.session(f))
                    case .search: perPoint["search", default: []].append(keys.session(f))
                    default: perPoint[channel.rawValue, default: []].append(who)
                    }
                    if let outcome = feedback[f].outcome, channel != .search { outcomes[outcome.rawValue, default: []].append(who) }
                }
                let points = perPoint.mapValues(CustomerKeys.distinct)
                let surveyCount = CustomerKeys.distinct(surveyPeople).count
                for (f, compound) in items {
                    lowest[f] = lowestIn[f] == t ? min(lowest[f], compound) : compound
                    lowestIn[f] = t
                }
                // In a complaint theme (most mentions negative), a message whose every mention of it is praise
                // is quoted last.
                let reps = Examples.ofTheme(
                    subThemeBest: set.subthemes[t].compactMap { $0.representatives.first.map(indexOf) },
                    representatives: set.representatives[t].map(indexOf)
                ) { f in negative >= 0.5 && (lowestIn[f] == t ? lowest[f] : 0) >= SentimentScore.positiveThreshold }.map { feedback[$0].id }
                let subthemes = set.subthemes[t].map { sub in
                    SubThemeWeek(label: sub.label, keyphrases: sub.keyphrases, messages: sub.members.count,
                                 representatives: sub.representatives.map { feedback[indexOf($0)].id })
                }
                themeWeeks.append(ThemeWeek(theme: theme, kind: kind, messages: messages.count, customers: people.count,
                                            negativeShare: negative, representatives: reps, subthemes: subthemes))
                // Ties by channel name: in dictionary order the pair (and so the overlap) changed from run to run.
                let top = points.filter { $0.key != "search" }.sorted { ($0.value.count, $1.key) > ($1.value.count, $0.key) }
                let overlap = top.count >= 2 ? CustomerKeys.sharedCount(top[0].value, top[1].value) : nil
                let counts = ThemeWeekCounts(
                    theme: theme.id, severity: theme.severity,
                    customers: points.filter { $0.key != "search" }.mapValues(\.count),
                    surveyMentions: surveyPeople.isEmpty ? nil : surveyCount, surveyRespondents: surveyPeople.isEmpty ? nil : respondents,
                    outcomes: outcomes.isEmpty ? nil : outcomes.mapValues { CustomerKeys.distinct($0).count }, zeroResultSessions: points["search"]?.count,
                    overlap: overlap, history: try store.revenueHistory(theme: theme.id, before: week))
                impacts[theme.id] = pipeline.costModel.cost(counts)
            }
        }
        try collect(set, feedback: voice, rows: voiceRows, indexOf: { themed[$0] }, kind: "voice")
        try collect(searchSet, feedback: searches, rows: searchRows, indexOf: { $0 }, kind: "search")
        pipeline.clock?.add("impact", Date().timeIntervalSince(t2))
        var analysis = WeekAnalysis(week: week, sentiments: sentiments, themes: themeWeeks, mentions: mentions, impacts: impacts)
        analysis.parameters = pipeline.costModel.parameters
        analysis.events = changes.map { ThemeEvent(week: week, change: $0) }
        analysis.analysed = voice.count
        analysis.notEnglish = english.filter { !$0 }.count
        analysis.tooShort = set.tooShort
        analysis.otherTheme = set.other.map { o in set.assignments.filter { $0 == o }.count } ?? 0
        analysis.setAside = try store.setAsideCount(week: week)
        return analysis
    }
}

/// Each message's customer as a small integer, made when first asked: the sets of customers per theme and
/// contact point are then sorted integers, not sets of strings hashed again for every theme.
struct CustomerKeys {
    private let feedback: [Feedback]
    private var ids: [String: Int32] = [:]
    private var people: [Int32], sessions: [Int32]

    init(feedback: [Feedback]) {
        self.feedback = feedback
        people = [Int32](repeating: -1, count: feedback.count)
        sessions = people
        ids.reserveCapacity(feedback.count)  // grown from empty, every key was hashed again at each doubling
    }

    /// The message's customer reference, or its own id when it has none (one message, one customer).
    mutating func person(_ f: Int) -> Int32 {
        if people[f] < 0 { people[f] = key(feedback[f].customer ?? feedback[f].id) }
        return people[f]
    }

    /// Who a survey response or a failed search counts as: its conversation (respondent, session), else
    /// the person. Equal strings are one key whichever field they came from, as they were one set member.
    mutating func session(_ f: Int) -> Int32 {
        if sessions[f] < 0 { sessions[f] = feedback[f].conversation.map { key($0) } ?? person(f) }
        return sessions[f]
    }

    /// The text's key, made when new, in one lookup: the subscript stores its default for a new text.
    private mutating func key(_ text: String) -> Int32 {
        let next = Int32(ids.count)
        return CustomerKeys.value(&ids[text, default: next])
    }

    private static func value(_ id: inout Int32) -> Int32 { id }

    /// The distinct members of a list, ascending.
    static func distinct(_ members: [Int32]) -> [Int32] {
        var sorted = members.sorted()
        var kept = 0
        for member in sorted where kept == 0 || sorted[kept - 1] != member {
            sorted[kept] = member
            kept += 1
        }
        sorted.removeLast(sorted.count - kept)
        return sorted
    }

    /// How many members two distinct ascending lists share.
    static func sharedCount(_ a: [Int32], _ b: [Int32]) -> Int {
        var i = 0, j = 0, shared = 0
        while i < a.count, j < b.count {
            if a[i] == b[j] {
                shared += 1
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return shared
    }
}
