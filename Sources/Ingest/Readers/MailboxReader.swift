import Foundation

/// Emails: single `.eml` files and mbox archives (mboxo and mboxrd `From ` separators, `>From` unescaped).
/// The analysed text is what the customer wrote this time; the full message is kept as `raw`.
public struct MailboxReader: FeedbackReader {
    public let channel = Channel.email
    public var pseudonymizer: CustomerPseudonymizer
    public var limits: IngestLimits
    /// Enabled (the default), the reader does what redaction needs the structure of a message for: the
    /// stored copy (`Feedback.raw`) decoded where the redactor can read it, encoded attachments named, not
    /// kept (`MailMessage.auditCopy`), and street addresses in signatures replaced (`SignatureAddresses`).
    /// Disabled (`--no-redact`), the stored copy is the bytes as received. The ingest redacts the rest.
    public var redactor: Redactor
    /// Where a Date header without a zone was written (`timezone`).
    public var zone: LocalZone

    public init(
        pseudonymizer: CustomerPseudonymizer = CustomerPseudonymizer(), limits: IngestLimits = IngestLimits(), redactor: Redactor = Redactor(),
        zone: LocalZone = .utc
    ) {
        self.pseudonymizer = pseudonymizer
        self.limits = limits
        self.redactor = redactor
        self.zone = zone
    }

    public func accepts(_ file: SourceFile) -> Bool {
        if ["mbox", "eml", "mbx", "mail"].contains(file.fileExtension) { return true }
        let head = file.head
        return head.hasPrefix("From ") || head.contains("\nMessage-ID:") || head.hasPrefix("Received:")
            || head.hasPrefix("Return-Path:")
    }

    public func read(_ file: SourceFile) -> AnyIterator<ReaderEvent> {
        let isMbox = file.data.starts(with: Array("From ".utf8))
        var splitter = MboxSplitter(file: file, isMbox: isMbox)
        var number = 0
        return AnyIterator {
            guard let next = splitter.next() else { return nil }
            number += 1
            return message(next, number: number, file: file, isMbox: isMbox)
        }
    }

    func message(_ next: MboxSplitter.Message, number: Int, file: SourceFile, isMbox: Bool) -> ReaderEvent {
        let bytes = next.bytes
        // Made once the Message-ID is known (or not): most messages never need it without one.
        var messageID: String?
        func position() -> String { Self.position(number: isMbox ? number : nil, line: next.line, messageID: messageID) }
        func reject(_ reason: String) -> ReaderEvent {
            .rejected(Rejection(source: SourceRef(file: file.path, position: position()), reason: reason, raw: bytes, channel: .email))
        }
        guard next.size <= MboxSplitter.maxBytes else {
            return reject("message of \(next.size) bytes is larger than 64 MB (its first 64 MB are kept)")
        }
        let mail = MailMessage(bytes[...], limits: limits, audits: redactor.enabled)
        guard !mail.headers.isEmpty else { return reject("no header block") }
        // An empty id (`Message-ID: <>`, seen in fuzzing) is no id: the content hash stands in.
        messageID = mail.header("Message-ID").map { $0.trimming(" \t<>") }
            .flatMap { $0.isEmpty ? nil : $0 }
        // No Date header (RFC 5322 requires one; some exporters drop it): the topmost Received header says
        // when the message reached the mail system, which is when the customer sent it, near enough.
        let received = { mail.header("Received").map { received in
            received.lastIndex(of: ";").map { String(received[received.index(after: $0)...]) } ?? received } }
        guard let dateHeader = mail.header("Date") ?? received() else { return reject("missing Date header (and no Received header)") }
        guard let date = DateParsing.parse(dateHeader, zone: zone) else {
            return reject("unparseable Date header \(Rejection.excerpt(dateHeader))")
        }
        let from = mail.header("From") ?? ""
        let address = Self.address(in: from)
        let subject = mail.header("Subject") ?? ""
        var text = ReplyStripper.strip(mail.body)
        // A signature without a sign-off above it is not stripped: its address lines are replaced.
        if redactor.enabled, let redacted = SignatureAddresses.redact(text) { text = redacted }
        let lowerSubject = subject.lowercasedOnBytes()
        let isReply = lowerSubject.hasPrefix("re:") || lowerSubject.hasPrefix("fw")
        // Lowercasing maps each character to at least one, so the body's first characters decide; the
        // whole body lowercased was 2% of mail ingest.
        if !subject.isEmpty, !isReply, !Self.opens(text, with: lowerSubject) {
            text = subject + ".\n" + text
        }
        var setAside = AutomaticMail.reason(for: mail, from: from, lowercasedSubject: lowerSubject)
        if setAside == nil, text.isEmpty { setAside = "no customer text" }
        if setAside == nil, text.utf8.count > limits.maxMessageBytes { return reject("text longer than \(limits.maxMessageBytes) bytes") }
        let external = messageID ?? "sha:" + Digest.hex(Digest.sha256(bytes), bytes: 12)
        // The thread's first message: References names it first; a client that sets only In-Reply-To names
        // the message answered (the thread's first when it answers the first). A reply's own id started a
        // conversation of its own, which `voc forget` then left behind with the customer's thread.
        let references = (mail.header("References") ?? mail.header("In-Reply-To")).flatMap { refs in
            refs.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }).first.map { $0.trimming("<>") } }
        var attachments = mail.attachments
        if !mail.unknownCharsets.isEmpty { attachments.append("unknown charset: \(mail.unknownCharsets.sorted().joined(separator: ","))") }
        return .feedback(Feedback(
            channel: .email, source: SourceRef(file: file.path, position: position()), externalID: external, timestamp: date,
            text: text, customer: pseudonymizer.reference(for: address), role: .customer, setAside: setAside,
            conversation: references ?? messageID,
            raw: String(decoding: (mail.auditCopy(of: bytes[...]) ?? bytes).prefix(limits.maxMessageBytes), as: UTF8.self),
            attachments: attachments))
    }
}

extension MailboxReader {
    /// Whether the body opens with the subject (given lowercased), case aside. ASCII on both sides is
    /// compared on the bytes; other text lowercases the body's first characters (each maps to at least one,
    /// so those decide; the whole body lowercased was 2% of mail ingest).
    static func opens(_ text: String, with lowerSubject: String) -> Bool {
        let subject = lowerSubject.utf8
        let fast: Bool? = subject.last == 0x0D ? nil : text.utf8.withContiguousStorageIfAvailable { body -> Bool? in
            guard body.count >= subject.count else { return subject.allSatisfy { $0 < 0x80 } && body.allSatisfy { $0 < 0x80 } ? false : nil }
            var k = 0
            for s in subject {
                let b = body[k]
                guard s < 0x80, b < 0x80 else { return nil }
                if b.asciiLowercased != s { return false }
                k += 1
            }
            // A combining mark after the match would join the last character: Characters decide then.
            return body.count > k && body[k] >= 0x80 ? nil : true
        } ?? nil
        return fast ?? text.prefix(2 * lowerSubject.count + 8).lowercasedOnBytes().hasPrefix(lowerSubject)
    }

    /// `Name <user@example.com>` → `user@example.com`: the last non-empty piece after a `<`, without `>` and
    /// spaces; the whole value when it has no `<`. On bytes: splitting by Character was 1.5% of mail ingest.
    static func address(in from: String) -> String {
        var from = from
        return from.withUTF8 { bytes in
            var end = bytes.count
            while true {
                let open = bytes[..<end].lastIndex(of: 0x3C)
                var start = open.map { $0 + 1 } ?? 0
                if start < end {
                    // Without "> " at its ends (both ASCII: a cut there keeps the text whole).
                    while start < end, bytes[start] == 0x3E || bytes[start] == 0x20 { start += 1 }
                    while end > start, bytes[end - 1] == 0x3E || bytes[end - 1] == 0x20 { end -= 1 }
                    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
                }
                guard let open else { return String(decoding: bytes, as: UTF8.self) }
                end = open
            }
        }
    }

    /// "message 12 (line 3456) <id@host>", written into the String's own storage: interpolating and
    /// appending its pieces was eight String appends a message.
    static func position(number: Int?, line: Int, messageID: String?) -> String {
        var id = messageID.map { Rejection.escaped($0) } ?? ""
        return id.withUTF8 { idBytes in
            String(unsafeUninitializedCapacity: 56 + idBytes.count) { out in
                var n = 0
                func put(_ text: StaticString) {
                    for k in 0..<text.utf8CodeUnitCount { out[n + k] = text.utf8Start[k] }
                    n += text.utf8CodeUnitCount
                }
                func put(decimal value: Int) {
                    var value = value, digits = 1, rest = value
                    while rest >= 10 {
                        rest /= 10
                        digits += 1
                    }
                    for k in stride(from: digits - 1, through: 0, by: -1) {
                        out[n + k] = UInt8(truncatingIfNeeded: 0x30 + value % 10)
                        value /= 10
                    }
                    n += digits
                }
                put("message")
                if let number {
                    put(" ")
                    put(decimal: number)
                    put(" (line ")
                    put(decimal: line)
                    put(")")
                }
                if messageID != nil {
                    put(" <")
                    for b in idBytes {
                        out[n] = b
                        n += 1
                    }
                    put(">")
                }
                return n
            }
        }
    }
}

/// Splits an mbox at `From ` lines that start the file or follow an empty line; unescapes `>From`. Reads the
/// file in pieces, so memory holds one piece and one message, whatever the mailbox's size.
struct MboxSplitter {
    /// A message's bytes (at most `maxBytes` of them), the line its separator is on, and its full size.
    struct Message {
        var bytes: [UInt8]
        var line: Int
        var size: Int
    }

    static let maxBytes = 64 << 20

    private let file: SourceFile
    private let isMbox: Bool
    private var pieces: SourcePieces
    private var buffer: [UInt8] = []
    private var position = 0
    private var exhausted = false
    private var line = 1
    /// The next message's `From ` line was read as the end of the previous one.
    private var separatorRead = false
    private var done = false

    init(file: SourceFile, isMbox: Bool) {
        self.file = file
        self.isMbox = isMbox
        self.pieces = file.pieces()
    }

    /// The next line with its newline (the last one may lack it), valid until the next call.
    private mutating func nextLine() -> Range<Int>? {
        while true {
            let found: Int? = buffer.withUnsafeBufferPointer { b in
                guard position < b.count, let base = b.baseAddress,
                      let hit = memchr(base + position, 0x0A, b.count - position) else { return nil }
                return hit.assumingMemoryBound(to: UInt8.self) - UnsafeMutablePointer(mutating: base)
            }
            if let found {
                defer { position = found + 1 }
                return position..<(found + 1)
            }
            if exhausted {
                guard position < buffer.count else { return nil }
                defer { position = buffer.count }
                return position..<buffer.count
            }
            buffer.removeFirst(position)
            position = 0
            if let piece = pieces.next() { buffer.append(contentsOf: piece) } else { exhausted = true }
        }
    }

    mutating func next() -> Message? {
        guard !done else { return nil }
        guard isMbox else {
            done = true
            guard !file.data.isEmpty else { return nil }
            return Message(bytes: Array(file.data.prefix(Self.maxBytes)), line: 1, size: file.data.count)
        }
        if !separatorRead {
            guard nextLine() != nil else {
                done = true
                return nil
            }
            line += 1
        }
        separatorRead = false
        var message = Message(bytes: [], line: line - 1, size: 0)
        var previousBlank = false
        while let range = nextLine() {
            let (isSeparator, blank): (Bool, Bool) = buffer.withUnsafeBufferPointer { raw in
                let start = range.lowerBound
                let end = raw[range.upperBound - 1] == 0x0A ? range.upperBound - 1 : range.upperBound
                let isFrom = end - start >= 5 && raw[start] == 0x46 && raw[start + 1] == 0x72 && raw[start + 2] == 0x6F
                    && raw[start + 3] == 0x6D && raw[start + 4] == 0x20
                if isFrom, previousBlank { return (true, false) }
                var from = start
                // mboxrd: ">From ", ">>From " ... lose one ">".
                var gt = start
                while gt < end, raw[gt] == 0x3E { gt += 1 }
                if gt > start, end - gt >= 5, raw[gt] == 0x46, raw[gt + 1] == 0x72, raw[gt + 2] == 0x6F, raw[gt + 3] == 0x6D,
                   raw[gt + 4] == 0x20 {
                    from += 1
                }
                let kept = min(range.upperBound - from, max(0, Self.maxBytes - message.bytes.count))
                message.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: raw[from..<(from + kept)]))
                message.size += range.upperBound - from
                return (false, end == start || (end == start + 1 && raw[start] == 0x0D))
            }
            line += 1
            if isSeparator {
                if message.bytes.last == 0x0A, message.bytes.count == message.size { message.bytes.removeLast() }
                message.size -= 1
                separatorRead = true
                return message
            }
            previousBlank = blank
        }
        done = true
        return message
    }
}
