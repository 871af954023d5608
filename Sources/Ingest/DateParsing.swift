public import Foundation

/// Timestamps as found in exports: ISO 8601 (with or without zone or fraction), `YYYY-MM-DD HH:MM:SS`,
/// US `MM/DD/YYYY HH:MM` (day first when the first number cannot be a month: `20/11/2026`), European
/// `DD.MM.YYYY HH:MM`, RFC 5322 email dates, and Unix epoch seconds or milliseconds.
public enum DateParsing {
    /// Which number of a slash date is the month when either could be (`05/11/2026`): US exports write the
    /// month first, Excel in most of Europe the day.
    public enum Order: String, Sendable {
        case monthFirst = "month_first", dayFirst = "day_first"
    }

    /// Feedback is dated between 1970 and 2200; anything outside is a misread field, and refusing it
    /// keeps every later date computation far from integer overflow (found by fuzzing).
    static let plausible = 0.0..<7_258_118_400.0

    public static func parse(_ text: String) -> Date? { parse(text, order: .monthFirst) }

    /// `parse`, a time without a zone read as a time in `zone`.
    public static func parse(_ text: String, zone: LocalZone) -> Date? { parse(text, order: .monthFirst, zone: zone) }

    /// `order` decides slash dates that could be read either way; one whose first number is over 12 is
    /// always day first, one whose second is over 12 always month first. A timestamp without a zone is read
    /// as a time in `zone` (the `timezone` setting: most survey and search exports write local times).
    public static func parse(_ text: String, order: Order, zone: LocalZone = .utc) -> Date? {
        let value = text.trimmingCharactersInWhitespace()
        guard !value.isEmpty, value.utf8.count <= 64 else { return nil }
        var date: Date?
        var zoned = true
        if let iso = iso(value) {
            date = iso
            zoned = isoHasZone(value)
        } else if value.allSatisfy(\.isNumber), let number = Double(value) {
            date = Date(timeIntervalSince1970: number > 1e11 ? number / 1000 : number)  // an instant
        } else if let us = usDate(value, order: order) {
            date = us
            zoned = false
        } else if let mail = rfc5322(value) {
            date = mail
            zoned = rfc5322HasZone(value)
        } else {
            date = twitter(value)
        }
        if !zoned, let wallClock = date { date = zone.instant(ofWallClock: wallClock) }
        return date.flatMap { plausible.contains($0.timeIntervalSince1970) ? $0 : nil }
    }

    /// Whether an ISO 8601 timestamp names its zone: "Z", an offset, or "UTC"/"GMT" after the date.
    static func isoHasZone(_ text: String) -> Bool {
        text.utf8.dropFirst(10).contains { $0 == 0x5A || $0 == 0x7A || $0 == 0x2B || $0 == 0x2D || $0 == 0x55 || $0 == 0x47 }
    }

    /// Whether an RFC 5322 date names its zone: a word after the time of day ("22:00 -0500", "22:00 GMT").
    static func rfc5322HasZone(_ text: String) -> Bool {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "," })
        guard let time = words.firstIndex(where: { $0.contains(":") }) else { return false }
        return time < words.index(before: words.endIndex)
    }

    /// Fast path for `2026-11-20`, `2026-11-20T10:00:00Z`, `2026-11-20 10:00:00+01:00`, with optional fraction.
    static func iso(_ text: String) -> Date? {
        // On the string's own bytes: copying them into an array was a third of reading a chat turn's time.
        var text = text
        return text.withUTF8 { iso(bytes: $0) }
    }

    private static func iso(bytes u: UnsafeBufferPointer<UInt8>) -> Date? {
        func num(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= u.count else { return nil }
            var n = 0
            for i in from..<(from + count) {
                guard u[i] >= 48, u[i] <= 57 else { return nil }
                n = n * 10 + Int(u[i] - 48)
            }
            return n
        }
        guard u.count >= 10, u[4] == 45, u[7] == 45, let year = num(0, 4), let month = num(5, 2), let day = num(8, 2),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var hour = 0, minute = 0, second = 0
        var i = 10
        if u.count > 10 {
            guard u[10] == 84 || u[10] == 32, let h = num(11, 2), u.count > 13, u[13] == 58, let m = num(14, 2)
            else { return nil }
            hour = h
            minute = m
            i = 16
            if u.count > 16, u[16] == 58, let s = num(17, 2) {
                second = s
                i = 19
            }
            if i < u.count, u[i] == 46 || u[i] == 44 {
                i += 1
                while i < u.count, u[i] >= 48, u[i] <= 57 { i += 1 }
            }
        }
        var offset = 0
        if i < u.count {
            if u[i] == 32 { i += 1 }
            if i < u.count, u[i] == 90 {
                i += 1
            } else if u.count - i == 3, (u[i], u[i + 1], u[i + 2]) == (85, 84, 67) || (u[i], u[i + 1], u[i + 2]) == (71, 77, 84) {
                i += 3  // "UTC" or "GMT" spelled out, as Zendesk and many log exports write it
            } else if i < u.count, u[i] == 43 || u[i] == 45 {
                let sign = u[i] == 45 ? -1 : 1
                guard let oh = num(i + 1, 2) else { return nil }
                var om = 0
                if let m = num(i + 4, 2), u[i + 3] == 58 {
                    om = m
                    i += 6
                } else if let m = num(i + 3, 2) {
                    om = m
                    i += 5
                } else {
                    i += 3
                }
                offset = sign * (oh * 3600 + om * 60)
            }
            guard i == u.count else { return nil }
        }
        guard hour < 24, minute < 60, second < 61 else { return nil }
        let days = daysFromCivil(year, month, day)
        return Date(timeIntervalSince1970: Double(days * 86_400 + hour * 3600 + minute * 60 + second - offset))
    }

    /// `11/20/2026 10:05` (Qualtrics and SurveyMonkey exports), taken as UTC. A slash date whose first
    /// number cannot be a month is day first (`20/11/2026`, as Excel writes it in most of Europe); one that
    /// could be either (`01/02/2026`) stays month first. Dotted dates (`20.11.2026 10:05`) are day first.
    static func usDate(_ text: String, order: Order = .monthFirst) -> Date? {
        let dotted = !text.containsByte(0x2F)
        guard !dotted || text.containsByte(0x2E) else { return nil }
        let separator: Character = dotted ? "." : "/"
        let parts = text.split(whereSeparator: { $0 == " " || $0 == separator || $0 == ":" }).map { Int($0) }
        guard parts.count >= 3, var month = parts[0], var day = parts[1], var year = parts[2] else { return nil }
        if dotted || (month > 12 && day <= 12) || (order == .dayFirst && month <= 12 && day <= 12) { swap(&month, &day) }
        guard (1...12).contains(month), (1...31).contains(day), (0...9999).contains(year) else { return nil }
        if year < 100 { year += 2000 }
        var seconds = daysFromCivil(year, month, day) * 86_400
        if parts.count >= 5, let h = parts[3], let m = parts[4] {
            guard (0..<24).contains(h), (0..<60).contains(m) else { return nil }
            seconds += h * 3600 + m * 60
        }
        if text.uppercased().hasSuffix("PM"), parts.count >= 5, let h = parts[3], h < 12 { seconds += 12 * 3600 }
        return Date(timeIntervalSince1970: Double(seconds))
    }

    /// What a column's values say of their slash dates' order: a first number over 12 means day first, a
    /// second over 12 month first; nil when none says (or they disagree). Reads at most `limit` values and
    /// gives up after `giveUpAfter` that hold no slash date (an ISO column).
    public static func order(evidencedBy values: some Sequence<String>, limit: Int = 5_000, giveUpAfter: Int = 100) -> Order? {
        var dayFirst = false, monthFirst = false, read = 0, slashDates = 0
        for value in values {
            read += 1
            if read > limit || (slashDates == 0 && read > giveUpAfter) { break }
            let parts = value.split(whereSeparator: { $0 == "/" || $0 == " " }).prefix(3)
            // Day and month only: a year first (2026/11/16) says nothing of their order.
            guard parts.count == 3, value.containsByte(0x2F), let first = Int(parts[parts.startIndex]), let second = Int(parts[parts.startIndex + 1]),
                (1...31).contains(first), (1...31).contains(second)
            else { continue }
            slashDates += 1
            if first > 12, second <= 12 { dayFirst = true }
            if second > 12, first <= 12 { monthFirst = true }
            if dayFirst && monthFirst { break }  // a mixed column: neither order holds
        }
        return dayFirst == monthFirst ? nil : dayFirst ? .dayFirst : .monthFirst
    }

    /// The Monday of an ISO week (`2026-W47`) or a date (`2026-11-16`) found in a file name: the date of
    /// records that carry none of their own (search-terms tables, transcripts with times alone).
    static func dateInFileName(_ path: String) -> Date? {
        let name = (path as NSString).lastPathComponent
        if let range = name.range(of: #"\d{4}-W\d{2}"#, options: .regularExpression), let week = Week(String(name[range])) {
            return week.start
        }
        if let range = name.range(of: #"\d{4}-\d{2}-\d{2}"#, options: .regularExpression) { return parse(String(name[range])) }
        return nil
    }

    /// `dateInFileName` as the start of that day in `zone`.
    static func dateInFileName(_ path: String, zone: LocalZone) -> Date? {
        dateInFileName(path).map(zone.instant(ofWallClock:))
    }

    /// Seconds into the day of a time alone: `10:05`, `10:05:12`, `10:05 AM`, `12:30pm`. Nil for anything else.
    public static func timeOfDay(_ text: String) -> Int? {
        var value = text.trimmingSpaces().lowercasedOnBytes()
        var shift: Int?
        for (suffix, add) in [("am", 0), ("pm", 12)] where value.hasSuffix(suffix) {
            value = String(value.dropLast(2)).trimmingSpaces()
            shift = add
        }
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            var hour = Int(parts[0]), let minute = Int(parts[1]), let second = parts.count == 3 ? Int(parts[2]) : 0,
            minute < 60, second < 60
        else { return nil }
        if let shift {
            guard (1...12).contains(hour) else { return nil }
            hour = hour % 12 + shift
        }
        guard hour < 24 else { return nil }
        return hour * 3600 + minute * 60 + second
    }

    /// RFC 5322 `Date:` values, tolerant of a missing weekday, seconds or zone, and of obsolete zone names.
    static func rfc5322(_ text: String) -> Date? {
        var text = text
        if let ascii = text.withUTF8({ asciiRFC5322($0) }) { return ascii }
        return anyRFC5322(text)
    }

    /// `rfc5322` for ASCII text (every Date header seen), on its bytes: the same steps without a String or
    /// a Character per word, which were most of an email's date parsing. nil: not ASCII, ask `anyRFC5322`;
    /// `.some(nil)`: not a date.
    static func asciiRFC5322(_ bytes: UnsafeBufferPointer<UInt8>) -> Date?? {
        guard bytes.isASCII else { return nil }
        var words: [Range<Int>] = []
        words.reserveCapacity(6)
        var start: Int?
        for i in 0...bytes.count {
            let separator = i == bytes.count || bytes[i] == 0x2C || bytes[i] == 0x20
            if separator, let s = start {
                words.append(s..<i)
                start = nil
                if words.count == 6 { break }  // a weekday, four fields and a zone: the rest is never read
            } else if !separator, start == nil {
                start = i
            }
        }
        func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
        func month(_ word: Range<Int>) -> Int? {
            guard word.count >= 3 else { return nil }
            let key = (0..<3).reduce(UInt32(0)) { key, k in
                let b = bytes[word.lowerBound + k]
                return key << 8 | UInt32(b.asciiLowercased)
            }
            return monthKeys.firstIndex(of: key).map { $0 + 1 }
        }
        // As `Int(String)`: an optional sign, then at least one digit, nothing else, no overflow.
        func integer(_ range: Range<Int>) -> Int? {
            var i = range.lowerBound
            var negative = false
            if i < range.upperBound, bytes[i] == 0x2B || bytes[i] == 0x2D {
                negative = bytes[i] == 0x2D
                i += 1
            }
            guard i < range.upperBound else { return nil }
            var value = 0
            while i < range.upperBound {
                let digit = Int(bytes[i]) - 0x30
                guard (0...9).contains(digit) else { return nil }
                let (times, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
                guard !o1, !o2 else { return nil }
                value = sum
                i += 1
            }
            return value
        }
        if let first = words.first, first.count == 3, isLetter(bytes[first.lowerBound]), month(first) == nil {
            words.removeFirst()
        }
        guard words.count >= 4, let day = integer(words[0]), let month = month(words[1]), var year = integer(words[2])
        else { return .some(nil) }
        if year < 50 { year += 2000 } else if year < 100 { year += 1900 }
        // The clock's numbers (pieces between colons that are numbers), the first three of them kept: no array
        // per date.
        var clock = (0, 0, 0)
        var clockCount = 0
        var piece = words[3].lowerBound
        for i in words[3].lowerBound...words[3].upperBound where i == words[3].upperBound || bytes[i] == 0x3A {
            if i > piece, let value = integer(piece..<i) {
                switch clockCount {
                case 0: clock.0 = value
                case 1: clock.1 = value
                case 2: clock.2 = value
                default: break
                }
                clockCount += 1
            }
            piece = i + 1
        }
        guard clockCount >= 2, (1...31).contains(day), (0...9999).contains(year), (0..<24).contains(clock.0),
            (0..<60).contains(clock.1), clockCount == 2 || (0..<61).contains(clock.2)
        else { return .some(nil) }
        var seconds = daysFromCivil(year, month, day) * 86_400 + clock.0 * 3600 + clock.1 * 60
        if clockCount > 2 { seconds += clock.2 }
        if words.count > 4 {
            let zone = words[4]
            // "+0100" read in place; anything else (a zone name) as `zoneOffset` reads it.
            if zone.count == 5, bytes[zone.lowerBound] == 0x2B || bytes[zone.lowerBound] == 0x2D,
                let value = integer((zone.lowerBound + 1)..<zone.upperBound)
            {
                seconds -= (bytes[zone.lowerBound] == 0x2D ? -1 : 1) * ((value / 100) * 3600 + (value % 100) * 60)
            } else {
                seconds -= zoneOffset(String(decoding: UnsafeBufferPointer(rebasing: bytes[zone]), as: UTF8.self))
            }
        }
        return .some(Date(timeIntervalSince1970: Double(seconds)))
    }

    /// `rfc5322` by Character, for text that is not ASCII.
    static func anyRFC5322(_ text: String) -> Date? {
        // Split on bytes (both separators are ASCII): by Character it was most of an email's date parsing.
        var words = text.utf8.split(whereSeparator: { $0 == 0x2C || $0 == 0x20 }).map { String(text[$0.startIndex..<$0.endIndex]) }
        if let first = words.first, first.count == 3, first.first?.isLetter == true, monthNumber(first) == nil {
            words.removeFirst()
        }
        guard words.count >= 4, let day = Int(words[0]), let month = monthNumber(words[1]), var year = Int(words[2])
        else { return nil }
        if year < 50 { year += 2000 } else if year < 100 { year += 1900 }
        let clock = words[3].split(separator: ":").compactMap { Int($0) }
        guard clock.count >= 2, (1...31).contains(day), (0...9999).contains(year), (0..<24).contains(clock[0]),
            (0..<60).contains(clock[1]), clock.count == 2 || (0..<61).contains(clock[2])
        else { return nil }
        var seconds = daysFromCivil(year, month, day) * 86_400 + clock[0] * 3600 + clock[1] * 60
        if clock.count > 2 { seconds += clock[2] }
        if words.count > 4 { seconds -= zoneOffset(words[4]) }
        return Date(timeIntervalSince1970: Double(seconds))
    }

    /// Twitter's `created_at`: `Tue Oct 31 22:10:47 +0000 2017`.
    static func twitter(_ text: String) -> Date? {
        let words = text.split(separator: " ").map(String.init)
        guard words.count == 6, monthNumber(words[1]) != nil else { return nil }
        return rfc5322([words[2], words[1], words[5], words[3], words[4]].joined(separator: " "))
    }

    static func zoneOffset(_ zone: String) -> Int {
        if let first = zone.first, first == "+" || first == "-", zone.count == 5, let value = Int(zone.dropFirst()) {
            return (first == "-" ? -1 : 1) * ((value / 100) * 3600 + (value % 100) * 60)
        }
        return (namedZones[zone.uppercased()] ?? 0) * 3600
    }

    /// RFC 5322's obsolete zone names, in hours east of UTC.
    static let namedZones = ["UT": 0, "GMT": 0, "Z": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7]

    static func monthNumber(_ name: String) -> Int? {
        // An ASCII name is matched on its first three bytes, lowercased (every email's Date header asks
        // twice: building and lowercasing a String for it was a visible share of date parsing).
        var key: UInt32 = 0
        var count = 0
        // Four bytes: a non-ASCII fourth could be a mark that joins the third letter into one Character.
        for b in name.utf8.prefix(4) {
            guard b < 0x80 else { return months.firstIndex(of: String(name.prefix(3)).lowercasedOnBytes()).map { $0 + 1 } }
            guard count < 3 else { break }
            key = key << 8 | UInt32(b.asciiLowercased)
            count += 1
        }
        guard count == 3 else { return nil }
        return monthKeys.firstIndex(of: key).map { $0 + 1 }
    }

    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let monthKeys: [UInt32] = months.map { $0.utf8.reduce(0) { $0 << 8 | UInt32($1) } }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The proleptic Gregorian date of a day counted from 1970-01-01 (Howard Hinnant's algorithm).
    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `n` (0...99) in two digits, as ISO 8601 writes months, days, hours and offsets.
    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// `2026-11-20T10:00:00Z`.
    public static func isoString(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        var days = seconds / 86_400
        var rest = seconds % 86_400
        if rest < 0 {
            rest += 86_400
            days -= 1
        }
        let (year, month, day) = civilFromDays(days)
        return "\(year)-\(two(month))-\(two(day))T\(two(rest / 3600)):\(two(rest % 3600 / 60)):\(two(rest % 60))Z"
    }
}
