import Foundation

/// Emails: single `.eml` files and mbox archives (mboxo and mboxrd `From ` separators, `>From` unescaped).
/// The analysed text is what the customer wrote this time; the full message is kept as `raw`.
public struct MailboxReader: FeedbackReader {
    public let channel = Channel.email
    public var pseudonymizer: CustomerPseudonymizer
    public var limits: IngestLimits

    public init(pseudonymizer: CustomerPseudonymizer = CustomerPseudonymizer(), limits: IngestLimits = IngestLimits()) {
        self.pseudonymizer = pseudonymizer
        self.limits = limits
    }

    public func accepts(_ file: SourceFile) -> Bool {
        if ["mbox", "eml", "mbx", "mail"].contains(file.fileExtension) { return true }
        let head = file.head
        return head.hasPrefix("From ") || head.contains("\nMessage-ID:") || head.hasPrefix("Received:")
            || head.hasPrefix("Return-Path:")
    }

    public func read(_ file: SourceFile) -> AnyIterator<ReaderEvent> {
        let isMbox = file.data.starts(with: Array("From ".utf8))
        var splitter = MboxSplitter(data: file.data, isMbox: isMbox)
        var number = 0
        return AnyIterator {
            guard let (bytes, line) = splitter.next() else { return nil }
            number += 1
            return message(bytes, number: number, line: line, file: file, isMbox: isMbox)
        }
    }

    func message(_ bytes: [UInt8], number: Int, line: Int, file: SourceFile, isMbox: Bool) -> ReaderEvent {
        var position = isMbox ? "message \(number) (line \(line))" : "message"
        func reject(_ reason: String) -> ReaderEvent {
            .rejected(Rejection(source: SourceRef(file: file.path, position: position), reason: reason, raw: bytes, channel: .email))
        }
        guard bytes.count <= 64 << 20 else { return reject("message larger than 64 MB") }
        let mail = MailMessage(bytes[...], limits: limits)
        guard !mail.headers.isEmpty else { return reject("no header block") }
        // An empty id (`Message-ID: <>`, seen in fuzzing) is no id: the content hash stands in.
        let messageID = mail.header("Message-ID").map { $0.trimming(" \t<>") }
            .flatMap { $0.isEmpty ? nil : $0 }
        if let messageID { position += " <\(Rejection.escaped(messageID))>" }
        guard let dateHeader = mail.header("Date") else { return reject("missing Date header") }
        guard let date = DateParsing.parse(dateHeader) else {
            return reject("unparseable Date header \(Rejection.excerpt(dateHeader))")
        }
        let from = mail.header("From") ?? ""
        let address = from.split(separator: "<").last.map { $0.trimming("> ") } ?? from
        let subject = mail.header("Subject") ?? ""
        var text = ReplyStripper.strip(mail.body)
        let isReply = subject.lowercased().hasPrefix("re:") || subject.lowercased().hasPrefix("fw")
        if !subject.isEmpty, !isReply, !text.lowercased().hasPrefix(subject.lowercased()) {
            text = subject + ".\n" + text
        }
        var setAside = AutomaticMail.reason(for: mail)
        if setAside == nil, text.isEmpty { setAside = "no customer text" }
        if setAside == nil, text.utf8.count > limits.maxMessageBytes { return reject("text longer than \(limits.maxMessageBytes) bytes") }
        let external = messageID ?? "sha:" + Digest.hex(Digest.sha256(bytes), bytes: 12)
        let references = mail.header("References")?.split(separator: " ").first.map { $0.trimming("<>") }
        var attachments = mail.attachments
        if !mail.unknownCharsets.isEmpty { attachments.append("unknown charset: \(mail.unknownCharsets.sorted().joined(separator: ","))") }
        return .feedback(Feedback(
            channel: .email, source: SourceRef(file: file.path, position: position), externalID: external, timestamp: date,
            text: text, customer: pseudonymizer.reference(for: address), role: .customer, setAside: setAside,
            conversation: references ?? messageID, raw: String(decoding: bytes.prefix(limits.maxMessageBytes), as: UTF8.self),
            attachments: attachments))
    }
}

/// Splits an mbox at `From ` lines that start the file or follow an empty line; unescapes `>From`.
struct MboxSplitter {
    let data: Data
    let isMbox: Bool
    var offset: Int
    var line = 1
    var done = false

    init(data: Data, isMbox: Bool) {
        self.data = data
        self.isMbox = isMbox
        self.offset = data.startIndex
    }

    mutating func next() -> ([UInt8], Int)? {
        guard !done, offset < data.endIndex else { return nil }
        guard isMbox else {
            done = true
            return (Array(data), 1)
        }
        return data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> ([UInt8], Int)? in
            let base = data.startIndex
            var i = offset - base
            let n = raw.count
            let startLine = line
            // Skip the separator line itself.
            while i < n, raw[i] != 0x0A { i += 1 }
            i += 1
            line += 1
            var message: [UInt8] = []
            var previousBlank = false
            var lineStart = i
            while lineStart < n {
                var end = lineStart
                while end < n, raw[end] != 0x0A { end += 1 }
                let isFrom = end - lineStart >= 5 && raw[lineStart] == 0x46 && raw[lineStart + 1] == 0x72
                    && raw[lineStart + 2] == 0x6F && raw[lineStart + 3] == 0x6D && raw[lineStart + 4] == 0x20
                if isFrom, previousBlank {
                    if message.last == 0x0A { message.removeLast() }
                    offset = base + lineStart
                    return (message, startLine)
                }
                var from = lineStart
                // mboxrd: ">From ", ">>From " ... lose one ">".
                var gt = lineStart
                while gt < end, raw[gt] == 0x3E { gt += 1 }
                if gt > lineStart, end - gt >= 5, raw[gt] == 0x46, raw[gt + 1] == 0x72, raw[gt + 2] == 0x6F, raw[gt + 3] == 0x6D, raw[gt + 4] == 0x20 {
                    from += 1
                }
                message.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[from..<min(end + 1, n)]))
                previousBlank = end == lineStart || (end == lineStart + 1 && raw[lineStart] == 0x0D)
                lineStart = end + 1
                line += 1
            }
            offset = base + n
            done = true
            return (message, startLine)
        }
    }
}
