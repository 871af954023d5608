import Foundation
import Impact
import Ingest
import Report
import Sentiment
import Store
import Text
import Themes

/// The one place the stages are put together, top to bottom:
///
///     files ─► readers ─► redact ─► store          (Ingest, async, bounded)
///     week  ─► tokenize ─► score ─► themes ─► cost  (Text, Sentiment, Themes, Impact; batches on all cores)
///     store ─► weekly report, feeds, drill-down     (Report)
///
/// `run`, `drill`, `bench` and the tests all use this type.
struct Pipeline: Sendable {
    var readers: [any FeedbackReader]
    var redactor: Redactor
    var tokenizer = Tokenizer()
    var scorer: LexiconScorer
    var vectorizer: Vectorizer
    var taxonomy: Taxonomy
    var costModel: RevenueAtRiskModel
    /// The configuration file the impact parameters were read from; nil: none was found (the defaults).
    var configurationSource: String?
    var seed: UInt64
    var k: Int?
    var lexiconHashes: [(String, String)]
    var limits: IngestLimits
    /// Cap on the store's size (`limits.max_store_mb`), nil for none.
    var maxStoreBytes: Int?
    /// `timezone`, nil when the configuration does not set it (`weekZone(of:)`).
    var zone: LocalZone?
    /// Set by `voc bench` to time the stages.
    var clock: StageClock?

    /// The default pipeline, from the lexicon directory and impact parameters.
    static func standard(lexicons directory: String, parameters: ImpactParameters, limits: IngestLimits = IngestLimits(),
                         inputs: InputSettings = InputSettings(), seed: UInt64 = 1, redact: Bool = true, salt: String? = nil) throws -> Pipeline {
        let lexicons = try Lexicons.load(directory: directory)
        let stopwords = try LexiconFile(contentsOf: directory + "/stopwords.tsv", columns: ["term", "notes"]).rows.map(\.term)
        let taxonomyPath = directory + "/taxonomy.yaml"
        let taxonomy = try Taxonomy.load(path: taxonomyPath)
        // The taxonomy's words are also known by their misspellings, except where one is a word of its own.
        var vectorizer = Vectorizer(stopwords: Set(stopwords))
        let known = Set(stopwords).union(lexicons.files.flatMap { $0.rows.map(\.term) })
        vectorizer.corrections = Misspellings.swaps(of: taxonomy.words, known: known)
        let pseudonymizer = CustomerPseudonymizer(salt: salt ?? ProcessInfo.processInfo.environment["VOC_SALT"] ?? "voc-default-salt")
        return Pipeline(
            readers: [
                SurveyReader(mapping: inputs.surveyColumns, pseudonymizer: pseudonymizer, limits: limits, dateOrder: inputs.surveyDateOrder),
                SiteSearchLogReader(
                    pseudonymizer: pseudonymizer, threshold: inputs.searchThreshold, limits: limits, redactor: Redactor(enabled: redact),
                    dateOrder: inputs.searchDateOrder),
                MailboxReader(pseudonymizer: pseudonymizer, limits: limits, redactor: Redactor(enabled: redact)),
                ChatTranscriptReader(pseudonymizer: pseudonymizer, agentNames: inputs.agentNames, limits: limits, dateOrder: inputs.chatDateOrder),
                CommunityReader(pseudonymizer: pseudonymizer, selectors: inputs.forumSelectors, limits: limits.markup, dateOrder: inputs.communityDateOrder),
            ],
            redactor: Redactor(enabled: redact), scorer: LexiconScorer(lexicons: lexicons), vectorizer: vectorizer,
            taxonomy: taxonomy, costModel: RevenueAtRiskModel(parameters: parameters), seed: seed,
            lexiconHashes: Environment.lexiconHashes(lexicons, taxonomyPath: taxonomyPath), limits: limits, zone: inputs.zone)
    }

    /// Reads every file into the store, batch by batch, its weeks counted in the store's zone.
    func ingest(_ paths: [String], channel: Channel?, store: FeedbackStore, run: Int64) async throws -> IngestSummary {
        let zone = try weekZone(of: store)
        var readers = readers
        for i in readers.indices { readers[i].zone = zone }
        return try await Ingestion(readers: readers, redactor: redactor, store: store, limits: limits).run(paths, channel: channel, run: run)
    }

    /// The zone the store counts its weeks in: one zone for all the weeks it holds, so the configuration may
    /// only repeat it. A store that holds feedback without a recorded zone counts in UTC (the zone before the
    /// setting); a store without feedback takes the configuration's and keeps it.
    func weekZone(of store: FeedbackStore) throws -> LocalZone {
        let current = try store.holdsFeedback() ? try store.zone() : nil
        switch (zone, current) {
        case (let configured?, let current?) where configured != current:
            throw UsageError(
                "timezone: this store counts its weeks in \(current), the configuration says \(configured); a store keeps one zone: "
                    + "set timezone: \(current), or ingest into a new store (--db)")
        case (_, let current?):
            return current
        case (let configured?, nil):
            try store.record(zone: configured)
            return configured
        case (nil, nil):
            return try store.zone()
        }
    }

    /// Analyses weeks in order, each saved in one transaction. Two kinds of work overlap, so that neither
    /// core waits on the store's one-core SQLite work: the next week's messages are read while this week is
    /// analysed (a week of the 1M corpus: about 1.5 s), and a week is saved while the next one is scored
    /// and clustered (`WeekAnalyzer.prepare` reads nothing from the store; matching its themes to the known
    /// ones, `finish`, waits for the save). `starting` and `finished` (once the week is saved) report progress.
    func analyze(
        _ weeks: [Week], store: FeedbackStore, run: Int64, starting: (Int, Week) -> Void = { _, _ in },
        finished: (Week, WeekAnalysis) -> Void = { _, _ in }
    ) async throws {
        func read(_ week: Week) -> Task<[StoredFeedback], any Error> { Task { try store.customerVoice(in: week) } }
        let analyzer = WeekAnalyzer(pipeline: self)
        var next = weeks.first.map(read)
        var saving: (task: Task<Void, any Error>, analysis: WeekAnalysis)?
        // Waits for the week being saved, if any, and reports it finished; the wait is the "store write" clock.
        func awaitSave() async throws {
            let start = Date()
            if let (task, analysis) = saving {
                saving = nil
                try await task.value
                finished(analysis.week, analysis)
            }
            clock?.add("store write", Date().timeIntervalSince(start))
        }
        do {
            for (i, week) in weeks.enumerated() {
                starting(i, week)
                let start = Date()
                guard let voice = try await next?.value else { break }
                clock?.add("store read", Date().timeIntervalSince(start))  // the wait, not the read: that overlaps
                next = i + 1 < weeks.count ? read(weeks[i + 1]) : nil
                let prepared = await analyzer.prepare(week, voice: voice)
                try await awaitSave()
                let analysis = try analyzer.finish(prepared, store: store)
                saving = (Task { try save(analysis, store: store, run: run) }, analysis)
            }
        } catch {
            // A week being saved is saved (or fails) before the error is reported, never left running.
            _ = try? await saving?.task.value
            throw error
        }
        try await awaitSave()
    }

    /// Saves one week's analysis in one transaction.
    private func save(_ analysis: WeekAnalysis, store: FeedbackStore, run: Int64) throws {
        try store.save(analysis, run: run)
        // The week's documents, vectors and scores are freed by now; without a trim glibc keeps each
        // thread's arena at its high-water mark and the next week's peak lands on top of it.
        releaseFreedMemory()
    }

    /// The weekly report as values, ready for any renderer.
    func report(_ week: Week, store: FeedbackStore, run: RunInfo) throws -> WeeklyReport {
        try reportBuilder(week, store: store).weeklyReport(week, run: run)
    }

    /// What the report, the themes table, the drill-down and the feeds read a week's figures through, with
    /// the parameters those figures were computed with (`shownParameters`).
    func reportBuilder(_ week: Week, store: FeedbackStore) throws -> ReportBuilder {
        ReportBuilder(store: store, taxonomy: taxonomy, parameters: try shownParameters(week, store: store))
    }

    /// The impact parameters `week`'s stored figures were computed with, rather than the configuration found
    /// now: a report made from another folder showed "V = not configured" beside costs computed with V = 500.
    /// A configuration file that gives other parameters is named, with the command that applies it.
    func shownParameters(_ week: Week, store: FeedbackStore) throws -> ImpactParameters {
        guard let stored = try store.impactParameters(week: week) else { return costModel.parameters }
        Self.noteDiffering(stored: stored, configured: costModel.fingerprint, source: configurationSource, week: week)
        return stored
    }

    static func noteDiffering(stored: ImpactParameters, configured: String, source: String?, week: Week) {
        guard let source, stored.fingerprint != configured else { return }
        Environment.log("""
            the costs of \(week) were computed with impact parameters \(stored.fingerprint), not those of \(source) \
            (\(configured)): `voc analyze --week \(week) --config \(source)` applies them
            """)
    }

    /// Before an analysis: with no configuration file found, the parameters of the store's latest figures,
    /// so that an analysis run from another folder re-costs nothing with the defaults.
    mutating func adoptStoredParameters(_ store: FeedbackStore) throws {
        guard configurationSource == nil, let stored = try store.latestImpactParameters() else { return }
        if stored.fingerprint != costModel.fingerprint {
            Environment.log("using the impact parameters of the store's latest figures (\(stored.fingerprint)); --config or a voc.yaml here sets others")
        }
        costModel = RevenueAtRiskModel(parameters: stored)
    }

    /// Tokenizes and scores one text with exactly the engine the pipeline uses.
    func score(_ text: String) -> SentimentScore { scorer.score(tokenizer.tokenize(text)) }

    var themeFinder: LexicalThemeFinder {
        LexicalThemeFinder(vectorizer: vectorizer, taxonomy: taxonomy, tokenizer: tokenizer, k: k, seed: seed)
    }

    var parametersSummary: String { "seed=\(seed) k=\(k.map(String.init) ?? "auto") impact=\(costModel.fingerprint)" }
}
