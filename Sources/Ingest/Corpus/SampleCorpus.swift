import Foundation

/// Seeded generator of a realistic multi-channel corpus in the real file formats, with planted themes
/// and a ground-truth sidecar (`truth/<week>.tsv`: channel, external id, planted theme, polarity, second theme).
///
/// Same plan and seed, same bytes. Writes week by week through small buffers, so a million messages
/// need no more memory than a thousand.
public struct SampleCorpus: Sendable {
    public var messages: Int
    public var weeks: Int
    public var seed: UInt64
    /// The last (complete) week of the corpus; fixed so the output never depends on today's date.
    public var lastWeek: Week
    /// Share of records written malformed on purpose, per channel.
    public var malformedRate: Double

    public init(messages: Int, weeks: Int, seed: UInt64, lastWeek: Week = Week(year: 2026, number: 47), malformedRate: Double = 0.01) {
        self.messages = messages
        self.weeks = weeks
        self.seed = seed
        self.lastWeek = lastWeek
        self.malformedRate = malformedRate
    }

    /// Share of customer messages per channel.
    static let channelMix: [(Channel, Double)] = [(.survey, 0.30), (.email, 0.15), (.chat, 0.25), (.community, 0.10), (.search, 0.20)]

    /// What was written, for the caller's summary and for tests.
    public struct Summary: Sendable {
        public var messages = 0
        public var malformed = 0
        public var setAside = 0
        public var silentRespondents = 0
        public var perChannel: [Channel: Int] = [:]
        public var perTheme: [String: Int] = [:]
    }

    @discardableResult
    public func write(to directory: String) throws -> Summary {
        let fm = FileManager.default
        for sub in ["surveys", "email", "chat", "community", "search", ".truth"] {
            try fm.createDirectory(atPath: directory + "/" + sub, withIntermediateDirectories: true)
        }
        var summary = Summary()
        var rng = SplitMix64(seed: seed)
        let perWeek = messages / weeks
        for index in 0..<weeks {
            let week = lastWeek.adding(index - weeks + 1)
            let count = index == weeks - 1 ? messages - perWeek * (weeks - 1) : perWeek
            var weekRNG = SplitMix64(seed: seed &+ UInt64(index + 1) &* 0x9E37_79B9_7F4A_7C15)
            var writer = try WeekWriter(directory: directory, week: week, corpus: self)
            try writer.write(count: count, weekIndex: index, rng: &weekRNG, summary: &summary)
            try writer.close()
            _ = rng.next()
        }
        return summary
    }
}

/// Writes one week's files for every channel.
struct WeekWriter {
    let week: Week
    let corpus: SampleCorpus
    var survey: BufferedFile
    var mbox: BufferedFile
    var chat: BufferedFile
    var atom: BufferedFile
    var forum: BufferedFile
    var search: BufferedFile
    var truth: BufferedFile
    let directory: String
    var serial = 0

    init(directory: String, week: Week, corpus: SampleCorpus) throws {
        self.directory = directory
        self.week = week
        self.corpus = corpus
        let name = week.description
        survey = try BufferedFile(directory + "/surveys/\(name).csv")
        mbox = try BufferedFile(directory + "/email/\(name).mbox")
        chat = try BufferedFile(directory + "/chat/\(name).jsonl")
        atom = try BufferedFile(directory + "/community/\(name).atom")
        forum = try BufferedFile(directory + "/community/\(name)-threads.html")
        search = try BufferedFile(directory + "/search/\(name).csv")
        truth = try BufferedFile(directory + "/.truth/\(name).tsv")
        survey.write(
            "StartDate,EndDate,Status,ResponseId,RecipientEmail,Q1_NPS,Q2_CSAT,Q3_Comment,Q4_Improve\r\n"
                + "Start Date,End Date,Response Type,Response ID,Recipient Email,"
                + "\"How likely are you to recommend us to a friend or colleague?\",\"How satisfied were you with your last order?\","
                + "\"Why did you give that score?\",\"Anything else we could improve?\"\r\n"
                + "\"{\"\"ImportId\"\":\"\"startDate\"\"}\",\"{\"\"ImportId\"\":\"\"endDate\"\"}\",\"{\"\"ImportId\"\":\"\"status\"\"}\","
                + "\"{\"\"ImportId\"\":\"\"_recordId\"\"}\",\"{\"\"ImportId\"\":\"\"recipientEmail\"\"}\",\"{\"\"ImportId\"\":\"\"QID1\"\"}\","
                + "\"{\"\"ImportId\"\":\"\"QID2\"\"}\",\"{\"\"ImportId\"\":\"\"QID3_TEXT\"\"}\",\"{\"\"ImportId\"\":\"\"QID4_TEXT\"\"}\"\r\n")
        atom.write(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
                + "  <title>Shop Community: latest posts</title>\n  <id>tag:community.shop.example,2026:feed</id>\n"
                + "  <updated>\(DateParsing.isoString(week.start))</updated>\n")
        forum.write(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Shop Community - help threads \(name)</title>"
                + "<style>.post{margin:1em}</style><script>var tracking = 1;</script></head>\n<body><div class=\"thread\">\n")
        search.write("timestamp,session_id,customer_id,query,results,converted\n")
        truth.write("channel\texternal_id\ttheme\tpolarity\tsecond_theme\n")
    }

    mutating func close() throws {
        atom.write("</feed>\n")
        forum.write("</div></body></html>\n")
        for file in [survey, mbox, chat, atom, forum, search, truth] { try file.close() }
    }

    mutating func write(count: Int, weekIndex: Int, rng: inout SplitMix64, summary: inout Summary) throws {
        let themes = PlantedTheme.catalogue
        let weights = themes.map { $0.volume(week: weekIndex, of: corpus.weeks) }
        let customers = max(20, corpus.messages / 3)
        for _ in 0..<count {
            serial += 1
            let channel = pick(SampleCorpus.channelMix.map(\.1), &rng).map { SampleCorpus.channelMix[$0].0 }!
            // Leave three hours before the week ends so replies and agent turns stay in the same week.
            let time = week.start.addingTimeInterval(Double(rng.next(below: 7 * 86_400 - 3 * 3_600)))
            let customerID = "cust-\(rng.next(below: customers))"
            // Most survey respondents leave scores but no comment; they still count as respondents.
            if channel == .survey, rng.chance(0.7) {
                let id = writeSilentRespondent(time: time, customerID: customerID, rng: &rng)
                summary.silentRespondents += 1
                truth.write("survey\t\(id)\tset_aside\t-\t-\n")
            }
            if channel == .search {
                writeSearch(time: time, customerID: customerID, rng: &rng, summary: &summary)
                continue
            }
            let theme = themes[pick(weights, &rng)!]
            var second: PlantedTheme?
            if theme.polarity == "negative", rng.chance(0.12) {
                let other = themes[pick(weights, &rng)!]
                if other.key != theme.key, other.polarity == "negative" { second = other }
            }
            let text = Phrasing.message(theme: theme, second: second, rng: &rng)
            let malformed = rng.chance(corpus.malformedRate)
            summary.messages += 1
            summary.perChannel[channel, default: 0] += 1
            summary.perTheme[theme.key, default: 0] += 1
            let id: String
            switch channel {
            case .survey: id = writeSurvey(text: text, theme: theme, time: time, customerID: customerID, malformed: malformed, rng: &rng)
            case .email: id = writeEmail(text: text, time: time, customerID: customerID, malformed: malformed, rng: &rng)
            case .chat: id = writeChat(text: text, time: time, customerID: customerID, malformed: malformed, rng: &rng)
            default: id = writeCommunity(text: text, time: time, customerID: customerID, malformed: malformed, rng: &rng)
            }
            if malformed {
                summary.malformed += 1
                truth.write("\(channel.rawValue)\t\(id)\tmalformed\t-\t-\n")
            } else {
                truth.write("\(channel.rawValue)\t\(id)\t\(theme.key)\t\(theme.polarity)\t\(second?.key ?? "-")\n")
            }
            // Now and then an out-of-office reply lands in the support mailbox.
            if channel == .email, rng.chance(0.02) {
                summary.setAside += 1
                let autoID = writeAutoReply(time: time, rng: &rng)
                truth.write("email\t\(autoID)\tset_aside\t-\t-\n")
            }
        }
    }

    typealias Summary = SampleCorpus.Summary

    mutating func writeSurvey(text: String, theme: PlantedTheme, time: Date, customerID: String, malformed: Bool, rng: inout SplitMix64) -> String {
        let responseID = "R_\(week.year)\(week.number)x\(serial)"
        let nps: Int
        switch theme.polarity {
        case "positive": nps = 8 + rng.next(below: 3)
        case "neutral": nps = 6 + rng.next(below: 4)
        default: nps = rng.chance(0.3) ? 7 + rng.next(below: 2) : rng.next(below: 7)
        }
        let csat = theme.polarity == "positive" ? 4 + rng.next(below: 2) : theme.polarity == "neutral" ? 3 : 1 + rng.next(below: 3)
        let npsText = nps == 10 ? "10 - Extremely likely" : nps == 0 ? "0 - Not at all likely" : "\(nps)"
        let stamp = DateParsing.isoString(time).replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "")
        let npsField = malformed ? "11" : npsText
        survey.write("\(stamp),\(stamp),IP Address,\(responseID),\(customerID)@mail.example,\(npsField),\(csat),\(csv(text)),\r\n")
        return "\(responseID)#Q3_Comment"
    }

    mutating func writeSilentRespondent(time: Date, customerID: String, rng: inout SplitMix64) -> String {
        serial += 1
        let responseID = "R_\(week.year)\(week.number)s\(serial)"
        let stamp = DateParsing.isoString(time).replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "")
        survey.write("\(stamp),\(stamp),IP Address,\(responseID),\(customerID)@mail.example,\(6 + rng.next(below: 5)),\(3 + rng.next(below: 3)),,\r\n")
        return responseID
    }

    mutating func writeEmail(text: String, time: Date, customerID: String, malformed: Bool, rng: inout SplitMix64) -> String {
        let messageID = "\(week.description.lowercasedOnBytes())-\(serial)@mx.mail-provider.example"
        let date = malformed ? "32 Foo 2026 25:61" : rfc5322(time)
        // Subjects name the order, not the issue (as most customers write them), so they add no theme words.
        let order = "#\(100_000 + rng.next(below: 900_000))"
        let subject = rng.chance(0.5) ? "Order \(order)" : "Re: your order \(order)"
        let encodedSubject = rng.chance(0.2) ? "=?ISO-8859-1?Q?R=E9clamation_?= =?UTF-8?B?" + base64(order) + "?=" : subject
        let boundary = "b1_\(serial)"
        var plain = text
        if rng.chance(0.3) {
            plain += "\n\n-- \nJamie Doe\nPhone +44 20 7946 0\(100 + serial % 800)"
        }
        if rng.chance(0.3) {
            plain += "\n\nOn \(rfc5322(time.addingTimeInterval(-86_400))), Shop Support <support@shop.example> wrote:\n> Thank you for contacting us.\n> We are happy to help."
        }
        let html = "<html><body><p>" + escapeXML(text) + "</p><p>Sent from my phone</p></body></html>"
        mbox.write("From \(customerID)@mail.example \(asctime(time))\n")
        mbox.write("From: Customer \(customerID) <\(customerID)@mail.example>\nTo: support@shop.example\nSubject: \(encodedSubject)\n")
        mbox.write("Date: \(date)\nMessage-ID: <\(messageID)>\nMIME-Version: 1.0\n")
        mbox.write("Content-Type: multipart/alternative; boundary=\"\(boundary)\"\n\n")
        mbox.write("--\(boundary)\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n")
        mbox.write(quotedPrintable(plain) + "\n")
        mbox.write("--\(boundary)\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64\n\n")
        mbox.write(base64(html, wrap: 76) + "\n--\(boundary)--\n\n")
        return messageID
    }

    mutating func writeAutoReply(time: Date, rng: inout SplitMix64) -> String {
        let messageID = "auto-\(week.description.lowercasedOnBytes())-\(serial)@mx.mail-provider.example"
        mbox.write("From someone@mail.example \(asctime(time))\n")
        mbox.write("From: Someone <someone@mail.example>\nTo: support@shop.example\nSubject: Automatic reply: Your order\n")
        mbox.write("Date: \(rfc5322(time))\nMessage-ID: <\(messageID)>\nAuto-Submitted: auto-replied\nContent-Type: text/plain; charset=us-ascii\n\n")
        mbox.write("I am out of the office until Monday.\nFrom now on, please write to my colleague.\n\n")
        return messageID
    }

    mutating func writeChat(text: String, time: Date, customerID: String, malformed: Bool, rng: inout SplitMix64) -> String {
        let id = "chat-\(week.description)-\(serial)"
        let status = ["resolved", "resolved", "open", "abandoned"][rng.next(below: 4)]
        let t0 = DateParsing.isoString(time)
        let t1 = DateParsing.isoString(time.addingTimeInterval(30))
        let t2 = DateParsing.isoString(time.addingTimeInterval(Double(60 + rng.next(below: 7200))))
        var line = "{\"id\":\"\(id)\",\"customer\":{\"id\":\"\(customerID)\"},\"status\":\"\(status)\",\"turns\":["
        line += "{\"role\":\"bot\",\"time\":\"\(t0)\",\"text\":\"Hi! I'm the Shop assistant. How can I help?\"},"
        line += "{\"role\":\"customer\",\"time\":\"\(t1)\",\"text\":\(JSONText.quoted(text))},"
        line += "{\"role\":\"agent\",\"author\":\"Sam\",\"time\":\"\(t2)\",\"text\":\"I'm sorry to hear that, let me check this for you.\"}]}"
        if malformed { line = String(line.prefix(line.count / 2)) }
        chat.write(line + "\n")
        return "\(id)#2"
    }

    mutating func writeCommunity(text: String, time: Date, customerID: String, malformed: Bool, rng: inout SplitMix64) -> String {
        let postID = "\(week.year)\(week.number)\(serial)"
        let author = "user\(customerID.dropFirst(5))"
        if rng.chance(0.5) {
            let id = "tag:community.shop.example,2026:post-\(postID)"
            let title = text.split(separator: " ").prefix(6).joined(separator: " ")
            let updated = malformed ? "sometime last week" : DateParsing.isoString(time)
            atom.write("  <entry>\n    <id>\(id)</id>\n    <title>\(escapeXML(title))</title>\n    <updated>\(updated)</updated>\n")
            atom.write("    <author><name>\(author)</name></author>\n")
            atom.write("    <content type=\"html\">\(escapeXML("<p>" + escapeXML(text) + "</p>"))</content>\n  </entry>\n")
            return id
        }
        let stamp = malformed ? "" : "<time datetime=\"\(DateParsing.isoString(time))\">\(week.description)</time>"
        forum.write("<article class=\"post\" data-post-id=\"\(postID)\"><header><span class=\"author\">\(author)</span>\(stamp)</header>")
        forum.write("<div class=\"post-body\"><p>\(escapeXML(text))</p></div></article>\n")
        return "post:\(postID)"
    }

    mutating func writeSearch(time: Date, customerID: String, rng: inout SplitMix64, summary: inout Summary) {
        let session = "s\(week.number)-\(serial)"
        let stamp = DateParsing.isoString(time)
        // A successful search first (not feedback), then the failed one, sometimes repeated in the session.
        search.write("\(stamp),\(session),\(customerID),\(["dress", "shoes", "laptop bag", "coffee"][rng.next(below: 4)]),\(1 + rng.next(below: 80)),\(rng.chance(0.3))\n")
        let demand = PlantedTheme.searchDemand
        let group = demand[pick(demand.map(\.weight), &rng)!]
        var query = group.queries[rng.next(below: group.queries.count)]
        if rng.chance(0.3) { query = query.uppercased() + "  " }
        let malformed = rng.chance(corpus.malformedRate)
        search.write("\(stamp),\(session),\(customerID),\(csv(query)),\(malformed ? "n/a" : "0"),false\n")
        if rng.chance(0.1) { search.write("\(stamp),\(session),\(customerID),\(csv(query)),0,false\n") }
        summary.messages += 1
        summary.perChannel[.search, default: 0] += 1
        summary.perTheme[group.key, default: 0] += 1
        let external = "\(session)#\(SiteSearchLogReader.normalize(Redactor().redact(query)))"
        if malformed {
            summary.malformed += 1
            truth.write("search\t\(external)\tmalformed\t-\t-\n")
        } else {
            truth.write("search\t\(external)\t\(group.key)\tneutral\t-\n")
        }
    }

    // MARK: encodings

    func csv(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    func escapeXML(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    func rfc5322(_ date: Date) -> String {
        let iso = DateParsing.isoString(date)  // 2026-11-20T10:00:00Z
        let parts = iso.split(whereSeparator: { "-T:Z".contains($0) }).map { Int($0)! }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        let weekday = days[Int(date.timeIntervalSince1970 / 86_400) % 7]
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(weekday), \(parts[2]) \(months[parts[1] - 1]) \(parts[0]) \(two(parts[3])):\(two(parts[4])):\(two(parts[5])) +0000"
    }

    func asctime(_ date: Date) -> String {
        let r = rfc5322(date).replacingOccurrences(of: ",", with: "").split(separator: " ")
        return "\(r[0]) \(r[2]) \(r[1]) \(r[4]) \(r[3])"
    }

    func quotedPrintable(_ text: String) -> String {
        var out = ""
        var lineLength = 0
        for byte in text.utf8 {
            var piece: String
            if byte == 0x0A {
                out += "\n"
                lineLength = 0
                continue
            } else if byte == 0x3D || byte >= 0x80 || (byte < 0x20 && byte != 0x09) {
                piece = "=" + String(byte, radix: 16, uppercase: true).leftPad(2)
            } else {
                piece = String(UnicodeScalar(byte))
            }
            if lineLength + piece.count > 75 {
                out += "=\n"
                lineLength = 0
            }
            out += piece
            lineLength += piece.count
        }
        return out
    }

    func base64(_ text: String, wrap: Int = 0) -> String {
        let encoded = Data(text.utf8).base64EncodedString()
        guard wrap > 0 else { return encoded }
        var lines: [Substring] = []
        var rest = Substring(encoded)
        while !rest.isEmpty {
            lines.append(rest.prefix(wrap))
            rest = rest.dropFirst(wrap)
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func leftPad(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

/// Index drawn with probability proportional to `weights`.
func pick(_ weights: [Double], _ rng: inout SplitMix64) -> Int? {
    let total = weights.reduce(0, +)
    guard total > 0 else { return nil }
    var target = rng.nextDouble() * total
    for (i, w) in weights.enumerated() {
        target -= w
        if target < 0 { return i }
    }
    return weights.lastIndex { $0 > 0 }
}

/// SplitMix64 (Steele, Lea and Flood 2014): tiny, fast, and the same on every platform, unlike the system RNG.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func next(below bound: Int) -> Int { Int(next() % UInt64(bound)) }
    public mutating func nextDouble() -> Double { Double(next() >> 11) / Double(1 << 53) }
    public mutating func chance(_ p: Double) -> Bool { nextDouble() < p }
}

/// An output file written through a 1 MB buffer.
final class BufferedFile {
    let handle: FileHandle
    var buffer: [UInt8] = []

    init(_ path: String) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        self.handle = handle
        buffer.reserveCapacity(1 << 20)
    }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 20 { flush() }
    }

    func flush() {
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        flush()
        try handle.close()
    }
}
