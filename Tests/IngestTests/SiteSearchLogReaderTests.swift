import Foundation
@testable import Ingest
import Testing

@Suite struct SiteSearchLogReaderTests {
    let reader = SiteSearchLogReader()

    @Test func onlyZeroResultSearchesOncePerSession() {
        let log = """
            timestamp,session_id,customer_id,query,results,converted
            2026-11-16T10:00:00Z,s1,c1,dress,12,true
            2026-11-16T10:01:00Z,s1,c1,Vegan  Boots!,0,false
            2026-11-16T10:02:00Z,s1,c1,vegan boots,0,false
            2026-11-16T10:03:00Z,s2,c2,vegan boots,0,false
            2026-11-16T10:04:00Z,s3,c3,usb hub,n/a,false
            2026-11-16T10:05:00Z,s3,c3,usb hub

            """
        let events = ReaderVerifier.events(reader, log, path: "search.csv")
        #expect(ReaderVerifier.feedback(events).map(\.externalID) == ["s1#vegan boots", "s2#vegan boots"])
        #expect(ReaderVerifier.rejections(events).map(\.description) == [
            "search.csv: line 6: result count \"n/a\" is not a number",
            "search.csv: line 7: expected 6 fields, found 4",
        ])
    }

    /// A log whose times are written day first (one on the 16th) reads 05/11 as the 5th of November, as a
    /// survey export does; without such a date, month first.
    @Test func slashTimesAreReadInTheOrderTheLogShows() {
        let european = "time,session,query,results\n05/11/2026 10:00,s1,red kettle,0\n16/11/2026 11:00,s2,blue kettle,0\n"
        let weeks = ReaderVerifier.feedback(ReaderVerifier.events(reader, european, path: "search.csv")).map { Week(containing: $0.timestamp).description }
        #expect(weeks == ["2026-W45", "2026-W47"])
        let unclear = "time,session,query,results\n05/11/2026 10:00,s1,red kettle,0\n"
        let asUS = ReaderVerifier.feedback(ReaderVerifier.events(reader, unclear, path: "search.csv")).map { Week(containing: $0.timestamp).description }
        #expect(asUS == ["2026-W20"])
    }

    @Test func jsonLines() {
        let log = "{\"q\":\"PS5 Controller\",\"time\":\"2026-11-16T10:00:00Z\",\"results\":0,\"session_id\":\"a\"}\n{\"q\":\"tv\",\"time\":\"2026-11-16T10:00:00Z\",\"results\":3}\n"
        #expect(ReaderVerifier.feedback(ReaderVerifier.events(reader, log, path: "s.jsonl")).map(\.text) == ["ps5 controller"])
    }

    @Test(arguments: [
        ("  Vegan  BOOTS!! ", "vegan boots"), ("usb-c hub", "usb-c hub"), ("kids' raincoat", "kids' raincoat"),
        // The redactor's placeholders stay as they are, each a word.
        ("Refund [EMAIL] now!", "refund [EMAIL] now"), ("[PHONE][CARD]x", "[PHONE] [CARD] x"), ("a[EMAILb] [IBAN]", "a emailb [IBAN]"),
    ])
    func normalisation(_ raw: String, _ expected: String) { #expect(SiteSearchLogReader.normalize(raw) == expected) }

    /// Queries are redacted before they are normalised: normalising takes out what the rules recognise
    /// an address or an IBAN by. Without redaction (`--no-redact`) they are only normalised.
    @Test func queriesAreRedactedBeforeTheyAreNormalised() {
        let log = """
            query,results,timestamp
            "email JANE.DOE@EXAMPLE.COM now",0,2026-11-16T10:00:00Z
            "iban DE89 3704 0044 0532 0130 00 please",0,2026-11-16T10:01:00Z
            "ring +44 20 7946 0958!",0,2026-11-16T10:02:00Z

            """
        #expect(ReaderVerifier.feedback(ReaderVerifier.events(reader, log, path: "q.csv")).map(\.text)
            == ["email [EMAIL] now", "iban [IBAN] please", "ring [PHONE]"])
        let keeping = SiteSearchLogReader(redactor: Redactor(enabled: false))
        #expect(ReaderVerifier.feedback(ReaderVerifier.events(keeping, log, path: "q.csv")).map(\.text)
            == ["email jane doe example com now", "iban de89 3704 0044 0532 0130 00 please", "ring 44 20 7946 0958"])
    }

    /// ASCII queries take a byte path; it must agree with the Character rule on every kind of ASCII byte.
    @Test func asciiNormalisationAgreesWithTheCharacterRule() {
        let alphabet = Array("aZ09-' \t\r\n.,!?/\\\"#$%&()*+:;<=>@[]^_`{|}~\u{7F}\u{01}".unicodeScalars)
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let query = String(String.UnicodeScalarView((0..<Int.random(in: 0...24, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }))
            #expect(SiteSearchLogReader.normalizeText(query) == SiteSearchLogReader.normalizeCharacters(query), "\(query.debugDescription)")
        }
    }

    /// Google Analytics' "Search Terms" export: `#` lines before the header, "Search Term", "Total Unique
    /// Searches" and "Results Pageviews / Search" (zero: nobody saw a result).
    @Test func analyticsSearchTermsExport() {
        let export = """
            # ----------------------------------------
            # All Web Site Data
            # Search Terms
            # 20261116-20261122
            # ----------------------------------------

            Search Term,Total Unique Searches,Results Pageviews / Search,% Search Exits
            return label,3,0.00,45.00%
            gift card balance,80,1.20,10.00%

            """
        let file = SourceFile(path: "2026-W47-search-terms.csv", data: Data(export.utf8))
        #expect(reader.accepts(file))
        let events = reader.readAll(file)
        #expect(ReaderVerifier.feedback(events).map(\.text) == ["return label", "return label", "return label"])
        #expect(ReaderVerifier.feedback(events).first?.source.position == "line 8")
        #expect(ReaderVerifier.rejections(events).isEmpty)
    }

    /// Algolia's analytics name the query "search" and the results "nbHits", in CSV and in JSON.
    @Test func algoliaNoResultSearches() {
        let file = SourceFile(path: "algolia-2026-11-20.csv", data: Data("search,count,nbHits\nreturn label,2,0\nred dress,300,120\n".utf8))
        #expect(reader.accepts(file))
        #expect(ReaderVerifier.feedback(reader.readAll(file)).map(\.text) == ["return label", "return label"])
        let json = ReaderVerifier.events(reader, "{\"search\": \"Gift Card\", \"nbHits\": 0, \"timestamp\": \"2026-11-20T10:00:00Z\"}\n", path: "s.jsonl")
        #expect(ReaderVerifier.feedback(json).map(\.text) == ["gift card"])
    }

    /// A log whose header names no query column is not dropped: every line goes to quarantine with the reason.
    @Test func aHeaderWithoutAQueryColumnQuarantinesEveryLine() {
        let events = ReaderVerifier.events(reader, "term,hits\nfoo,0\nbar,0\n", path: "s.csv")
        #expect(ReaderVerifier.feedback(events).isEmpty)
        #expect(ReaderVerifier.rejections(events).map(\.source.position) == ["line 1", "line 2", "line 3"])
        #expect(ReaderVerifier.rejections(events).allSatisfy { $0.reason.hasPrefix("no query column in the header") })
    }

    @Test func hostileInputs() { ReaderVerifier.checkHostile(reader, path: "h.csv") }

    /// Pre-aggregated "search terms" tables: each zero-result row stands for `count` searches, dated by the
    /// week in the file name; rows with results are skipped; a bad count is rejected with its line.
    @Test func searchTermsTables() {
        let table = "Search Term,Total Unique Searches,Results\nBlack Friday,3,0\nkettle,40,12\ngift card,\"1,002\",0.0\nreturns,many,0\n"
        let events = ReaderVerifier.events(reader, table, path: "2026-W47-search-terms.csv")
        let feedback = ReaderVerifier.feedback(events)
        #expect(feedback.count == 3 + 1_002)
        #expect(feedback.prefix(3).map(\.externalID) == ["agg:2026-11-16:black friday#1", "agg:2026-11-16:black friday#2", "agg:2026-11-16:black friday#3"])
        #expect(Set(feedback.map(\.week.description)) == ["2026-W47"])
        #expect(ReaderVerifier.rejections(events).map(\.description) == ["2026-W47-search-terms.csv: line 5: search count \"many\" is not a number"])
        let undated = ReaderVerifier.events(reader, "query,count\nsofa,2\n", path: "terms.csv")
        #expect(ReaderVerifier.rejections(undated).first?.reason.contains("needs a date column") == true)
        var small = IngestLimits()
        small.maxSearchesPerRow = 10
        let capped = ReaderVerifier.events(SiteSearchLogReader(limits: small), "query,count\nsofa,11\n", path: "2026-W47.csv")
        #expect(ReaderVerifier.rejections(capped).map(\.reason) == ["search count 11 is over limits.max_searches_per_row (10)"])
        let dated = ReaderVerifier.feedback(ReaderVerifier.events(reader, "date,query,count,results\n2026-11-18,sofa,2,0\n", path: "terms.csv"))
        #expect(dated.map(\.externalID) == ["agg:2026-11-18:sofa#1", "agg:2026-11-18:sofa#2"])
    }
}
