public import Foundation

/// An ISO 8601 week (Monday to Sunday, week 1 holds the year's first Thursday), e.g. `2026-W47`.
public struct Week: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let year: Int
    public let number: Int

    public init(year: Int, number: Int) {
        self.year = year
        self.number = number
    }

    /// The ISO week that holds `date` (in UTC). Plain day arithmetic: every stored record asks for its week,
    /// and `Calendar` was a measurable share of ingest; a test checks it against `Calendar` day by day.
    public init(containing date: Date) {
        let days = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        let weekday = Week.mondayBased(days)
        let thursday = days - weekday + 3  // the ISO week belongs to the year of its Thursday
        let year = Week.civilYear(thursday)
        self.init(year: year, number: (thursday - Week.days(year: year, month: 1, day: 1)) / 7 + 1)
    }

    /// 0 for Monday ... 6 for Sunday, of a day counted from 1970-01-01 (a Thursday).
    static func mondayBased(_ days: Int) -> Int { ((days + 3) % 7 + 7) % 7 }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The Gregorian year of a day counted from 1970-01-01 (Hinnant's civil_from_days, year only).
    static func civilYear(_ days: Int) -> Int {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        return yearOfEra + era * 400 + (monthIndex >= 10 ? 1 : 0)
    }

    /// Parses `2026-W47` (also `2026W47`, `2026-w47`).
    public init?(_ text: String) {
        let parts = text.uppercased().replacingOccurrences(of: "-", with: "").split(separator: "W")
        guard parts.count == 2, let year = Int(parts[0]), let number = Int(parts[1]), (1...53).contains(number)
        else { return nil }
        self.init(year: year, number: number)
    }

    public var description: String { "\(year)-W\(number < 10 ? "0" : "")\(number)" }

    /// Monday 00:00 UTC of this week.
    public var start: Date {
        let january4 = Week.days(year: year, month: 1, day: 4)  // always in week 1
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
