import Foundation

/// Twitter/X customer-support threads exported as CSV, one tweet per row (the shape of the public
/// "Customer Support on Twitter" corpus: `tweet_id, author_id, inbound, created_at, text,
/// response_tweet_id, in_response_to_tweet_id`). Replies are followed up to the tweet that started the
/// thread; each thread becomes one conversation, its tweets the turns in time order.
///
/// Who is the customer: `inbound` when the export has it (true = written to the company), else an author
/// listed in the reader's agent names is an agent and everyone else a customer.
enum TweetThreads {
    struct Columns {
        var id: Int, author: Int, time: Int, text: Int, inReplyTo: Int, inbound: Int?
    }

    /// The column layout, when the header names a tweet id, an author, a time, a text and a reply link.
    static func columns(_ header: [String]) -> Columns? {
        let find = CSVHeader(header).index
        guard let id = find("tweet_id", "id", "status_id"), let author = find("author_id", "author", "user", "screen_name", "user_screen_name"),
            let time = find("created_at", "time", "timestamp", "date"), let text = find("text", "full_text", "body"),
            let reply = find("in_response_to_tweet_id", "in_reply_to_status_id", "in_reply_to", "in_reply_to_tweet_id")
        else { return nil }
        return Columns(id: id, author: author, time: time, text: text, inReplyTo: reply, inbound: find("inbound"))
    }

    static func accepts(_ head: String) -> Bool {
        let firstLine = head.prefix { $0 != "\n" }.lowercasedOnBytes()
        return firstLine.contains("in_response_to") || firstLine.contains("in_reply_to")
    }

    static func events(_ file: SourceFile, agentNames: Set<String>, limits: IngestLimits, pseudonymizer: CustomerPseudonymizer, zone: LocalZone = .utc) -> [ReaderEvent] {
        struct Tweet {
            var id: String, author: String, time: Date, text: String, parent: String?, inbound: Bool?, line: Int
        }
        var parser = CSVParser(file.data, maxFieldBytes: limits.maxCSVFieldBytes)
        guard let header = parser.next() else { return [] }
        guard let c = columns(header.fields) else {
            // No line can be read without the columns: each goes to quarantine, so the file is accounted for.
            let reason = "a tweet export needs tweet id, author, created_at, text and in-reply-to columns"
            var rejected = [ReaderEvent.rejected(Rejection(
                source: SourceRef(file: file.path, position: "line \(header.line)"), reason: reason, raw: header.raw, channel: .chat))]
            while let record = parser.next() {
                rejected.append(.rejected(Rejection(
                    source: SourceRef(file: file.path, position: "line \(record.line)"), reason: reason, raw: record.raw, channel: .chat)))
            }
            return rejected
        }
        var out: [ReaderEvent] = []
        var tweets: [String: Tweet] = [:]
        var order: [String] = []
        while let record = parser.next() {
            let position = SourceRef(file: file.path, position: "line \(record.line)")
            func reject(_ reason: String) { out.append(.rejected(Rejection(source: position, reason: reason, raw: record.raw, channel: .chat))) }
            if record.fields.count == 1, record.fields[0].isEmpty { continue }
            if let defect = record.defect {
                reject(defect)
                continue
            }
            guard record.fields.count == header.fields.count else {
                reject("expected \(header.fields.count) fields, found \(record.fields.count)")
                continue
            }
            let f = record.fields
            let id = f[c.id].trimmingSpaces()
            guard !id.isEmpty else {
                reject("tweet without an id")
                continue
            }
            guard let time = DateParsing.parse(f[c.time], zone: zone) else {
                reject("unparseable created_at \(Rejection.excerpt(f[c.time]))")
                continue
            }
            if tweets[id] != nil { continue }  // the same tweet twice in one export
            let parent = f[c.inReplyTo].split(separator: ",").first.map { String($0).trimmingSpaces() }
            let inbound = c.inbound.map { ["true", "1", "yes"].contains(f[$0].lowercasedOnBytes().trimmingSpaces()) }
            tweets[id] = Tweet(id: id, author: f[c.author], time: time, text: f[c.text], parent: parent.flatMap { $0.isEmpty ? nil : $0 },
                               inbound: inbound, line: record.line)
            order.append(id)
        }
        // Each tweet's thread is the oldest ancestor present in the export. Roots are remembered for every
        // tweet on the way, so a long thread is walked once, not once per reply; a loop ends the walk.
        var roots: [String: String] = [:]
        func root(_ id: String) -> String {
            var path: [String] = []
            var seen = Set<String>()
            var current = id
            while roots[current] == nil, seen.insert(current).inserted, let parent = tweets[current]?.parent, tweets[parent] != nil {
                path.append(current)
                current = parent
            }
            let found = roots[current] ?? current
            for tweet in path + [current] { roots[tweet] = found }
            return found
        }
        var threads: [String: [String]] = [:]
        var threadOrder: [String] = []
        for id in order {
            let r = root(id)
            if threads[r] == nil { threadOrder.append(r) }
            threads[r, default: []].append(id)
        }
        for r in threadOrder {
            let members = threads[r]!.compactMap { tweets[$0] }.sorted { ($0.time, $0.id) < ($1.time, $1.id) }
            let first = tweets[r]!
            for tweet in members {
                let customer = isCustomer(tweet.inbound, tweet.author, agentNames)
                out.append(.feedback(Feedback(
                    channel: .chat, source: SourceRef(file: file.path, position: "line \(tweet.line)"), externalID: "tw:\(tweet.id)",
                    timestamp: tweet.time, text: tweet.text,
                    customer: customer ? pseudonymizer.reference(for: tweet.author) : nil,
                    role: customer ? .customer : .agent, conversation: "tw:\(first.id)")))
            }
        }
        return out
    }

    static func isCustomer(_ inbound: Bool?, _ author: String, _ agentNames: Set<String>) -> Bool {
        if let inbound { return inbound }
        return !agentNames.contains(author.lowercasedOnBytes().trimming("@ "))
    }
}
