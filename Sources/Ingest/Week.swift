public import Foundation

/// An ISO 8601 week (Monday to Sunday, week 1 holds the year's first Thursday), e.g. `2026-W47`.
public struct Week: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let year: Int
    public let number: Int

    public init(year: Int, number: Int) {
        self.year = year
        self.number = number
    }

    /// The ISO week that holds `date` where the business is: its local date in `zone`.
    public init(containing date: Date, in zone: LocalZone) {
        self.init(containing: zone.wallClock(of: date))
    }

    /// The ISO week that holds `date` (in UTC). Plain day arithmetic: every stored record asks for its week,
    /// and `Calendar` was a measurable share of ingest; a test checks it against `Calendar` day by day.
    public init(containing date: Date) {
        let days = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        let weekday = Week.mondayBased(days)
        let thursday = days - weekday + 3  // the ISO week belongs to the year of its Thursday
        let year = DateParsing.civilFromDays(thursday).year
        self.init(year: year, number: (thursday - DateParsing.daysFromCivil(year, 1, 1)) / 7 + 1)
    }

    /// 0 for Monday ... 6 for Sunday, of a day counted from 1970-01-01 (a Thursday).
    static func mondayBased(_ days: Int) -> Int { ((days + 3) % 7 + 7) % 7 }

    /// Parses `2026-W47` (also `2026W47`, `2026-w47`).
    public init?(_ text: String) {
        let parts = text.uppercased().replacingOccurrences(of: "-", with: "").split(separator: "W")
        guard parts.count == 2, let year = Int(parts[0]), let number = Int(parts[1]), (1...53).contains(number)
        else { return nil }
        self.init(year: year, number: number)
    }

    public var description: String {
        // Written byte by byte for four-digit years: the store writes one per record, and interpolation
        // cost a thousand instructions each.
        guard (1000...9999).contains(year), (0...99).contains(number) else { return "\(year)-W\(number < 10 ? "0" : "")\(number)" }
        return String(unsafeUninitializedCapacity: 8) { out in
            func digit(_ value: Int) -> UInt8 { 0x30 + UInt8(value) }
            (out[0], out[1], out[2], out[3]) = (digit(year / 1000), digit(year / 100 % 10), digit(year / 10 % 10), digit(year % 10))
            (out[4], out[5], out[6], out[7]) = (0x2D, 0x57, digit(number / 10), digit(number % 10))  // "-W"
            return 8
        }
    }

    /// Monday 00:00 UTC of this week.
    public var start: Date {
        let january4 = DateParsing.daysFromCivil(year, 1, 4)  // always in week 1
        let monday = january4 - Week.mondayBased(january4) + (number - 1) * 7
        return Date(timeIntervalSince1970: Double(monday) * 86_400)
    }

    /// The week `offset` weeks later (earlier when negative).
    public func adding(_ offset: Int) -> Week {
        Week(containing: start.addingTimeInterval(Double(offset) * 7 * 86_400 + 3_600))
    }

    /// Whole weeks from `self` to `other` (positive when `other` is later).
    public func distance(to other: Week) -> Int {
        Int((other.start.timeIntervalSince(start) / (7 * 86_400)).rounded())
    }

    public static func < (lhs: Week, rhs: Week) -> Bool {
        (lhs.year, lhs.number) < (rhs.year, rhs.number)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let week = Week(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a week"))
        }
        self = week
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// The time zone the business counts its weeks in (`timezone` in voc.yaml; UTC unless set): a week runs from
/// Monday 00:00 to Sunday 24:00 there, and a timestamp written without a zone is a time there.
public struct LocalZone: Sendable, Equatable, CustomStringConvertible {
    public let zone: TimeZone
    /// UTC's fast path: no offset to ask the zone database for, once per record.
    private let isUTC: Bool

    public static let utc = LocalZone(TimeZone(identifier: "UTC")!)

    public init(_ zone: TimeZone) {
        self.zone = zone
        isUTC = zone.identifier == "UTC" || zone.identifier == "GMT"
    }

    /// A zone by its IANA name ("Europe/London", "America/New_York") or "UTC"; nil for a name the system's
    /// zone database does not know. (Abbreviations such as "EST" are refused: they do not say which rules.)
    public init?(identifier: String) {
        guard identifier == "UTC" || identifier.contains("/"), let zone = TimeZone(identifier: identifier) else { return nil }
        self.init(zone)
    }

    public var identifier: String { isUTC ? "UTC" : zone.identifier }
    public var description: String { identifier }

    /// The local wall-clock time of `date`, written as if it were UTC (so plain day arithmetic gives its date).
    public func wallClock(of date: Date) -> Date {
        isUTC ? date : date.addingTimeInterval(Double(zone.secondsFromGMT(for: date)))
    }

    /// The instant a local wall-clock time (written as if it were UTC) stands for. In the hour a clock goes
    /// back, the first of the two; in the hour it skips, the time an hour earlier.
    public func instant(ofWallClock wallClock: Date) -> Date {
        guard !isUTC else { return wallClock }
        let guess = wallClock.addingTimeInterval(-Double(zone.secondsFromGMT(for: wallClock)))
        return wallClock.addingTimeInterval(-Double(zone.secondsFromGMT(for: guess)))
    }

    /// Days since 1970-01-01 of `date`'s local date.
    public func day(of date: Date) -> Int {
        Int((wallClock(of: date).timeIntervalSince1970 / 86_400).rounded(.down))
    }

    /// Monday 00:00 of `week`, local time.
    public func start(of week: Week) -> Date { instant(ofWallClock: week.start) }

    /// `date` as the local time and its offset from UTC, ISO 8601: `2026-11-22T22:00:00-05:00` (`Z` in UTC),
    /// what an analyst in the business's zone reads next to the stored instant.
    public func isoString(_ date: Date) -> String {
        guard !isUTC else { return DateParsing.isoString(date) }
        let offset = zone.secondsFromGMT(for: date)
        let local = DateParsing.isoString(date.addingTimeInterval(Double(offset))).dropLast()  // its "Z"
        let minutes = abs(offset) / 60
        return local + (offset < 0 ? "-" : "+") + DateParsing.two(minutes / 60) + ":" + DateParsing.two(minutes % 60)
    }

    public static func == (lhs: LocalZone, rhs: LocalZone) -> Bool { lhs.identifier == rhs.identifier }
}
