import Foundation
import GRDB
import Impact
import Ingest
import Sentiment
@testable import Store
import Testing
import Themes

@Suite struct FeedbackStoreTests {
    func feedback(_ id: String, channel: Channel = .chat, text: String = "my parcel is late", day: Int = 16, customer: String? = "c_1") -> Feedback {
        Feedback(
            channel: channel, source: SourceRef(file: "f.jsonl", position: "line 1"), externalID: id,
            timestamp: DateParsing.parse("2026-11-\(day)T10:00:00Z")!, text: text, customer: customer, role: .customer, language: "en")
    }

    @Test func ingestIsIdempotentByChannelAndNaturalID() throws {
        let store = try FeedbackStore()
        let run = try store.beginRun(version: "t", command: "t", seed: nil, lexiconHashes: "", parameters: "")
        let first = try store.insert([feedback("a"), feedback("b")], rejections: [], run: run)
        let again = try store.insert([feedback("a"), feedback("b"), feedback("a", channel: .email)], rejections: [], run: run)
        #expect(first.stored == 2 && again.stored == 1 && again.duplicates == 2)
        #expect(try store.status().feedback == 3)
    }

    /// Rows are filed under the week of the zone they are encoded for; the store keeps its zone.
    @Test func weeksOfTheStoresZone() throws {
        let store = try FeedbackStore()
        #expect(try store.zone() == .utc && store.status().timezone == "UTC" && !store.holdsFeedback())
        let newYork = LocalZone(identifier: "America/New_York")!
        try store.record(zone: newYork)
        #expect(try store.zone() == newYork && store.status().timezone == "America/New_York")
        let run = try store.beginRun(version: "t", command: "t", seed: nil, lexiconHashes: "", parameters: "")
        var sundayNight = feedback("a")
        sundayNight.timestamp = DateParsing.parse("2026-11-23T03:00:00Z")!  // Sunday 22:00 in New York
        _ = try store.insert(FeedbackRows([sundayNight], zone: newYork), rejections: [], run: run)
        #expect(try store.status().perWeek == ["2026-W47": 1] && store.holdsFeedback())
        _ = try store.insert([feedback("b", day: 23)], rejections: [], run: run)  // in UTC: Monday 23 November
        #expect(try store.status().perWeek == ["2026-W47": 1, "2026-W48": 1])
    }

    /// An id the store holds with another text is not that record read again: two tools numbering their
    /// responses 1, 2, 3 under the same question, or an edited post. The first stays, the other is
    /// quarantined (it was counted as a duplicate and lost), in another batch or in the same one.
    @Test func anotherRecordUnderAStoredIDIsQuarantinedNotLost() throws {
        let store = try FeedbackStore()
        let run = try store.beginRun(version: "t", command: "t", seed: nil, lexiconHashes: "", parameters: "")
        #expect(try store.insert([feedback("r1", text: "the app keeps crashing")], rejections: [], run: run).stored == 1)
        var other = feedback("r1", text: "café au lait was cold")
        other.source = SourceRef(file: "other-survey.csv", position: "line 2")
        let again = try store.insert([feedback("r1", text: "the app keeps crashing"), other], rejections: [], run: run)
        #expect(again.stored == 0 && again.duplicates == 1 && again.quarantined == 1, "\(again)")
        #expect(again.refused.map(\.source) == [other.source])
        var twice = feedback("r2", text: "first")
        twice.source.position = "line 7"
        var second = feedback("r2", text: "second")
        second.source.position = "line 8"
        let batch = try store.insert([twice, second, feedback("r3")], rejections: [], run: run)
        #expect(batch.stored == 2 && batch.duplicates == 0 && batch.quarantined == 1, "\(batch)")
        let reasons = try store.writer.read { try String.fetchAll($0, sql: "SELECT reason FROM quarantine ORDER BY rowid") }
        #expect(reasons.count == 2)
        #expect(reasons.allSatisfy { $0.contains("is already stored with another text") })
        #expect(reasons[0].contains("\"r1\"") && reasons[0].contains("f.jsonl line 1"))
        let texts = try store.writer.read { try String.fetchAll($0, sql: "SELECT text FROM feedback ORDER BY rowid") }
        #expect(texts == ["the app keeps crashing", "first", "my parcel is late"])
        // Read again from its place (the file's name and position), cleaned otherwise (another voc, other
        // redaction): the same record, a duplicate.
        var reread = feedback("r1", text: "the app keeps crashing!")
        reread.source = SourceRef(file: "/exports/f.jsonl", position: "line 1")
        let same = try store.insert([reread], rejections: [], run: run)
        #expect(same.duplicates == 1 && same.quarantined == 0, "\(same)")
    }

    /// Batches written between `beginBulk` and `commitBulk` are one transaction: a rollback takes back all
    /// of them and leaves what was committed before; duplicates are still found across them.
    @Test func bulkWritesCommitOrRollBackTogether() throws {
        let store = try FeedbackStore()
        let run = try store.beginRun(version: "t", command: "t", seed: nil, lexiconHashes: "", parameters: "")
        try store.beginBulk()
        _ = try store.insert([feedback("a")], rejections: [], run: run)
        #expect(try store.insert([feedback("a"), feedback("b")], rejections: [], run: run).duplicates == 1)
        try store.commitBulk()
        try store.beginBulk()
        _ = try store.insert([feedback("c")], rejections: [], run: run)
        _ = try store.insert([feedback("d")], rejections: [], run: run)
        store.rollbackBulk()
        #expect(try store.status().feedback == 2)
        #expect(try store.search("parcel").count == 2)  // the full-text index follows the rollback
        try store.commitBulk()  // nothing open: nothing to do
        #expect(try store.insert([feedback("c")], rejections: [], run: run).stored == 1)
    }

    @Test func quarantineKeepsRawBytesOnceAndNeverLosesThem() throws {
        let store = try FeedbackStore()
        let run = try store.beginRun(version: "t", command: "t", seed: nil, lexiconHashes: "", parameters: "")
        let rejection = Rejection(source: SourceRef(file: "x.csv", position: "line 9"), reason: "bad", raw: [0xFF, 0x00, 0x41], channel: .survey)
        #expect(try store.insert([], rejections: [rejection], run: run).quarantined == 1)
        #expect(try store.insert([], rejections: [rejection], run: run).quarantined == 0)
        let raw = try store.writer.read { try Data.fetchOne($0, sql: "SELECT raw FROM quarantine") }
        #expect(raw == Data([0xFF, 0x00, 0x41]))
        #expect(try store.status().quarantined == 1)
    }

    /// What `voc quarantine` reads: records filtered by source and reason, counts per file with the most
    /// frequent reason, and the raw bytes apart.
    @Test func quarantinedRecordsAreListedPerFileAndReason() throws {
        let store = try FeedbackStore()
        let run = try store.beginRun(version: "t", command: "t", seed: nil, lexiconHashes: "", parameters: "")
        func rejection(_ file: String, _ line: Int, _ reason: String) -> Rejection {
            Rejection(source: SourceRef(file: file, position: "line \(line)"), reason: reason, raw: Array("row \(line) of \(file)".utf8), channel: .search)
        }
        let rejections = [
            rejection("a.csv", 2, "bad count"), rejection("b.csv", 3, "bad date"), rejection("a.csv", 5, "bad date"),
            rejection("a.csv", 7, "bad date"), rejection("b.csv", 9, "bad count"), rejection("a.csv", 11, "bad count"),
            rejection("a.csv", 12, "bad date"),
        ]
        #expect(try store.insert([], rejections: rejections, run: run).quarantined == 7)

        let all = try store.quarantined()
        #expect(all.map { "\($0.source):\($0.position)" } == rejections.map { "\($0.source.file):\($0.source.position)" })
        let aDates = try store.quarantined(QuarantineFilter(source: "a.", reason: "date"))
        #expect(aDates.map(\.position) == ["line 5", "line 7", "line 12"])
        #expect(try store.quarantined(QuarantineFilter(source: "a."), limit: 2).map(\.position) == ["line 2", "line 5"])
        #expect(try store.quarantinedCount(QuarantineFilter(reason: "count")) == 3)

        let sources = try store.quarantinedSources()
        #expect(sources.map(\.source) == ["a.csv", "b.csv"])
        #expect(sources[0].count == 5 && sources[0].commonReason == "bad date" && sources[0].commonReasonCount == 3)
        // A tie goes to the reason met first in the file.
        #expect(sources[1].count == 2 && sources[1].commonReason == "bad date" && sources[1].commonReasonCount == 1)

        let first = try #require(all.first)
        #expect(first.bytes == "row 2 of a.csv".utf8.count)
        #expect(try store.quarantinedBytes(id: first.id) == Array("row 2 of a.csv".utf8))
        #expect(try store.quarantinedBytes(id: 9_999) == nil)
    }

    /// A file read again in full resolves what it no longer refuses, and only that; a record refused again
    /// stays outstanding (and becomes so again after it was resolved). Resolved records keep their bytes.
    @Test func quarantineIsResolvedWhenItsFileNoLongerRefusesTheRecord() throws {
        let store = try FeedbackStore()
        func run() throws -> Int64 { try store.beginRun(version: "t", command: "t", seed: nil, lexiconHashes: "", parameters: "") }
        func rejection(_ file: String, _ line: Int) -> Rejection {
            Rejection(source: SourceRef(file: file, position: "line \(line)"), reason: "bad", raw: Array("row \(line)".utf8), channel: .search)
        }
        let first = try run()
        _ = try store.insert([], rejections: [rejection("a.csv", 2), rejection("a.csv", 5), rejection("b.csv", 3)], run: first)
        #expect(try store.resolveQuarantine(file: "a.csv", run: first) == (0, 0), "what this run refused is not resolved by it")

        let second = try run()
        #expect(try store.insert([], rejections: [rejection("a.csv", 5)], run: second).duplicates == 1)
        #expect(try store.resolveQuarantine(file: "a.csv", run: second) == (1, 1))
        #expect(try store.status().quarantined == 2)
        #expect(try store.quarantined().map { "\($0.source):\($0.position)" } == ["a.csv:line 5", "b.csv:line 3"])
        let all = try store.quarantined(QuarantineFilter(includesResolved: true))
        #expect(all.map(\.resolvedRun) == [second, nil, nil])
        #expect(try store.quarantinedBytes(id: all[0].id) == Array("row 2".utf8))
        #expect(try store.quarantinedSources().map(\.count) == [1, 1])

        let third = try run()
        _ = try store.insert([], rejections: [rejection("a.csv", 2), rejection("a.csv", 5)], run: third)
        #expect(try store.resolveQuarantine(file: "a.csv", run: third) == (0, 2))
        #expect(try store.status().quarantined == 3, "refused again after it was resolved: outstanding again")
    }

    /// A record the schema refuses goes to quarantine with the reason; it is never dropped as a "duplicate".
    @Test func schemaViolationsAreQuarantinedNotDropped() throws {
        let store = try FeedbackStore()
        let run = try store.beginRun(version: "t", command: "t", seed: nil, lexiconHashes: "", parameters: "")
        var bad = feedback("n")
        bad.scores.nps = 11
        let result = try store.insert([bad, feedback("ok")], rejections: [], run: run)
        #expect(result.stored == 1, "\(result)")
        #expect(result.quarantined == 1 && result.duplicates == 0, "\(result)")
        let row = try #require(try store.writer.read { try Row.fetchOne($0, sql: "SELECT channel, source_file, position, reason, raw FROM quarantine") })
        let reason: String = row["reason"]
        #expect(reason.hasPrefix("violates the store's schema: CHECK constraint failed"))
        // The refused row's source, channel and bytes, read back from its encoded values: its text without a
        // raw message, its raw message when it has one.
        let source: [String] = [row["channel"], row["source_file"], row["position"]]
        #expect(source == ["chat", "f.jsonl", "line 1"])
        #expect(row["raw"] as Data == Data("my parcel is late".utf8))
        bad = feedback("r")
        bad.source.position = "line 2"  // quarantine keeps one record per position
        bad.scores.csat = 9
        bad.raw = "the whole record"
        #expect(try store.insert([bad], rejections: [], run: run).quarantined == 1)
        let raw = try store.writer.read { try Data.fetchOne($0, sql: "SELECT raw FROM quarantine ORDER BY rowid DESC") }
        #expect(raw == Data("the whole record".utf8))
    }

    /// Every field of a record comes back as it went in (the insert binds each row's values from the
    /// batch's encoded form; a value in the wrong column would be refused or read back wrong).
    @Test func everyFieldComesBackAsStored() throws {
        let store = try FeedbackStore()
        let run = try store.beginRun(version: "t", command: "t", seed: nil, lexiconHashes: "", parameters: "")
        let full = Feedback(
            channel: .survey, source: SourceRef(file: "q.csv", position: "line 7"), externalID: "resp-9#comment",
            timestamp: DateParsing.parse("2026-11-18T09:30:15Z")!, text: "Les frais de port sont trop élevés", customer: "c_42",
            scores: Scores(nps: 3, csat: 2, rating: 1.5), customerValue: 1_250.75, role: .customer, language: "fr",
            conversation: "resp-9", outcome: .unresolved, raw: "raw,line", attachments: ["invoice.pdf (application/pdf)", "a.png (image/png)"])
        var bare = feedback("bare", channel: .search, text: "", customer: nil)
        bare.role = nil
        bare.setAside = "no free text"
        #expect(try store.insert([full, bare], rejections: [], run: run).stored == 2)
        let back = try store.feedback(ids: [full.id, bare.id])
        for original in [full, bare] {
            let stored = try #require(back[original.id])
            #expect(stored.channel == original.channel)
            #expect(stored.source == original.source)
            #expect(stored.externalID == original.externalID)
            #expect(stored.timestamp == original.timestamp)
            #expect(stored.text == original.text)
            #expect(stored.customer == original.customer)
            #expect(stored.scores == original.scores)
            #expect(stored.customerValue == original.customerValue)
            #expect(stored.role == original.role)
            #expect(stored.language == original.language)
            #expect(stored.setAside == original.setAside)
            #expect(stored.conversation == original.conversation)
            #expect(stored.outcome == original.outcome)
        }
        let rows = try store.writer.read {
            try Row.fetchAll($0, sql: "SELECT hex(id), week, raw, attachments, run_id, typeof(id) FROM feedback ORDER BY external_id DESC")
        }
        #expect(rows.map { $0[0] as String } == [full.id.uppercased(), bare.id.uppercased()])
        #expect(rows.map { $0[5] as String } == ["blob", "blob"])
        #expect(rows.map { $0[1] as String } == ["2026-W47", "2026-W47"])
        #expect(rows.map { $0[2] as String? } == ["raw,line", nil])
        #expect(rows.map { $0[3] as String } == ["invoice.pdf (application/pdf); a.png (image/png)", ""])
        #expect(rows.map { $0[4] as Int64 } == [run, run])
    }

    /// Records go in 32 to a statement; each outcome is counted as it is row by row: copies in one batch and
    /// in the store are duplicates, a record the schema refuses is quarantined and its group's others are
    /// stored, set-aside records (in groups too) are counted apart.
    @Test func groupsOfRecordsCountEveryOutcome() throws {
        let store = try FeedbackStore()
        let run = try store.beginRun(version: "t", command: "t", seed: nil, lexiconHashes: "", parameters: "")
        #expect(try store.insert((0..<10).map { feedback("m\($0)") }, rejections: [], run: run).stored == 10)
        var batch = (0..<100).map { feedback("m\($0 % 90)") }  // m0...m9 stored before, m0...m9 twice in the batch
        batch[40].scores.nps = 11  // refused by the schema
        batch[70].setAside = "auto-reply"
        batch[20].setAside = "no free text"
        batch[95].setAside = "auto-reply"  // m5 again: a duplicate, not a set-aside record stored
        let result = try store.insert(batch, rejections: [], run: run)
        #expect(result.stored == 79 && result.setAside == 2, "\(result)")  // m10...m89 but m40
        #expect(result.duplicates == 20 && result.quarantined == 1, "\(result)")
        #expect(try store.status().feedback == 89)
        let reason = try store.writer.read { try String.fetchOne($0, sql: "SELECT reason FROM quarantine") }
        #expect(reason?.contains("CHECK constraint failed") == true)
    }

    /// A bulk commit does not checkpoint (the writer goes on): the pages reach the database file from the
    /// background, and other writes checkpoint as usual again.
    @Test func bulkCommitsAreCheckpointedInTheBackground() throws {
        let path = NSTemporaryDirectory() + "voc-bulk-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        func size(_ file: String) -> Int { (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0 }
        func autocheckpoint(_ store: FeedbackStore) throws -> Int? {
            try store.writer.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") }
        }
        let store = try FeedbackStore(path: path)
        let run = try store.beginRun(version: "t", command: "t", seed: nil, lexiconHashes: "", parameters: "")
        store.waitForCheckpoints()
        try store.beginBulk()
        #expect(try autocheckpoint(store) == 0)
        let text = String(repeating: "the parcel never came and nobody answers ", count: 20)
        #expect(try store.insert((0..<2_000).map { feedback("b\($0)", text: text) }, rejections: [], run: run).stored == 2_000)
        let before = size(path)
        try store.commitBulk()
        #expect(try autocheckpoint(store) == 1000)
        store.waitForCheckpoints()
        #expect(size(path) > before + 1_000_000, "database file \(before) -> \(size(path)) bytes")
        #expect(try store.status().feedback == 2_000)
    }

    /// A NUL byte does not cut a message off: it is stored as U+FFFD and the rest of the text is kept.
    @Test func textAfterANulByteIsKept() throws {
        let store = try FeedbackStore()
        let run = try store.beginRun(version: "t", command: "t", seed: nil, lexiconHashes: "", parameters: "")
        var message = feedback("n", text: "before\u{0}after the nul")
        message.raw = "raw\u{0}\u{0}tail"
        #expect(try store.insert([message, feedback("ok", text: "")], rejections: [], run: run).stored == 2)
        let rows = try store.writer.read { try Row.fetchAll($0, sql: "SELECT text, raw FROM feedback ORDER BY external_id") }
        #expect(rows.map { $0["text"] as String } == ["before\u{FFFD}after the nul", ""])
        #expect(rows[0]["raw"] as String == "raw\u{FFFD}\u{FFFD}tail")
        #expect(rows[1]["raw"] as String? == nil)
    }

    /// A row's texts are bound from one buffer that grows as it fills: rows larger than it, and rows after
    /// them, come back byte for byte.
    @Test func textsOfEverySizeComeBackAsStored() throws {
        let store = try FeedbackStore()
        let run = try store.beginRun(version: "t", command: "t", seed: nil, lexiconHashes: "", parameters: "")
        let sizes = [0, 1, 5_000, 70_000, 3, 300_000, 12]
        let messages = sizes.enumerated().map { index, size in
            var message = feedback("m\(index)", text: String(repeating: "é\(index)x", count: size / 4))
            message.raw = String(repeating: "r\(index)", count: size / 2)
            return message
        }
        #expect(try store.insert(messages, rejections: [], run: run).stored == sizes.count)
        let rows = try store.writer.read { try Row.fetchAll($0, sql: "SELECT text, raw FROM feedback ORDER BY rowid") }
        #expect(rows.map { $0["text"] as String } == messages.map(\.text))
        #expect(rows.map { $0["raw"] as String } == messages.map { $0.raw! })
    }

    /// A batch's encoded bytes are kept in parts of whole groups of rows (`FeedbackRows`): rows in later
    /// parts, a refused row among them (its group goes row by row) and its quarantine record come back whole.
    @Test func rowsInEveryPartOfALargeBatchComeBackAsStored() throws {
        let store = try FeedbackStore()
        let run = try store.beginRun(version: "t", command: "t", seed: nil, lexiconHashes: "", parameters: "")
        var messages = (0..<100).map { index in
            var message = feedback("p\(index)", text: "row \(index) " + String(repeating: "x", count: 10_000 + index))
            message.source.position = "line \(index + 1)"
            return message
        }
        messages[77].scores.nps = 12
        let rows = FeedbackRows(messages)
        #expect(rows.parts.count > 2)
        #expect(Set(stride(from: 0, to: 100, by: FeedbackRows.groupRows).map { rows.partOfRow[$0] }).count == rows.parts.count)
        let result = try store.insert(rows, rejections: [], run: run)
        #expect(result.stored == 99 && result.quarantined == 1)
        let stored = try store.writer.read { try String.fetchAll($0, sql: "SELECT text FROM feedback ORDER BY rowid") }
        #expect(stored == messages.indices.filter { $0 != 77 }.map { messages[$0].text })
        let quarantined = try #require(try store.writer.read { try Row.fetchOne($0, sql: "SELECT position, raw FROM quarantine") })
        #expect(quarantined["position"] as String == "line 78")
        #expect(quarantined["raw"] as Data == Data(messages[77].text.utf8))
    }

    @Test func fullTextSearchFindsStemmedWords() throws {
        let store = try FeedbackStore()
        let run = try store.beginRun(version: "t", command: "t", seed: nil, lexiconHashes: "", parameters: "")
        _ = try store.insert([feedback("a", text: "I was charged twice"), feedback("b", text: "app crashes")], rejections: [], run: run)
        let ids = try store.search("charges")
        #expect(ids == [feedback("a").id])
        #expect(try store.search("@#!").isEmpty)
    }

    /// A drill by free text shows a few matches and says how many there are in all.
    @Test func aSearchCountsItsMatchesPastItsLimit() throws {
        let store = try FeedbackStore()
        let run = try store.beginRun(version: "t", command: "t", seed: nil, lexiconHashes: "", parameters: "")
        let texts = (0..<7).map { "parcel \($0) never arrived" } + ["parcel lost", "app crashes"]
        _ = try store.insert(texts.indices.map { feedback("m\($0)", text: texts[$0]) }, rejections: [], run: run)
        let (ids, total) = try store.searchCounting("never arrived", limit: 3)
        #expect(ids.count == 3 && total == 7)
        #expect(try store.searchCounting("parcel", limit: 50).total == 8)
        #expect(try store.searchCounting("crashes lost", anyTerm: true).total == 2)
        #expect(try store.searchCounting("refund") == ([], 0))
    }

    /// A week's summary counts its customer messages in each language but English, searches left out.
    @Test func theSummaryCountsTheLanguagesNotEnglish() throws {
        let store = try FeedbackStore()
        let run = try store.beginRun(version: "t", command: "t", seed: nil, lexiconHashes: "", parameters: "")
        var spanish = feedback("a", text: "mi pedido no ha llegado"), german = feedback("b", text: "Paket immer noch nicht da")
        var search = feedback("c", channel: .search, text: "regenjacke kinder")
        spanish.language = "es"
        german.language = "de"
        search.language = "de"
        var spanishTwo = feedback("d", text: "¿dónde está mi reembolso?")
        spanishTwo.language = "es"
        _ = try store.insert([spanish, german, search, spanishTwo, feedback("e")], rejections: [], run: run)
        #expect(try store.summary(week: Week("2026-W47")!).otherLanguages == ["es": 2, "de": 1])
    }

    /// "refun*" is a prefix; a shorter one is a whole word, and no other FTS5 syntax gets through.
    @Test func aTrailingStarSearchesAPrefix() throws {
        let store = try FeedbackStore()
        let run = try store.beginRun(version: "t", command: "t", seed: nil, lexiconHashes: "", parameters: "")
        _ = try store.insert([feedback("a", text: "Where is my refund"), feedback("b", text: "They refused to help"), feedback("c", text: "app crashes")],
                             rejections: [], run: run)
        #expect(try store.search("refun*") == [feedback("a").id])
        #expect(Set(try store.search("ref*")) == [feedback("a").id, feedback("b").id])
        #expect(try store.search("refun").isEmpty)
        #expect(try store.search("re*").isEmpty)
        #expect(FeedbackStore.searchTerms("ref* AND NEAR(app, 2) \"x") == ["\"ref\"*", "\"AND\"", "\"NEAR\"", "\"app\"", "\"2\"", "\"x\""])
    }

    @Test func analysisReplacesTheWeekAndKeepsThemeHistory() throws {
        let store = try FeedbackStore()
        let run = try store.beginRun(version: "t", command: "t", seed: nil, lexiconHashes: "", parameters: "")
        _ = try store.insert([feedback("a"), feedback("b", day: 23)], rejections: [], run: run)
        let theme = Theme(id: "d-late", label: "late", keyphrases: ["late"], department: "delivery", severity: .serious, curated: false, signature: ["late": 1])
        let cost = RevenueAtRiskModel().cost(ThemeWeekCounts(theme: "d-late", severity: .serious, customers: ["chat": 1]))
        var negative = SentimentScore.unscored
        (negative.compound, negative.label) = (-0.5, .negative)
        for week in ["2026-W47", "2026-W48"] {
            let voice = try store.customerVoice(in: Week(week)!)
            #expect(voice.map(\.feedback.id) == [week == "2026-W47" ? feedback("a").id : feedback("b").id])
            let analysis = WeekAnalysis(
                week: Week(week)!, sentiments: [(voice[0].row, negative)],
                themes: [ThemeWeek(theme: theme, kind: "voice", messages: 1, customers: 1, negativeShare: 1, representatives: [])],
                mentions: [Mention(row: voice[0].row, sentence: 0, themeID: "d-late", compound: -0.5)],
                impacts: ["d-late": cost])
            try store.save(analysis, run: run)
            try store.save(analysis, run: run)  // saving twice replaces, never duplicates
        }
        let stored = try store.themes()
        #expect(stored.count == 1)
        #expect(stored[0].firstSeen.description == "2026-W47" && stored[0].lastSeen.description == "2026-W48")
        #expect(try store.themeWeeks(from: Week("2026-W40")!, to: Week("2026-W48")!)["d-late"]?.count == 2)
        #expect(try store.impacts(week: Week("2026-W48")!)["d-late"] == cost)
        #expect(try store.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM mentions") } == 2)
        #expect(try store.summary(week: Week("2026-W48")!).sentiment == ["negative": 1])
        #expect(try store.mentionBreakdown(theme: "d-late", weeks: [Week("2026-W47")!, Week("2026-W48")!]).channels == ["chat": 2])
        #expect(try store.themes(mentionedBy: [feedback("b").id]) == ["d-late": 1])
        // Forgetting the customer takes the analysis rows of their feedback with it.
        #expect(try store.forget(customer: feedback("a").customer!).feedback == 2)
        #expect(try store.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM mentions") } == 0)
        #expect(try store.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM sentiment") } == 0)
    }

    /// Each week's figures come back with the parameters that made them, and the latest week's are what a
    /// new analysis falls back on; a week without figures has none.
    @Test func eachWeeksFiguresKeepTheirParameters() throws {
        let store = try FeedbackStore()
        let run = try store.beginRun(version: "t", command: "t", seed: nil, lexiconHashes: "", parameters: "")
        #expect(try store.latestImpactParameters() == nil)
        var first = ImpactParameters(), second = ImpactParameters()
        first.customerValue = Parameter(500, 400, 600, source: "configured")
        second.customerValue = Parameter(900, source: "configured")
        for (week, parameters) in [("2026-W47", first), ("2026-W48", second)] {
            let cost = RevenueAtRiskModel(parameters: parameters).cost(ThemeWeekCounts(theme: "d-late", severity: .serious, customers: ["chat": 1]))
            let theme = Theme(id: "d-late", label: "late", keyphrases: ["late"], department: "delivery", severity: .serious, curated: false, signature: ["late": 1])
            var analysis = WeekAnalysis(
                week: Week(week)!, sentiments: [],
                themes: [ThemeWeek(theme: theme, kind: "voice", messages: 1, customers: 1, negativeShare: 1, representatives: [])],
                mentions: [], impacts: ["d-late": cost])
            analysis.parameters = parameters
            try store.save(analysis, run: run)
        }
        try store.save(WeekAnalysis(week: Week("2026-W49")!, sentiments: [], themes: [], mentions: [], impacts: [:]), run: run)
        #expect(try store.impactParameters(week: Week("2026-W47")!) == first)
        #expect(try store.impactParameters(week: Week("2026-W48")!) == second)
        #expect(try store.impactParameters(week: Week("2026-W49")!) == nil)
        #expect(try store.latestImpactParameters() == second)
    }

    /// A theme's messages of a week, each ranked by its clearest mention: most negative first for a complaint
    /// theme, most positive first otherwise; one channel when asked; other themes and weeks left out.
    @Test func aThemesMessagesComeClearestFirst() throws {
        let store = try FeedbackStore()
        let run = try store.beginRun(version: "t", command: "t", seed: nil, lexiconHashes: "", parameters: "")
        let messages = [feedback("a"), feedback("b"), feedback("c", channel: .email), feedback("d"), feedback("e", day: 23)]
        _ = try store.insert(messages, rejections: [], run: run)
        let theme = Theme(id: "refund", label: "refund", keyphrases: ["refund"], department: "returns", severity: .moneyLoss, curated: true, signature: [:])
        let other = Theme(id: "late", label: "late", keyphrases: ["late"], department: "delivery", severity: .serious, curated: true, signature: [:])
        let voice = try store.customerVoice(in: Week("2026-W47")!)
        let row = Dictionary(uniqueKeysWithValues: voice.map { ($0.feedback.id, $0.row) })
        // "a" has a mildly negative sentence and a positive one; "b" one very negative; "c" one positive.
        let mentions = [
            Mention(row: row[messages[0].id]!, sentence: 0, themeID: "refund", compound: -0.2),
            Mention(row: row[messages[0].id]!, sentence: 1, themeID: "refund", compound: 0.3),
            Mention(row: row[messages[1].id]!, sentence: 0, themeID: "refund", compound: -0.9),
            Mention(row: row[messages[2].id]!, sentence: 0, themeID: "refund", compound: 0.8),
            Mention(row: row[messages[3].id]!, sentence: 0, themeID: "late", compound: -1),
        ]
        let themes = [theme, other].map { ThemeWeek(theme: $0, kind: "voice", messages: 1, customers: 1, negativeShare: 1, representatives: []) }
        try store.save(WeekAnalysis(week: Week("2026-W47")!, sentiments: [], themes: themes, mentions: mentions, impacts: [:]), run: run)
        let week = Week("2026-W47")!
        let (a, b, c) = (messages[0].id, messages[1].id, messages[2].id)
        #expect(try store.messages(theme: "refund", week: week, mostNegativeFirst: true) == [b, a, c])
        #expect(try store.messages(theme: "refund", week: week, mostNegativeFirst: false) == [c, a, b])
        #expect(try store.messages(theme: "refund", week: week, channel: .email, mostNegativeFirst: true) == [c])
        #expect(try store.messages(theme: "refund", week: week, mostNegativeFirst: true, limit: 1) == [b])
        #expect(try store.messages(theme: "refund", week: Week("2026-W48")!, mostNegativeFirst: true).isEmpty)
    }

    /// A theme's commonest texts of a week, lowercased and trimmed, each message counted once however many
    /// of its sentences mention the theme; other themes and weeks left out.
    @Test func aThemesCommonTextsAreCountedOncePerMessage() throws {
        let store = try FeedbackStore()
        let run = try store.beginRun(version: "t", command: "t", seed: nil, lexiconHashes: "", parameters: "")
        let texts = ["USB-C hub ", "usb-c hub", "usbc hub", "usbc hub", "usb-c hub", "kids raincoat"]
        let messages = texts.enumerated().map { feedback("q\($0.offset)", channel: .chat, text: $0.element) } + [feedback("late", text: "usb-c hub", day: 23)]
        _ = try store.insert(messages, rejections: [], run: run)
        let voice = try store.customerVoice(in: Week("2026-W47")!)
        let row = Dictionary(uniqueKeysWithValues: voice.map { ($0.feedback.id, $0.row) })
        let hub = Theme(id: "search-usbc-hub", label: "usbc hub", keyphrases: [], department: "search", severity: .minor, curated: false, signature: [:])
        let coat = Theme(id: "search-raincoat", label: "raincoat", keyphrases: [], department: "search", severity: .minor, curated: false, signature: [:])
        var mentions = (0..<5).map { Mention(row: row[messages[$0].id]!, sentence: -1, themeID: hub.id, compound: 0) }
        mentions.append(Mention(row: row[messages[0].id]!, sentence: 1, themeID: hub.id, compound: 0))  // a second mention, same message
        mentions.append(Mention(row: row[messages[5].id]!, sentence: -1, themeID: coat.id, compound: 0))
        let themes = [hub, coat].map { ThemeWeek(theme: $0, kind: "search", messages: 1, customers: 1, negativeShare: 0, representatives: []) }
        try store.save(WeekAnalysis(week: Week("2026-W47")!, sentiments: [], themes: themes, mentions: mentions, impacts: [:]), run: run)
        let typed = try store.commonTexts(theme: hub.id, week: Week("2026-W47")!, limit: 3)
        #expect(typed.map(\.text) == ["usb-c hub", "usbc hub"] && typed.map(\.count) == [3, 2])
        #expect(try store.commonTexts(theme: hub.id, week: Week("2026-W47")!, limit: 1).map(\.text) == ["usb-c hub"])
        #expect(try store.commonTexts(theme: hub.id, week: Week("2026-W48")!, limit: 3).isEmpty)
    }

    @Test func subThemesAndThemeEventsAreKeptPerWeek() throws {
        let store = try FeedbackStore()
        let run = try store.beginRun(version: "t", command: "t", seed: nil, lexiconHashes: "", parameters: "")
        let theme = Theme(id: "d-late", label: "late", keyphrases: ["late"], department: "delivery", severity: .serious, curated: false, signature: ["late": 1])
        let subthemes = [SubThemeWeek(label: "courier", keyphrases: ["courier", "driver"], messages: 4, representatives: ["x", "y"]),
                         SubThemeWeek(label: "date passed", keyphrases: ["date"], messages: 2, representatives: [])]
        let event = ThemeEvent(week: Week("2026-W47")!, change: ThemeChange(kind: .merge, theme: "d-late", other: "d-slow", similarity: 0.6))
        var analysis = WeekAnalysis(
            week: Week("2026-W47")!, sentiments: [],
            themes: [ThemeWeek(theme: theme, kind: "voice", messages: 6, customers: 6, negativeShare: 1, representatives: [], subthemes: subthemes)],
            mentions: [], impacts: [:])
        analysis.events = [event]
        try store.save(analysis, run: run)
        try store.save(analysis, run: run)  // re-analysing a week replaces its rows
        #expect(try store.subthemes(theme: "d-late", week: Week("2026-W47")!) == subthemes)
        #expect(try store.subthemes(theme: "d-late", week: Week("2026-W46")!).isEmpty)
        #expect(try store.themeEvents(through: Week("2026-W47")!) == [event])
        #expect(try store.themeEvents(through: Week("2026-W47")!, theme: "d-slow") == [event])
        #expect(try store.themeEvents(through: Week("2026-W47")!, theme: "d-other").isEmpty)
        #expect(try store.themeEvents(through: Week("2026-W46")!).isEmpty)
    }

    @Test func forgetRemovesEveryRecordOfACustomer() throws {
        let store = try FeedbackStore()
        let run = try store.beginRun(version: "t", command: "t", seed: nil, lexiconHashes: "", parameters: "")
        _ = try store.insert([feedback("a", customer: "c_9"), feedback("b", customer: "c_9"), feedback("c", customer: "c_1")], rejections: [], run: run)
        #expect(try store.forget(customer: "c_9").feedback == 2)
        #expect(try store.status().feedback == 1)
        #expect(try store.search("parcel").count == 1)  // the full-text index forgot them too
    }

    /// Quarantined input carries no customer reference: it is found by the id or address as written in it,
    /// whole and in any ASCII case, never inside a longer id or address.
    @Test func forgetRemovesQuarantinedInputThatNamesTheCustomer() throws {
        let store = try FeedbackStore()
        let run = try store.beginRun(version: "t", command: "t", seed: nil, lexiconHashes: "", parameters: "")
        let raws = [
            "From: Cust <Cust-267@Mail.Example>\nDate: 32 Foo\n\nmy parcel",  // theirs
            "reply to cust-267@mail.example.",  // theirs, ending a sentence
            "From: xcust-267@mail.example", "cc: cust-267@mail.example.org", "id,cust-2671,late", "id,cust-267,late\u{0}\u{FF}",
        ]
        let rejections = raws.enumerated().map { i, raw in
            Rejection(source: SourceRef(file: "in.mbox", position: "message \(i)"), reason: "bad", raw: Array(raw.utf8), channel: .email)
        }
        _ = try store.insert([feedback("a", customer: "c_9")], rejections: rejections, run: run)
        func left() throws -> [String] {
            try store.writer.read { try Data.fetchAll($0, sql: "SELECT raw FROM quarantine ORDER BY id") }.map { String(decoding: $0, as: UTF8.self) }
        }
        #expect(try store.forget(customer: "c_9", identifiers: ["cust-267@mail.example"]) == FeedbackStore.Forgotten(feedback: 1, quarantined: 2))
        #expect(try left() == Array(raws[2...]))
        #expect(try store.forget(customer: "c_8", identifiers: ["CUST-267"]) == FeedbackStore.Forgotten(feedback: 0, quarantined: 1))
        #expect(try left() == Array(raws[2...4]))
    }

    /// A store made by migration v1 (full-text index kept by a trigger) opens under v2 with its index intact,
    /// and new batches are indexed by the batch statement.
    @Test func aVersionOneStoreMigratesAndKeepsItsFullTextIndex() throws {
        let path = NSTemporaryDirectory() + "voc-v1-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        do {
            let queue = try DatabaseQueue(path: path)
            var v1 = DatabaseMigrator()
            v1.registerMigration("v1") { try $0.execute(sql: Migrations.v1) }
            try v1.migrate(queue)
            try queue.write { db in
                try db.execute(sql: "INSERT INTO runs(version, command, started_at) VALUES ('0', 'ingest', '2026-11-16T10:00:00Z')")
                try db.execute(sql: """
                    INSERT INTO feedback(id, channel, external_id, source_file, source_position, received_at, week, language, text, run_id)
                    VALUES ('old', 'chat', 'old#1', 'f', 'p', 1763287200, '2026-W47', 'en', 'my parcel never came', 1)
                    """)
                try db.execute(sql: "INSERT INTO sentiment VALUES ('old', -0.5, 0, 0.5, 0.5, 'negative')")
                // Not customer voice: neither is in the index, before or after v7 makes it again.
                try db.execute(sql: """
                    INSERT INTO feedback(id, channel, external_id, source_file, source_position, received_at, week, language, text, run_id, role)
                    VALUES ('agent', 'chat', 'old#2', 'f', 'p', 1763287200, '2026-W47', 'en', 'your parcel is on its way', 1, 'agent')
                    """)
                try db.execute(sql: """
                    INSERT INTO feedback(id, channel, external_id, source_file, source_position, received_at, week, language, text, run_id, set_aside)
                    VALUES ('auto', 'email', 'a@x', 'f', 'p', 1763287200, '2026-W47', 'en', 'out of office: parcel', 1, 'auto-reply')
                    """)
            }
        }
        let store = try FeedbackStore(path: path)
        #expect(try store.search("parcel").count == 1)
        // v7: the index keeps no table of document sizes, and ranks as before.
        #expect(try store.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master WHERE name = 'feedback_fts_docsize'") } == 0)
        #expect(try store.search("way").isEmpty && store.search("office").isEmpty)
        let run = try store.beginRun(version: "1", command: "ingest", seed: nil, lexiconHashes: "", parameters: "")
        let twice = feedback("new", text: "the refund is missing")
        let first = try store.insert([twice], rejections: [], run: run)
        let again = try store.insert([twice], rejections: [], run: run)
        #expect(first.stored == 1 && again.stored == 0 && again.duplicates == 1, "v4 dedupes by id alone: \(again)")
        #expect(try store.search("refund").count == 1)
        #expect(try store.search("parcel").count == 1)
        try store.writer.read { db in
            // v4 rebuilt the table: the old row keeps its sentiment (v5 keyed it by the row), and the unused
            // indexes are gone.
            #expect(try String.fetchOne(db, sql: "SELECT s.label FROM sentiment s JOIN feedback f ON f.rowid = s.feedback WHERE f.id = 'old'") == "negative")
            let indexes = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'feedback'")
            #expect(Set(indexes) == ["sqlite_autoindex_feedback_1", "feedback_by_week"], "\(indexes)")
        }
        // The rewritten checks still refuse values outside their lists.
        #expect(throws: DatabaseError.self) { try store.writer.write { try $0.execute(sql: "UPDATE feedback SET role = 'robot'") } }
        #expect(throws: DatabaseError.self) { try store.writer.write { try $0.execute(sql: "UPDATE feedback SET channel = 'fax'") } }
        #expect(throws: DatabaseError.self) { try store.writer.write { try $0.execute(sql: "UPDATE sentiment SET label = 'meh'") } }
        #expect(try store.forget(customer: "c_1").feedback == 1)
        #expect(try store.search("refund").isEmpty)
    }

    /// A store made before v6 (ids as hex text) keeps every record under the same id as bytes: a second
    /// ingest of the record is a duplicate, lookups and full-text search find it by its id, and deleting it
    /// still clears its index entry and analysis (the triggers are made again with the table).
    @Test func aVersionFiveStoreKeepsItsIDsAsBytes() throws {
        let path = NSTemporaryDirectory() + "voc-v5-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let old = feedback("old", text: "my parcel never came")
        do {
            let queue = try DatabaseQueue(path: path)
            var v5 = DatabaseMigrator()
            for (name, sql) in [("v1", Migrations.v1), ("v2", Migrations.v2), ("v3", Migrations.v3), ("v4", Migrations.v4), ("v5", Migrations.v5)] {
                v5.registerMigration(name) { try $0.execute(sql: sql) }
            }
            try v5.migrate(queue)
            try queue.write { db in
                try db.execute(sql: "INSERT INTO runs(version, command, started_at) VALUES ('0', 'ingest', '2026-11-16T10:00:00Z')")
                try db.execute(sql: """
                    INSERT INTO feedback(id, channel, external_id, source_file, source_position, received_at, week, customer, language, text, run_id)
                    VALUES (?, 'chat', 'old', 'f', 'p', 1763287200, '2026-W47', 'c_1', 'en', 'my parcel never came', 1)
                    """, arguments: [old.id])
                try db.execute(sql: "INSERT INTO feedback_fts(rowid, text) SELECT rowid, text FROM feedback")
                try db.execute(sql: "INSERT INTO sentiment VALUES (1, -0.5, 0, 0.5, 0.5, 'negative')")
            }
        }
        let store = try FeedbackStore(path: path)
        let kept = try store.writer.read { db in try String.fetchOne(db, sql: "SELECT typeof(id) || length(id) FROM feedback") }
        #expect(kept == "blob10")
        let run = try store.beginRun(version: "1", command: "ingest", seed: nil, lexiconHashes: "", parameters: "")
        let again = try store.insert([old, feedback("new", text: "the refund is missing")], rejections: [], run: run)
        #expect(again.stored == 1 && again.duplicates == 1, "\(again)")
        #expect(try store.feedback(ids: [old.id])[old.id]?.text == "my parcel never came")
        #expect(try store.search("parcel") == [old.id])
        #expect(try store.forget(customer: "c_1").feedback == 2)
        #expect(try store.search("parcel").isEmpty)
        #expect(try store.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sentiment") } == 0)
    }

    /// Quarantine kept before v9 is known by the path it was read through: its rows keep their ids, bytes
    /// and resolution, take that path as their key, and a later reading through the same path still finds
    /// them (a duplicate, then resolved); the key is what makes a record unique now, not the path.
    @Test func aVersionEightStoreKeysItsQuarantineByItsPath() throws {
        let path = NSTemporaryDirectory() + "voc-v8-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        do {
            let queue = try DatabaseQueue(path: path)
            try Migrations.migrator.migrate(queue, upTo: "v8")
            try queue.write { db in
                try db.execute(sql: "INSERT INTO runs(version, command, started_at) VALUES ('0', 'ingest', '2026-11-16T10:00:00Z')")
                try db.execute(sql: """
                    INSERT INTO quarantine(run_id, channel, source_file, position, reason, raw, resolved_run)
                    VALUES (1, 'search', 'data/a.csv', 'line 2', 'bad', x'FF00', NULL), (1, 'search', 'data/a.csv', 'line 5', 'bad', x'41', 1)
                    """)
            }
        }
        let store = try FeedbackStore(path: path)
        let kept = try store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, source_file, source_key, position, hex(raw), resolved_run FROM quarantine ORDER BY id").map { "\($0)" }
        }
        #expect(kept == [
            "[id:1 source_file:\"data/a.csv\" source_key:\"data/a.csv\" position:\"line 2\" hex(raw):\"FF00\" resolved_run:NULL]",
            "[id:2 source_file:\"data/a.csv\" source_key:\"data/a.csv\" position:\"line 5\" hex(raw):\"41\" resolved_run:1]",
        ])
        let run = try store.beginRun(version: "1", command: "ingest", seed: nil, lexiconHashes: "", parameters: "")
        let refused = Rejection(source: SourceRef(file: "data/a.csv", position: "line 2"), reason: "bad", raw: [0xFF, 0x00], channel: .search)
        #expect(try store.insert([], rejections: [refused], run: run).duplicates == 1)
        #expect(try store.resolveQuarantine(file: "data/a.csv", run: run) == (0, 1))
        // The same position in the same file named another way, given its key, is the same record too.
        let renamed = Rejection(source: SourceRef(file: "./data/a.csv", position: "line 2"), reason: "bad", raw: [0xFF, 0x00], channel: .search)
        #expect(try store.insert([], rejections: [renamed], run: run, sourceKey: "data/a.csv").duplicates == 1)
        #expect(try store.status().quarantined == 1)
    }
}
