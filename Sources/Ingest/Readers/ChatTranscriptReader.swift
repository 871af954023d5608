import Foundation

/// Chat transcripts into one canonical conversation shape, then one feedback per turn.
///
/// Accepted shapes (documented in docs/formats.md): the generic JSON conversation (`turns` with `role`),
/// one per line (`.jsonl`) or as an array or `{"conversations": [...]}`; Intercom-like exports
/// (`conversation_parts`); Zendesk-Chat-like exports (`history` of `chat.msg`); and plain text
/// transcripts (`[time] Name: text`, a blank line between conversations); Twitter/X support threads as CSV
/// (`TweetThreads`).
public struct ChatTranscriptReader: FeedbackReader {
    public let channel = Channel.chat
    public var pseudonymizer: CustomerPseudonymizer
    /// Names (lowercased) that mark an agent in plain-text transcripts, besides "agent", "support" and "bot".
    public var agentNames: Set<String>
    public var limits: IngestLimits
    /// How slash dates that could be read either way are read in plain-text transcripts (`chat.date_order`);
    /// nil: as each file's own stamps show, month first when none shows.
    public var dateOrder: DateParsing.Order?
    /// Where a time without a zone was written (`timezone`).
    public var zone: LocalZone

    public init(
        pseudonymizer: CustomerPseudonymizer = CustomerPseudonymizer(), agentNames: Set<String> = [], limits: IngestLimits = IngestLimits(),
        dateOrder: DateParsing.Order? = nil, zone: LocalZone = .utc
    ) {
        self.pseudonymizer = pseudonymizer
        self.agentNames = agentNames
        self.limits = limits
        self.dateOrder = dateOrder
        self.zone = zone
    }

    public func accepts(_ file: SourceFile) -> Bool {
        let head = file.head
        switch file.fileExtension {
        case "jsonl", "ndjson", "json":
            return head.contains("\"turns\"") || head.contains("conversation_parts") || head.contains("\"history\"")
                || head.contains("\"conversations\"")
        case "csv", "tsv":
            return TweetThreads.accepts(head)
        case "txt", "log", "chat":
            return head.hasPrefix("[") && head.contains("]") && head.contains(":")
        default:
            return false
        }
    }

    public func read(_ file: SourceFile) -> AnyIterator<ReaderEvent> {
        if file.fileExtension == "csv" || file.fileExtension == "tsv" {
            return AnyIterator(TweetThreads.events(file, agentNames: agentNames, limits: limits, pseudonymizer: pseudonymizer, zone: zone).makeIterator())
        }
        if file.fileExtension == "txt" || file.fileExtension == "chat" || file.fileExtension == "log" {
            let (conversations, rejections) = PlainTranscript.read(file, order: dateOrder, zone: zone)
            return AnyIterator((conversations.flatMap { events($0, file: file) } + rejections.map(ReaderEvent.rejected)).makeIterator())
        }
        if file.fileExtension == "json" {
            return AnyIterator(wholeJSON(file).makeIterator())
        }
        var lines = LineSplitter(data: file.data)
        var pending: [ReaderEvent] = []
        return AnyIterator {
            while pending.isEmpty {
                guard let (bytes, number) = lines.next() else { return nil }
                if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
                let position = SourceRef(file: file.path, position: "line \(number)")
                if let conversation = ChatJSON.genericConversation(bytes, position: position, zone: zone) {
                    pending = events(conversation, file: file)
                    continue
                }
                switch ChatJSON.conversation(parsing: bytes, position: position, zone: zone) {
                case .success(let conversation): pending = events(conversation, file: file)
                case .failure(let reason):
                    pending = [.rejected(Rejection(source: position, reason: reason.message, raw: bytes, channel: .chat))]
                }
            }
            return pending.removeFirst()
        }
    }

    func wholeJSON(_ file: SourceFile) -> [ReaderEvent] {
        let position = SourceRef(file: file.path, position: "document")
        guard let object = JSONReader.parse(file.data, allowsFragments: true) else {
            return [.rejected(Rejection(source: position, reason: "not valid JSON", raw: Array(file.data.prefix(1 << 20)), channel: .chat))]
        }
        var items: [Any] = []
        if let array = object as? [Any] {
            items = array
        } else if let dict = object as? [String: Any], let list = dict["conversations"] as? [Any] {
            items = list
        } else {
            items = [object]
        }
        var out: [ReaderEvent] = []
        for (index, item) in items.enumerated() {
            let itemPosition = SourceRef(file: file.path, position: "record \(index + 1)")
            switch ChatJSON.conversation(item, position: itemPosition, zone: zone) {
            case .success(let conversation): out += events(conversation, file: file)
            case .failure(let reason):
                out.append(.rejected(Rejection(source: itemPosition, reason: reason.message, raw: ChatJSON.bytes(of: item), channel: .chat)))
            }
        }
        return out
    }

    func events(_ conversation: Conversation, file: SourceFile) -> [ReaderEvent] {
        let customer = conversation.customer.flatMap { pseudonymizer.reference(for: $0) }
        return conversation.turns.enumerated().map { index, turn in
            var role = turn.role
            if role == .customer, agentNames.contains(turn.author.lowercasedOnBytes()) { role = .agent }
            return .feedback(Feedback(
                channel: .chat, source: SourceRef(file: file.path, position: "\(conversation.position.position) turn \(index + 1)"),
                externalID: "\(conversation.id)#\(index + 1)", timestamp: turn.time, text: turn.text,
                customer: role == .customer ? customer : nil, role: role, conversation: conversation.id,
                outcome: conversation.outcome))
        }
    }
}

/// The canonical conversation every chat adapter produces.
struct Conversation {
    struct Turn {
        var role: SpeakerRole
        var author: String
        var time: Date
        var text: String
    }

    var id: String
    var customer: String?
    var outcome: Outcome?
    var turns: [Turn]
    var position: SourceRef
}

struct ReadFailure: Error {
    var message: String
}

enum ChatJSON {
    /// A parsed JSON value written back as bytes, for quarantine. Wrapped in an array because a bare number
    /// or string as the top level traps in JSONSerialization instead of throwing (found by fuzzing); the
    /// brackets are dropped again.
    static func bytes(of value: Any) -> [UInt8] {
        (try? JSONSerialization.data(withJSONObject: [value])).map { Array($0.dropFirst().dropLast()) } ?? []
    }

    /// A line of the generic shape read straight from its bytes, with the JSON parser's rules but without
    /// its object graph: building a `[String: Any]` per object and casting every value back out of it was
    /// half of reading a conversation. Nil for anything else (another shape, a value of another type than
    /// this shape's, a missing or unreadable field, invalid JSON), which `conversation(parsing:)` then reads
    /// or rejects with its reason: both give the same conversation for every line this one reads.
    static func genericConversation(_ bytes: [UInt8], position: SourceRef, zone: LocalZone = .utc) -> Conversation? {
        bytes.withUnsafeBufferPointer { buffer -> Conversation? in
            var p = JSONReader.Parser(bytes: buffer)
            p.skipSpace()
            // As in the object graph, a repeated key keeps its last value.
            var id: String?, status: String?, customerID: String?, customerEmail: String?, customerField: String?
            var turns: [Conversation.Turn]?
            let complete = p.eachMember { p, key in
                switch key {
                case "id": return p.string(into: &id)
                case "status": return p.string(into: &status)
                case "customer_id": return p.string(into: &customerField)
                case "customer":
                    (customerID, customerEmail) = (nil, nil)
                    return p.eachMember { p, key in
                        switch key {
                        case "id": return p.string(into: &customerID)
                        case "email": return p.string(into: &customerEmail)
                        default: return p.value() != nil
                        }
                    }
                case "turns":
                    var list: [Conversation.Turn] = []
                    let read = p.eachElement { p in
                        guard let turn = genericTurn(&p, zone: zone) else { return false }
                        list.append(turn)
                        return true
                    }
                    turns = list
                    return read
                case "conversation_parts", "history":
                    return false  // another shape
                default:
                    return p.value() != nil
                }
            }
            guard complete, p.atEnd(), let id, !id.isEmpty, let turns else { return nil }
            func nonEmpty(_ text: String?) -> String? { text?.isEmpty == false ? text : nil }
            let customer = nonEmpty(customerID) ?? nonEmpty(customerEmail) ?? nonEmpty(customerField)
            return Conversation(id: id, customer: customer, outcome: outcome(status, turns: turns), turns: turns, position: position)
        }
    }

    /// One turn of the generic shape at the cursor (see `genericConversation`).
    private static func genericTurn(_ p: inout JSONReader.Parser, zone: LocalZone) -> Conversation.Turn? {
        var text: String?, time: String?, timestamp: String?, role: String?, author: String?
        let complete = p.eachMember { p, key in
            switch key {
            case "text": return p.string(into: &text)
            case "time": return p.string(into: &time)
            case "timestamp": return p.string(into: &timestamp)
            case "role": return p.string(into: &role)
            case "author": return p.string(into: &author)
            default: return p.value() != nil
            }
        }
        // "time" is read before "timestamp", as `conversation(_:position:)` reads them.
        guard complete, let text, let date = (time ?? timestamp).flatMap({ DateParsing.parse($0, zone: zone) }) else { return nil }
        return Conversation.Turn(
            role: SpeakerRole(rawValue: (role ?? "customer").lowercasedOnBytes()) ?? .customer, author: author ?? "", time: date, text: text)
    }

    static func conversation(parsing bytes: some Collection<UInt8>, position: SourceRef, zone: LocalZone = .utc) -> Result<Conversation, ReadFailure> {
        guard let object = JSONReader.parse(bytes) else {
            return .failure(ReadFailure(message: "not valid JSON"))
        }
        return conversation(object, position: position, zone: zone)
    }

    static func conversation(_ object: Any, position: SourceRef, zone: LocalZone = .utc) -> Result<Conversation, ReadFailure> {
        guard let dict = object as? [String: Any] else { return .failure(ReadFailure(message: "expected a JSON object")) }
        if dict["conversation_parts"] != nil { return intercom(dict, position: position, zone: zone) }
        if dict["history"] != nil { return zendesk(dict, position: position, zone: zone) }
        guard let id = string(dict["id"]) else { return .failure(ReadFailure(message: "conversation has no id")) }
        // Cast member by member: casting the array as a whole to [[String: Any]] went through the runtime's
        // collection cast, which made a new array.
        guard let list = dict["turns"] as? [Any], case let rawTurns = list.compactMap({ $0 as? [String: Any] }), rawTurns.count == list.count else {
            return .failure(ReadFailure(message: "conversation \(Rejection.escaped(id)) has no turns array"))
        }
        let customerObject = dict["customer"] as? [String: Any]
        let customer = string(customerObject?["id"]) ?? string(customerObject?["email"]) ?? string(dict["customer_id"])
        var turns: [Conversation.Turn] = []
        for (index, raw) in rawTurns.enumerated() {
            guard let text = raw["text"] as? String else {
                return .failure(ReadFailure(message: "conversation \(Rejection.escaped(id)) turn \(index + 1) has no text"))
            }
            guard let time = date(raw["time"] ?? raw["timestamp"], zone: zone) else {
                return .failure(ReadFailure(message: "conversation \(Rejection.escaped(id)) turn \(index + 1) has an unparseable time"))
            }
            let role = SpeakerRole(rawValue: (raw["role"] as? String ?? "customer").lowercasedOnBytes()) ?? .customer
            turns.append(.init(role: role, author: raw["author"] as? String ?? "", time: time, text: text))
        }
        return .success(Conversation(
            id: id, customer: customer, outcome: outcome(dict["status"] as? String, turns: turns), turns: turns, position: position))
    }

    static func intercom(_ dict: [String: Any], position: SourceRef, zone: LocalZone) -> Result<Conversation, ReadFailure> {
        guard let id = string(dict["id"]) else { return .failure(ReadFailure(message: "conversation has no id")) }
        let partsObject = dict["conversation_parts"] as? [String: Any]
        let parts = partsObject?["conversation_parts"] as? [[String: Any]] ?? dict["conversation_parts"] as? [[String: Any]] ?? []
        var all: [[String: Any]] = []
        if let source = dict["source"] as? [String: Any] { all.append(source.merging(["created_at": dict["created_at"] as Any]) { a, _ in a }) }
        all += parts
        var turns: [Conversation.Turn] = []
        var customer: String?
        for part in all {
            guard let body = part["body"] as? String, !body.isEmpty else { continue }
            let author = part["author"] as? [String: Any]
            let type = (author?["type"] as? String ?? "user").lowercasedOnBytes()
            let role: SpeakerRole = type == "admin" ? .agent : type == "bot" ? .bot : type == "user" || type == "lead" || type == "contact" ? .customer : .system
            if role == .customer, customer == nil { customer = string(author?["id"]) ?? string(author?["email"]) }
            guard let time = date(part["created_at"], zone: zone) else { continue }
            turns.append(.init(role: role, author: author?["name"] as? String ?? "", time: time, text: MailMessage.htmlToText(body)))
        }
        guard !turns.isEmpty else { return .failure(ReadFailure(message: "conversation \(Rejection.escaped(id)) has no readable parts")) }
        let state = (dict["state"] as? String) ?? ((dict["open"] as? Bool) == true ? "open" : "closed")
        return .success(Conversation(id: id, customer: customer, outcome: outcome(state, turns: turns), turns: turns, position: position))
    }

    static func zendesk(_ dict: [String: Any], position: SourceRef, zone: LocalZone) -> Result<Conversation, ReadFailure> {
        guard let id = string(dict["id"]) else { return .failure(ReadFailure(message: "conversation has no id")) }
        let visitor = dict["visitor"] as? [String: Any]
        let customer = string(visitor?["id"]) ?? string(visitor?["email"])
        let visitorName = visitor?["name"] as? String
        var turns: [Conversation.Turn] = []
        for entry in dict["history"] as? [[String: Any]] ?? [] where entry["type"] as? String == "chat.msg" {
            guard let text = entry["msg"] as? String, let time = date(entry["timestamp"], zone: zone) else { continue }
            let name = entry["name"] as? String ?? ""
            let nick = entry["sender_type"] as? String ?? (entry["nick"] as? String ?? "")
            let role: SpeakerRole = nick.lowercasedOnBytes().hasPrefix("agent") ? .agent
                : nick.lowercasedOnBytes().contains("bot") ? .bot : (visitorName == nil || name == visitorName ? .customer : .agent)
            turns.append(.init(role: role, author: name, time: time, text: text))
        }
        guard !turns.isEmpty else { return .failure(ReadFailure(message: "conversation \(Rejection.escaped(id)) has no chat.msg entries")) }
        return .success(Conversation(id: id, customer: customer, outcome: nil, turns: turns, position: position))
    }

    /// Status words, lowercased (made once: literal lists were built again for every conversation).
    static let resolved: Set<String> = ["resolved", "closed", "solved"]
    static let unresolved: Set<String> = ["open", "pending", "unresolved", "abandoned", "escalated"]

    /// Resolved within an hour of the first turn counts as resolved fast.
    static func outcome(_ status: String?, turns: [Conversation.Turn]) -> Outcome? {
        guard let status = status?.lowercasedOnBytes() else { return nil }
        if Self.resolved.contains(status) {
            if let first = turns.first?.time, let last = turns.last?.time, last.timeIntervalSince(first) <= 3600 { return .resolvedFast }
            return .resolved
        }
        if Self.unresolved.contains(status) { return .unresolved }
        return nil
    }

    static func string(_ value: Any?) -> String? {
        if let s = value as? String, !s.isEmpty { return s }
        if let n = value as? NSNumber { return n.stringValue }
        return nil
    }

    static func date(_ value: Any?, zone: LocalZone) -> Date? {
        if let s = value as? String { return DateParsing.parse(s, zone: zone) }
        if let n = value as? NSNumber {
            let v = n.doubleValue
            return Date(timeIntervalSince1970: v > 1e11 ? v / 1000 : v)
        }
        return nil
    }
}

/// `[2026-11-20 10:00] Anna: my parcel is late` lines; customer unless the name is an agent's. A stamp may
/// be a time alone (`[10:05 AM]`, as chat tools copy a day's transcript): its date is the last full date seen
/// above it, else the date or ISO week in the file name (`chat-2026-11-20.txt`). A line that cannot be read
/// is quarantined with its number and the reason, never skipped. Slash dates are read in `order`, else as
/// the file's stamps show (a day over 12 in either place), else month first: `[05/12/2026 10:05]` from a
/// European desk is the 5th of December when another stamp of the file reads `[18/11/2026 ...]`.
enum PlainTranscript {
    static func read(_ file: SourceFile, order given: DateParsing.Order? = nil, zone: LocalZone = .utc) -> (conversations: [Conversation], rejections: [Rejection]) {
        let text = String(decoding: file.data, as: UTF8.self)
        let order = given ?? DateParsing.order(evidencedBy: text.split(separator: "\n").lazy.compactMap { line -> String? in
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            guard trimmed.hasPrefix("["), let close = trimmed.firstIndex(of: "]") else { return nil }
            return String(trimmed[trimmed.index(after: trimmed.startIndex)..<close])
        }) ?? .monthFirst
        var conversations: [Conversation] = []
        var rejections: [Rejection] = []
        var turns: [Conversation.Turn] = []
        var startLine = 1
        var day = DateParsing.dateInFileName(file.path).map { Int($0.timeIntervalSince1970) / 86_400 }  // a local date
        func flush(_ line: Int) {
            if !turns.isEmpty {
                let id = "txt:" + Digest.hex(Digest.sha256(file.path + "\(startLine)"), bytes: 8)
                conversations.append(Conversation(
                    id: id, customer: nil, outcome: nil, turns: turns, position: SourceRef(file: file.path, position: "line \(startLine)")))
            }
            turns = []
            startLine = line + 1
        }
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let trimmed = line.trimmingSpacesAndNewlines()
            if trimmed.isEmpty {
                flush(number)
                continue
            }
            func reject(_ reason: String) {
                rejections.append(Rejection(
                    source: SourceRef(file: file.path, position: "line \(number)"), reason: reason, raw: Array(line.utf8), channel: .chat))
            }
            guard trimmed.hasPrefix("["), let close = trimmed.firstIndex(of: "]") else {
                // A wrapped message continues the turn above it; with no turn above, it belongs to nobody.
                if turns.isEmpty { reject("not a transcript line ([time] Name: text)") } else { turns[turns.count - 1].text += " " + trimmed }
                continue
            }
            let stamp = String(trimmed[trimmed.index(after: trimmed.startIndex)..<close])
            let rest = trimmed[trimmed.index(after: close)...]
            guard let colon = rest.firstIndex(of: ":") else {
                reject("no \"Name:\" after the time")
                continue
            }
            let time: Date
            if let full = DateParsing.parse(stamp, order: order, zone: zone) {
                time = full
                day = zone.day(of: full)
            } else if let seconds = DateParsing.timeOfDay(stamp) {
                guard let day else {
                    reject("time \(Rejection.excerpt(stamp, limit: 20)) without a date: put the date in the file name (chat-2026-11-20.txt)")
                    continue
                }
                time = zone.instant(ofWallClock: Date(timeIntervalSince1970: Double(day * 86_400 + seconds)))
            } else {
                reject("unreadable time \(Rejection.excerpt(stamp, limit: 40))")
                continue
            }
            let name = rest[..<colon].trimmingSpaces()
            let lower = name.lowercasedOnBytes()
            let role: SpeakerRole = lower.contains("bot") ? .bot : lower.contains("agent") || lower.contains("support") ? .agent
                : lower == "system" ? .system : .customer
            turns.append(.init(role: role, author: name, time: time, text: rest[rest.index(after: colon)...].trimmingSpaces()))
        }
        flush(0)
        return (conversations, rejections)
    }
}

/// Lines of a file with their 1-based numbers, without copying the whole file.
struct LineSplitter {
    let data: Data
    var offset: Int
    var line = 0

    init(data: Data) {
        self.data = data
        offset = data.startIndex
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { offset += 3 }
    }

    mutating func next() -> ([UInt8], Int)? {
        guard offset < data.endIndex else { return nil }
        line += 1
        // memchr over the raw bytes: Data's generic slicing and search were a twentieth of chat ingest.
        let start = offset - data.startIndex
        let (stop, bytes) = data.withUnsafeBytes { raw -> (Int, [UInt8]) in
            let base = raw.bindMemory(to: UInt8.self).baseAddress!
            let stop = memchr(base + start, 0x0A, raw.count - start).map { $0.assumingMemoryBound(to: UInt8.self) - UnsafeMutablePointer(mutating: base) } ?? raw.count
            var length = stop - start
            if length > 0, base[start + length - 1] == 0x0D { length -= 1 }
            return (stop, Array(UnsafeBufferPointer(start: base + start, count: length)))
        }
        offset = min(data.startIndex + stop + 1, data.endIndex)
        return (bytes, line)
    }
}
