import Foundation
import Ingest
import Testing

@Suite struct SurveyReaderTests {
    let reader = SurveyReader()

    static let qualtrics = """
        StartDate,EndDate,Status,ResponseId,RecipientEmail,Q1_NPS,Q2_CSAT,Q3_Comment,Q4_Improve\r
        Start Date,End Date,Response Type,Response ID,Recipient Email,How likely are you to recommend us?,How satisfied were you?,Why did you give that score?,What could we improve?\r
        "{""ImportId"":""startDate""}","{""ImportId"":""endDate""}","{""ImportId"":""status""}","{""ImportId"":""_recordId""}","{""ImportId"":""recipientEmail""}","{""ImportId"":""QID1""}","{""ImportId"":""QID2""}","{""ImportId"":""QID3_TEXT""}","{""ImportId"":""QID4_TEXT""}"\r
        2026-11-16 10:00:00,2026-11-16 10:05:00,IP Address,R_1,ann@example.com,10 - Extremely likely,5,"Fast delivery, thanks",\r
        2026-11-17 11:00:00,2026-11-17 11:05:00,IP Address,R_2,bob@example.com,2,1,"Charged twice
        for one order","Fix billing"\r
        2026-11-18 12:00:00,2026-11-18 12:05:00,IP Address,R_3,cy@example.com,7,3,,\r
        2026-11-18 12:00:00,2026-11-18 12:05:00,IP Address,R_4,dee@example.com,11,3,bad nps,\r
        2026-11-18 12:00:00,2026-11-18 12:05:00,IP Address,R_5,ed@example.com,5,3\r
        32/13/2026,x,IP Address,R_6,fi@example.com,5,3,bad date,\r

        """

    @Test func qualtricsExportBecomesOneVerbatimPerTextColumn() {
        let events = ReaderVerifier.events(reader, Self.qualtrics, path: "q.csv")
        let feedback = ReaderVerifier.feedback(events)
        #expect(feedback.map(\.externalID) == ["R_1#Q3_Comment", "R_2#Q3_Comment", "R_2#Q4_Improve", "R_3"])
        #expect(feedback[0].scores == Scores(nps: 10, csat: 5))
        #expect(feedback[1].text == "Charged twice\nfor one order")
        #expect(feedback[1].customer == feedback[2].customer)
        #expect(feedback[1].customer != nil && feedback[1].customer != "bob@example.com")
        #expect(feedback[3].setAside == "no free text")
        #expect(feedback[3].scores.nps == 7)
    }

    /// Excel's "Unicode Text" and some survey tools save UTF-16 with a byte-order mark: read as the same
    /// records, lines and reasons as the UTF-8 export; a lone surrogate or an odd last byte becomes U+FFFD.
    @Test(arguments: [true, false])
    func utf16ExportsReadLikeUTF8(littleEndian: Bool) {
        func utf16(_ text: String) -> Data {
            var bytes: [UInt8] = littleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF]
            for unit in text.utf16 { bytes += littleEndian ? [UInt8(unit & 0xFF), UInt8(unit >> 8)] : [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
            return Data(bytes)
        }
        let tsv = Self.qualtrics.replacingOccurrences(of: ",", with: "\t") + "2026-11-19 12:00:00\t2026-11-19\tIP Address\tR_7\tgil@example.com\t9\t5\tSehr gut 👍 – ñ\t\r\n"
        let original = reader.readAll(SourceFile(path: "q.tsv", data: Data(tsv.utf8)))
        let converted = reader.readAll(SourceFile(path: "q.tsv", data: utf16(tsv)))
        let expected = ReaderVerifier.feedback(original)
        #expect(expected.count == 5)
        #expect(ReaderVerifier.feedback(converted).map(\.text) == expected.map(\.text))
        #expect(ReaderVerifier.feedback(converted).map(\.source) == expected.map(\.source))
        #expect(ReaderVerifier.feedback(converted).last?.text == "Sehr gut 👍 – ñ")
        #expect(ReaderVerifier.rejections(converted).map(\.description) == ReaderVerifier.rejections(original).map(\.description))
        var broken = utf16("ab")
        broken.insert(contentsOf: littleEndian ? [0x00, 0xD8] : [0xD8, 0x00], at: 4)  // a high surrogate alone
        broken.append(0x41)  // and half a code unit
        #expect(String(decoding: SourceFile(path: "x.txt", data: broken).data, as: UTF8.self) == "a\u{FFFD}b\u{FFFD}")
    }

    /// A help desk's satisfaction export: ticket ids, "Created at" with a spelled-out zone, CSAT as words
    /// (good/bad, or the five-point labels), unanswered surveys without a score.
    /// An export written day first (Excel in most of Europe): one response dated 16/11 makes 05/11 in the
    /// same file the 5th of November, not the 11th of May; a file whose dates show nothing is read as
    /// configured, month first by default.
    @Test func slashDatesAreReadInTheOrderTheFileShows() {
        let european = "ResponseId,SubmittedAt,NPS,Comment\nR1,05/11/2026 10:00,2,Late again\nR2,16/11/2026 11:00,9,Great\n"
        let dates = ReaderVerifier.feedback(ReaderVerifier.events(reader, european, path: "s.csv")).map { Week(containing: $0.timestamp).description }
        #expect(dates == ["2026-W45", "2026-W47"])
        let unclear = "ResponseId,SubmittedAt,NPS,Comment\nR1,05/11/2026 10:00,2,Late again\n"
        let asUS = ReaderVerifier.feedback(ReaderVerifier.events(reader, unclear, path: "s.csv"))
        #expect(asUS.map { Week(containing: $0.timestamp).description } == ["2026-W20"])
        let asConfigured = ReaderVerifier.feedback(ReaderVerifier.events(SurveyReader(dateOrder: .dayFirst), unclear, path: "s.csv"))
        #expect(asConfigured.map { Week(containing: $0.timestamp).description } == ["2026-W45"])
    }

    @Test func helpDeskSatisfactionExport() {
        let export = """
            Ticket ID,Created at,Requester email,Satisfaction rating,Satisfaction comment
            1001,2026-11-20 10:00:00 UTC,ann@example.com,Bad,Nobody answered for a week
            1002,2026-11-20 11:00:00 UTC,bob@example.com,Good,Quick fix thanks
            1003,2026-11-20 12:00:00 UTC,cy@example.com,Very dissatisfied,Still broken
            1004,2026-11-20 13:00:00 UTC,dee@example.com,Offered,
            1005,2026-11-20 14:00:00 UTC,ed@example.com,Meh,hm

            """
        let events = ReaderVerifier.events(reader, export, path: "ratings.csv")
        let feedback = ReaderVerifier.feedback(events)
        #expect(feedback.map(\.externalID) == ["1001#Satisfaction comment", "1002#Satisfaction comment", "1003#Satisfaction comment", "1004"])
        #expect(feedback.map(\.scores.csat) == [1, 5, 1, nil])
        #expect(feedback.first.map { DateParsing.isoString($0.timestamp) } == "2026-11-20T10:00:00Z")
        #expect(ReaderVerifier.rejections(events).map(\.description) == ["ratings.csv: line 6: CSAT value \"Meh\" is not 1-5"])
        let undated = ReaderVerifier.rejections(ReaderVerifier.events(reader, "id,comment\n1,late\n", path: "u.csv"))
        #expect(undated.first?.reason.hasPrefix("no date column in the header") == true)
    }

    /// Excel where the list separator is ';' writes ratings with a decimal comma.
    @Test func decimalCommaRatings() {
        let events = ReaderVerifier.events(reader, "id;date;rating;comment\n1;2026-11-20;4,5;fine\n2;2026-11-20;4,5,1;odd\n", path: "r.csv")
        #expect(ReaderVerifier.feedback(events).map(\.scores.rating) == [4.5])
        #expect(ReaderVerifier.rejections(events).map(\.description) == ["r.csv: line 3: rating \"4,5,1\" is not 0-5"])
    }

    /// A configured column that is not in the header: nothing can be read, and every line is quarantined
    /// with the reason, so the file is accounted for line by line.
    @Test func aMissingConfiguredColumnQuarantinesEveryLine() {
        var mapping = SurveyColumnMapping()
        mapping.texts = ["Verbatim"]
        let events = ReaderVerifier.events(SurveyReader(mapping: mapping), "id,date,comment\n1,2026-11-20,late\n2,2026-11-20,slow\n", path: "m.csv")
        #expect(ReaderVerifier.feedback(events).isEmpty)
        #expect(ReaderVerifier.rejections(events).map(\.source.position) == ["line 1", "line 2", "line 3"])
        #expect(ReaderVerifier.rejections(events).allSatisfy { $0.reason.contains("\"Verbatim\"") })
    }

    @Test func malformedRowsAreRejectedWithLineAndReason() {
        let rejections = ReaderVerifier.rejections(ReaderVerifier.events(reader, Self.qualtrics, path: "q.csv"))
        #expect(rejections.map(\.description) == [
            "q.csv: line 8: NPS value \"11\" is not 0-10",
            "q.csv: line 9: expected 9 fields, found 7",
            "q.csv: line 10: unparseable date \"32/13/2026\"",
        ])
        #expect(rejections.allSatisfy { !$0.raw.isEmpty })
    }

    @Test func singleHeaderSemicolonExport() {
        let text = "id;submitted;nps;comment\n1;2026-11-16T10:00:00Z;9;Great app\n2;2026-11-16T11:00:00Z;3;Login keeps failing\n"
        let feedback = ReaderVerifier.feedback(ReaderVerifier.events(reader, text, path: "s.csv"))
        #expect(feedback.map(\.text) == ["Great app", "Login keeps failing"])
        #expect(feedback.map(\.scores.nps) == [9, 3])
    }

    /// A score cell is read from its leading digits, after any whitespace (a no-break space too); four
    /// digits, none, or a digit carrying a combining mark is no score.
    @Test func scoresAreReadFromTheirLeadingDigits() {
        let cells = [" 9", "10 - Extremely likely", "0 = Not at all likely", "\u{00A0}8", "\t7 ", "1000", "nine", "9\u{0301}"]
        let text = "id;submitted;nps;comment\n" + cells.enumerated().map { "\($0.offset);2026-11-16T10:00:00Z;\($0.element);text" }.joined(separator: "\n") + "\n"
        let events = ReaderVerifier.events(reader, text, path: "s.csv")
        #expect(ReaderVerifier.feedback(events).map(\.scores.nps) == [9, 10, 0, 8, 7])
        #expect(ReaderVerifier.rejections(events).map(\.source.position) == ["line 7", "line 8", "line 9"])
    }

    @Test func concatenatedBodiesReadTheSame() {
        let header = "id,submitted,nps,comment\n"
        let a = "1,2026-11-16,9,good\n"
        let b = "2,2026-11-16,3,bad\n"
        ReaderVerifier.checkConcatenation(reader, header + a, header + b, joined: header + a + b, path: "c.csv")
    }

    @Test func hostileInputs() { ReaderVerifier.checkHostile(reader, path: "h.csv") }

    static let surveyMonkeyJSON = #"""
        {"data":[
         {"id":"114","date_created":"2026-11-16T10:00:00+00:00","date_modified":"2026-11-16T10:05:00+00:00","email_address":"ann@example.com",
          "pages":[{"id":"p1","questions":[
            {"id":"q1","heading":"How likely is it that you would recommend us to a friend?","answers":[{"choice_id":"c9","simple_text":"9"}]},
            {"id":"q2","heading":"Why?","answers":[{"text":"Refund took three weeks"}]},
            {"id":"q3","heading":"Which products?","answers":[{"choice_id":"c1","simple_text":"Kettle"},{"other_id":"o1","text":"a toaster"}]}]}]},
         {"id":"115","date_modified":"2026-11-17T09:00:00+00:00",
          "pages":[{"id":"p1","questions":[{"id":"q1","answers":[{"choice_id":"c2","choice_metadata":{"weight":"2"}}],"family":"nps"}]}]},
         {"id":"116","pages":[]},
         7
        ],"per_page":50,"page":1,"total":4}
        """#

    /// SurveyMonkey's API JSON: each free-text question is a verbatim linked to the response; NPS from the
    /// recommend question's simple text or choice weight; a response without text is kept set aside.
    @Test func surveyMonkeyAPIResponses() {
        let file = SourceFile(path: "responses.json", data: Data(Self.surveyMonkeyJSON.utf8))
        #expect(reader.accepts(file))
        let events = reader.readAll(file)
        let feedback = ReaderVerifier.feedback(events)
        #expect(feedback.map(\.externalID) == ["114#q2", "114#q3", "115"])
        #expect(feedback.map(\.text) == ["Refund took three weeks", "a toaster", ""])
        #expect(feedback.map(\.scores.nps) == [9, 9, 2])
        #expect(feedback[0].customer != nil && feedback[2].setAside == "no free text")
        #expect(ReaderVerifier.rejections(events).map(\.description) == [
            "responses.json: response 3: response \"116\" has no readable date_modified or date_created",
            "responses.json: response 4: a response must be a JSON object",
        ])
    }

    @Test func hostileSurveyMonkeyJSON() { ReaderVerifier.checkHostile(reader, path: "h.json") }
}
