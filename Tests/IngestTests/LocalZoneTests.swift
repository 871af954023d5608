import Foundation
@testable import Ingest
import Testing

@Suite struct LocalZoneTests {
    static let newYork = LocalZone(identifier: "America/New_York")!

    func instant(_ iso: String) -> Date { DateParsing.parse(iso)! }

    /// Sunday 22:00 in New York is Monday 03:00 UTC: the next week in UTC, its own week in New York.
    @Test func weeksAreCountedInTheZone() {
        let sundayEvening = instant("2026-11-23T03:00:00Z")
        #expect(Week(containing: sundayEvening).description == "2026-W48")
        #expect(Week(containing: sundayEvening, in: Self.newYork).description == "2026-W47")
        #expect(Week(containing: sundayEvening, in: .utc).description == "2026-W48")
        // Monday 00:00 in Tokyo is still Sunday in UTC.
        #expect(Week(containing: instant("2026-11-22T15:00:00Z"), in: LocalZone(identifier: "Asia/Tokyo")!).description == "2026-W48")
        #expect(Self.newYork.start(of: Week("2026-W47")!) == instant("2026-11-16T05:00:00Z"))
    }

    /// A timestamp without a zone is a time in the zone; one with a zone, or an epoch count, is an instant.
    @Test(arguments: [
        ("2026-11-22 22:00", "2026-11-23T03:00:00Z"),
        ("2026-11-22T22:00:00", "2026-11-23T03:00:00Z"),
        ("11/22/2026 10:00 PM", "2026-11-23T03:00:00Z"),
        ("22.11.2026 22:00", "2026-11-23T03:00:00Z"),
        ("Sun, 22 Nov 2026 22:00:00", "2026-11-23T03:00:00Z"),
        ("2026-07-12 22:00", "2026-07-13T02:00:00Z"),  // summer time: four hours
        ("2026-11-22T22:00:00Z", "2026-11-22T22:00:00Z"),
        ("2026-11-22 22:00:00+01:00", "2026-11-22T21:00:00Z"),
        ("2026-11-22 22:00 UTC", "2026-11-22T22:00:00Z"),
        ("Sun, 22 Nov 2026 22:00:00 -0500", "2026-11-23T03:00:00Z"),
        ("Sun, 22 Nov 2026 22:00:00 GMT", "2026-11-22T22:00:00Z"),
        ("Sun Nov 22 22:00:00 +0000 2026", "2026-11-22T22:00:00Z"),
        ("1795384800", "2026-11-22T22:00:00Z"),
    ])
    func zonelessTimesAreReadInTheZone(_ text: String, _ expected: String) {
        #expect(DateParsing.parse(text, order: .monthFirst, zone: Self.newYork).map(DateParsing.isoString) == expected)
    }

    @Test func utcReadsEveryTimeAsBefore() {
        for text in ["2026-11-22 22:00", "11/22/2026 10:00 PM", "Sun, 22 Nov 2026 22:00:00", "2026-11-22T22:00:00-05:00"] {
            #expect(DateParsing.parse(text, order: .monthFirst, zone: .utc) == DateParsing.parse(text))
        }
    }

    /// In the hour clocks go back, a local time is the first of the two; in the hour they skip, an hour earlier.
    @Test func clockChanges() {
        #expect(DateParsing.isoString(Self.newYork.instant(ofWallClock: instant("2026-11-01T01:30:00Z"))) == "2026-11-01T05:30:00Z")
        #expect(DateParsing.isoString(Self.newYork.instant(ofWallClock: instant("2026-03-08T02:30:00Z"))) == "2026-03-08T06:30:00Z")
        #expect(DateParsing.isoString(Self.newYork.instant(ofWallClock: instant("2026-03-08T03:30:00Z"))) == "2026-03-08T07:30:00Z")
    }

    /// The local time an export shows beside the instant: its wall clock and offset, on either side of a
    /// clock change, in zones a half hour off the hour, and `Z` in UTC.
    @Test func localTimesWithTheirOffset() {
        #expect(Self.newYork.isoString(instant("2026-11-23T03:00:00Z")) == "2026-11-22T22:00:00-05:00")
        #expect(Self.newYork.isoString(instant("2026-07-13T02:00:00Z")) == "2026-07-12T22:00:00-04:00")
        // 01:30 twice on the night clocks go back.
        #expect(Self.newYork.isoString(instant("2026-11-01T05:30:00Z")) == "2026-11-01T01:30:00-04:00")
        #expect(Self.newYork.isoString(instant("2026-11-01T06:30:00Z")) == "2026-11-01T01:30:00-05:00")
        #expect(LocalZone(identifier: "Asia/Kolkata")!.isoString(instant("2026-11-22T22:00:00Z")) == "2026-11-23T03:30:00+05:30")
        #expect(LocalZone(identifier: "America/St_Johns")!.isoString(instant("2026-11-22T22:00:00Z")) == "2026-11-22T18:30:00-03:30")
        #expect(LocalZone.utc.isoString(instant("2026-11-22T22:00:00Z")) == "2026-11-22T22:00:00Z")
    }

    @Test func zoneNames() {
        #expect(LocalZone(identifier: "UTC") == .utc)
        #expect(LocalZone(identifier: "Europe/London")?.identifier == "Europe/London")
        #expect(LocalZone(identifier: "EST") == nil)  // an abbreviation does not say which rules
        #expect(LocalZone(identifier: "Mars/Olympus_Mons") == nil)
        #expect(LocalZone(identifier: "") == nil)
    }

    /// A transcript's times alone take the date in its file name, in the zone.
    @Test func transcriptTimesAloneAreLocal() throws {
        let file = SourceFile(path: "chat-2026-11-22.txt", data: Data("[10:00 PM] Anna: my parcel is late again\n".utf8))
        let (conversations, rejections) = PlainTranscript.read(file, zone: Self.newYork)
        #expect(rejections.isEmpty)
        #expect(conversations.first?.turns.first.map { DateParsing.isoString($0.time) } == "2026-11-23T03:00:00Z")
    }
}
