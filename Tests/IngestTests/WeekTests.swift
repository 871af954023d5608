import Foundation
@testable import Ingest
import Testing

@Suite struct WeekTests {
    @Test(arguments: [
        ("2026-01-01T12:00:00Z", "2026-W01"),  // a Thursday
        ("2026-12-31T12:00:00Z", "2026-W53"),
        ("2027-01-03T12:00:00Z", "2026-W53"),
        ("2027-01-04T00:00:00Z", "2027-W01"),
        ("2026-11-16T00:00:00Z", "2026-W47"),
        ("2026-11-22T23:59:59Z", "2026-W47"),
    ])
    func isoWeeks(_ iso: String, _ week: String) {
        #expect(Week(containing: DateParsing.parse(iso)!).description == week)
    }

    /// The day arithmetic agrees with Foundation's ISO 8601 calendar on every day from 1899 to 2201, at
    /// midnight and one second before the next, and `start` is that week's Monday.
    @Test func agreesWithTheISOCalendarEveryDay() {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var mismatches: [String] = []
        for day in -25_567...84_000 {
            for second in [0.0, 86_399.0] {
                let date = Date(timeIntervalSince1970: Double(day) * 86_400 + second)
                let parts = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
                let week = Week(containing: date)
                if week.year != parts.yearForWeekOfYear || week.number != parts.weekOfYear { mismatches.append("\(date)") }
            }
            if calendar.component(.weekday, from: Date(timeIntervalSince1970: Double(day) * 86_400)) == 2 {
                let monday = Date(timeIntervalSince1970: Double(day) * 86_400)
                if Week(containing: monday).start != monday { mismatches.append("start of \(monday)") }
            }
        }
        #expect(mismatches.count == 0, "first: \(mismatches.prefix(3))")
    }

    @Test func arithmetic() {
        let week = Week("2026-W47")!
        #expect(week.adding(-1).description == "2026-W46")
        #expect(week.adding(7).description == "2027-W01")
        #expect(week.distance(to: Week("2027-W01")!) == 7)
        #expect(Week("2026-W54") == nil)
        #expect(Week("nonsense") == nil)
    }

    /// Four-digit years are written byte by byte; others the general way, and both read back.
    @Test func namesReadBack() {
        for week in [Week(year: 2026, number: 9), Week(year: 1999, number: 52), Week(year: 999, number: 5), Week(year: 12026, number: 10)] {
            #expect(Week(week.description) == week, "\(week)")
        }
        #expect([Week(year: 2026, number: 9), Week(year: 999, number: 5)].map(\.description) == ["2026-W09", "999-W05"])
    }
}

@Suite struct DateParsingTests {
    @Test(arguments: [
        ("2026-11-20T10:00:00Z", 1_795_168_800.0),
        ("2026-11-20 10:00:00", 1_795_168_800.0),
        ("2026-11-20T11:00:00+01:00", 1_795_168_800.0),
        ("2026-11-20T10:00:00.123Z", 1_795_168_800.0),
        ("2026-11-20 10:00:00 UTC", 1_795_168_800.0),
        ("2026-11-20 11:00:00 +0100", 1_795_168_800.0),
        ("Fri, 20 Nov 2026 10:00:00 +0000", 1_795_168_800.0),
        ("20 Nov 2026 05:00:00 EST", 1_795_168_800.0),
        ("11/20/2026 10:00", 1_795_168_800.0),
        ("20/11/2026 10:00", 1_795_168_800.0),  // cannot be month first: day first
        ("20.11.2026 10:00", 1_795_168_800.0),  // dotted: day first
        ("11/10/2026", 1_794_268_800.0),  // either: month first, as documented
        ("1795168800", 1_795_168_800.0),
        ("1795168800000", 1_795_168_800.0),
    ])
    func parses(_ text: String, _ seconds: Double) {
        #expect(DateParsing.parse(text)?.timeIntervalSince1970 == seconds)
    }

    /// A slash date either way round follows the order asked for; one that can only be one way is read so.
    @Test func slashDatesFollowTheOrderAskedFor() {
        #expect(DateParsing.parse("05/11/2026", order: .dayFirst)?.timeIntervalSince1970 == 1_793_836_800)  // 5 November
        #expect(DateParsing.parse("05/11/2026", order: .monthFirst)?.timeIntervalSince1970 == 1_778_457_600)  // 11 May
        #expect(DateParsing.parse("11/16/2026", order: .dayFirst)?.timeIntervalSince1970 == 1_794_787_200)  // only month first
        #expect(DateParsing.parse("16/11/2026", order: .monthFirst)?.timeIntervalSince1970 == 1_794_787_200)  // only day first
    }

    /// A column's own dates tell their order: a first number over 12 day first, a second over 12 month
    /// first; nothing when none tells, when they disagree, or when the first values hold no slash date.
    @Test func aColumnsDatesTellTheirOrder() {
        #expect(DateParsing.order(evidencedBy: ["05/11/2026 10:00", "16/11/2026 09:00"]) == .dayFirst)
        #expect(DateParsing.order(evidencedBy: ["05/11/2026", "11/16/2026"]) == .monthFirst)
        #expect(DateParsing.order(evidencedBy: ["01/02/2026", "03/04/2026"]) == nil)
        #expect(DateParsing.order(evidencedBy: ["16/11/2026", "11/16/2026"]) == nil)
        #expect(DateParsing.order(evidencedBy: Array(repeating: "2026-11-16", count: 200) + ["16/11/2026"]) == nil)
        #expect(DateParsing.order(evidencedBy: ["", "n/a", "16/11/2026"]) == .dayFirst)
        #expect(DateParsing.order(evidencedBy: ["2026/11/16", "2026/11/05"]) == nil)
    }

    @Test(arguments: ["", "32 Foo 2026 25:61", "2026-13-01", "yesterday-ish", "13/13/2026", "10.0.0.1"])
    func refuses(_ text: String) { #expect(DateParsing.parse(text) == nil) }

    /// Month names are read from their first three letters, in any case; a mark joined to the third letter
    /// makes it another letter (the ASCII fast path must see that too).
    @Test(arguments: [("Nov", 11), ("NOVEMBER", 11), ("nov.", 11), ("Jan", 1), ("deC", 12), ("No", nil), ("Nox", nil),
                      ("Ñov", nil), ("jan\u{301}", nil), ("jan\u{301}x", nil), ("Maybe", 5)] as [(String, Int?)])
    func monthNames(_ name: String, _ month: Int?) { #expect(DateParsing.monthNumber(name) == month) }

    /// Date headers are read on their bytes when they are ASCII; that path gives what the Character path
    /// gives, on real shapes and on random ones built from their pieces (signs, missing fields, odd zones).
    @Test func asciiDateHeadersAgreeWithTheCharacterPath() {
        func same(_ text: String) {
            let bytes = Array(text.utf8).withUnsafeBufferPointer { DateParsing.asciiRFC5322($0) }
            #expect(bytes == .some(DateParsing.anyRFC5322(text)), "\(text)")
        }
        for text in ["Mon, 16 Nov 2026 10:00:00 +0100", "16 Nov 2026 10:00 GMT", "Tue, 1 Dec 26 23:59:60 -0800", "Wed,  2 Dec 2026 7:05:09 pdt",
                     "Thu, 3 December 2026 10:00:00 +0000 (UTC)", "Mon, 16 Nov 2026", "Mon 16 Nov 2026 10:00:00", "", ",,,", "Foo, 16 Nov 2026 10:00:00"] {
            same(text)
        }
        let pieces = ["Mon", "mon", "Nov", "nov", "November", "Xyz", "16", "1", "+5", "-5", "0", "32", "2026", "99", "49", "10000", "10:00:00",
                      "10:00", "23:59:60", "24:00", "10::30", ":10:30:", "+0100", "-0800", "+-100", "-+100", "+01", "+01000", "+9999", "-0000", "GMT", "pdt", "Z", "x", "99999999999999999999"]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let text = (0..<Int.random(in: 1...7, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }
                .joined(separator: [" ", ", ", ",", "  "].randomElement(using: &rng)!)
            same(text)
        }
        #expect(Array("Lun, 16 nov. 2026 10:00 +0100 é".utf8).withUnsafeBufferPointer { DateParsing.asciiRFC5322($0) } == nil)
    }
}
