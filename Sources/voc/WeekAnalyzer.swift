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
        for stored in stored {
            if stored.feedback.channel == .search {
                searches.append(stored.feedback)
                searchRows.append(stored.row)
            } else {
                voice.append(stored.feedback)
                voiceRows.append(stored.row)
            }
        }
        let english = voice.map { $0.language == "en" || $0.language == "und" }
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
            seed: pipeline.seed)
        pipeline.clock?.add("themes", Date().timeIntervalSince(t1))
        return Prepared(
            week: week, voice: voice, voiceRows: voiceRows, searches: searches, searchRows: searchRows, english: english, analysed: analysed,
            themed: themed, set: set, searchSet: searchSet)
    }

    /// Matches a prepared week's themes to those the store knows (as saved by the weeks before) and costs them.
    func finish(_ prepared: consuming Prepared, store: FeedbackStore) throws -> WeekAnalysis {
        let (week, voice, voiceRows, searches, searchRows) = (prepared.week, prepared.voice, prepared.voiceRows, prepared.searches, prepared.searchRows)
        let (english, analysed, themed) = (prepared.english, prepared.analysed, prepared.themed)
        var set = prepared.set, searchSet = prepared.searchSet
        let t1 = Date()
        // Message-level figures only: the sentences' scores go into the mentions, and the analysis is held
        // until its save ends, while the next week is being prepared (250,000 sentence arrays a week).
        var sentiments: [(Int64, SentimentScore)] = zip(voiceRows, analysed).map { row, analysed in
            var score = analysed.score
            score.sentences = []
            return (row, score)
        }
        sentiments += searchRows.map { ($0, SentimentScore.unscored) }
        let known = try store.themes()
        let before = try store.themeWeeks(from: week, to: week)
        func sameWeek(_ kind: String) -> [Theme] { known.filter { $0.kind == kind && before[$0.theme.id] != nil }.map(\.theme) }
        let knownVoice = known.filter { $0.kind == "voice" }.map(\.theme)
        let ids = ThemeIdentity.match(set.themes, sameWeek: sameWeek("voice"), known: knownVoice)
        // Merges and splits against the themes active in the four weeks before this one.
        let recent = Set(try store.themeWeeks(from: week.adding(-4), to: week.adding(-1)).keys)
        let changes = ThemeIdentity.changes(set.themes, ids: ids, known: knownVoice, recent: recent)
        for t in set.themes.indices { set.themes[t].id = ids[t] }
        let searchIDs = ThemeIdentity.match(
            searchSet.themes, sameWeek: sameWeek("search"), known: known.filter { $0.kind == "search" }.map(\.theme))
        for t in searchSet.themes.indices { searchSet.themes[t].id = searchIDs[t] }
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
                let score = kind == "voice" ? analysed[f].score : SentimentScore.unscored
                let compound = m.sentence >= 0 && m.sentence < score.sentences.count ? score.sentences[m.sentence].compound : score.compound
                byTheme[m.theme].append((f, compound))
                mentions.append(Mention(row: rows[f], sentence: m.sentence, themeID: set.themes[m.theme].id, compound: compound))
            }
            for (t, theme) in set.themes.enumerated() where !byTheme[t].isEmpty {
                let items = byTheme[t]
                let messages = Set(items.map(\.0))
                let people = Set(messages.map { feedback[$0].customer ?? feedback[$0].id })
                let negative = Double(items.filter { $0.1 <= SentimentScore.negativeThreshold }.count) / Double(items.count)
                var perPoint: [String: Set<String>] = [:]
                var outcomes: [String: Set<String>] = [:]
                var surveyPeople = Set<String>()
                // Customers raising the theme as a problem: praise of the same topic is not a cost. Curated themes
                // are issues by definition (a neutral "where is my refund?" counts); a discovered theme counts
                // only its negative mentions, so a praise cluster costs nothing.
                let complaining = Set(items.filter { item in
                    kind == "search" || (theme.curated ? item.1 < SentimentScore.positiveThreshold : item.1 <= SentimentScore.negativeThreshold)
                }.map(\.0))
                for f in complaining {
                    let item = feedback[f]
                    let who = item.customer ?? item.id
                    switch item.channel {
                    case .survey: surveyPeople.insert(item.conversation ?? who)
                    case .search: perPoint["search", default: []].insert(item.conversation ?? who)
                    default: perPoint[item.channel.rawValue, default: []].insert(who)
                    }
                    if let outcome = item.outcome, item.channel != .search { outcomes[outcome.rawValue, default: []].insert(who) }
                }
                // In a complaint theme (most mentions negative), a message whose every mention of it is praise
                // is quoted last.
                var lowest: [Int: Double] = [:]
                for (f, compound) in items { lowest[f] = min(lowest[f] ?? compound, compound) }
                let reps = Examples.ofTheme(
                    subThemeBest: set.subthemes[t].compactMap { $0.representatives.first.map(indexOf) },
                    representatives: set.representatives[t].map(indexOf)
                ) { f in negative >= 0.5 && (lowest[f] ?? 0) >= SentimentScore.positiveThreshold }.map { feedback[$0].id }
                let subthemes = set.subthemes[t].map { sub in
                    SubThemeWeek(label: sub.label, keyphrases: sub.keyphrases, messages: sub.members.count,
                                 representatives: sub.representatives.map { feedback[indexOf($0)].id })
                }
                themeWeeks.append(ThemeWeek(theme: theme, kind: kind, messages: messages.count, customers: people.count,
                                            negativeShare: negative, representatives: reps, subthemes: subthemes))
                // Ties by channel name: in dictionary order the pair (and so the overlap) changed from run to run.
                let top = perPoint.filter { $0.key != "search" }.sorted { ($0.value.count, $1.key) > ($1.value.count, $0.key) }
                let overlap = top.count >= 2 ? top[0].value.intersection(top[1].value).count : nil
                let counts = ThemeWeekCounts(
                    theme: theme.id, severity: theme.severity,
                    customers: perPoint.filter { $0.key != "search" }.mapValues(\.count),
                    surveyMentions: surveyPeople.isEmpty ? nil : surveyPeople.count, surveyRespondents: surveyPeople.isEmpty ? nil : respondents,
                    outcomes: outcomes.isEmpty ? nil : outcomes.mapValues(\.count), zeroResultSessions: perPoint["search"]?.count,
                    overlap: overlap, history: try store.revenueHistory(theme: theme.id, before: week))
                impacts[theme.id] = pipeline.costModel.cost(counts)
            }
        }
        try collect(set, feedback: voice, rows: voiceRows, indexOf: { themed[$0] }, kind: "voice")
        try collect(searchSet, feedback: searches, rows: searchRows, indexOf: { $0 }, kind: "search")
        pipeline.clock?.add("impact", Date().timeIntervalSince(t2))
        var analysis = WeekAnalysis(week: week, sentiments: sentiments, themes: themeWeeks, mentions: mentions, impacts: impacts)
        analysis.events = changes.map { ThemeEvent(week: week, change: $0) }
        analysis.analysed = voice.count
        analysis.notEnglish = english.filter { !$0 }.count
        analysis.tooShort = set.tooShort
        analysis.otherTheme = set.other.map { o in set.assignments.filter { $0 == o }.count } ?? 0
        analysis.setAside = try store.setAsideCount(week: week)
        return analysis
    }
}
