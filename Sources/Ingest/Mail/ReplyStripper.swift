import Foundation

/// Keeps only what the customer wrote this time: drops quoted replies (`>` lines, "On ... wrote:",
/// Outlook "-----Original Message-----" and "From: ... Sent: ..." blocks, Lotus Notes headers) and
/// signatures (`-- ` and common sign-off blocks near the end).
enum ReplyStripper {
    /// On the body's bytes, a line at a time: a String per line, trimmed and lowercased, and the Character
    /// comparisons on them were a tenth of the mail reader's work. Only lines that may begin a quote are
    /// lowercased; the rules then compare bytes. Quote markers are ASCII, so a line counts as quoted when its
    /// first byte after spaces is ">", as mail clients write it.
    static func strip(_ body: String) -> String {
        var body = body
        return body.withUTF8 { text -> String in
            let lines = lineRanges(of: text)
            func line(_ k: Int) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: text[lines[k]]) }
            var kept: [Int] = []
            kept.reserveCapacity(lines.count)
            var index = 0
            scan: while index < lines.count {
                let raw = line(index)
                let trimmed = spacesTrimmed(raw)
                if trimmed.first == 0x3E {  // ">"
                    index += 1
                    continue
                }
                if isSignatureDelimiter(raw: raw, trimmed: trimmed) { break scan }
                // Outlook's rule line before its From: block.
                if trimmed.starts(with: "________________".utf8), index + 1 < lines.count, line(index + 1).startsFolded(with: "from:") {
                    break scan
                }
                // Every rule below reads the lowercased line; most lines cannot match one and are kept here.
                guard mayBeginAQuote(trimmed) else {
                    kept.append(index)
                    index += 1
                    continue
                }
                let lower = lowercased(trimmed)
                if isQuoteHeader(lower, next: index + 1 < lines.count ? line(index + 1) : UnsafeBufferPointer(start: nil, count: 0)) {
                    break scan
                }
                if lower.starts(with: "from:".utf8) || lower.starts(with: "de :".utf8) || lower.starts(with: "von:".utf8) {
                    // Outlook: From: / Sent: / To: / Subject: within the next few lines.
                    for k in index..<min(lines.count, index + 5)
                    where line(k).startsFolded(with: "sent:") || line(k).startsFolded(with: "date:") || line(k).startsFolded(with: "to:") {
                        break scan
                    }
                }
                kept.append(index)
                index += 1
            }
            // Sign-off blocks: a closing line among the last few non-empty lines ends the message.
            var lastNonEmpty: [Int] = []  // the last six, from the end: earlier lines are never trimmed to look
            lastNonEmpty.reserveCapacity(6)
            var k = kept.count - 1
            while k >= 0, lastNonEmpty.count < 6 {
                if !spacesTrimmed(line(kept[k])).isEmpty { lastNonEmpty.append(k) }
                k -= 1
            }
            var keptCount = kept.count
            for position in lastNonEmpty.reversed() where isSignOff(spacesTrimmed(line(kept[position]))) {
                keptCount = position
                break
            }
            var out: [UInt8] = []
            out.reserveCapacity(text.count)
            for (n, k) in kept.prefix(keptCount).enumerated() {
                if n > 0 { out.append(0x0A) }
                out.append(contentsOf: line(k))
            }
            return String(decoding: out, as: UTF8.self).trimmingSpacesAndNewlines()
        }
    }

    /// A closing line ("Kind regards,", "Sent from my phone"), its spaces trimmed. Only a line short enough
    /// to be a sign-off is lowercased whole; the prefixes are compared ASCII folded on an ASCII line.
    static func isSignOff(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        let words = withoutClosingPunctuation(line)
        guard words.count <= longestSignOff || !words.isASCII else {
            return words.startsFolded(with: "sent from my") || words.startsFolded(with: "get outlook for")
        }
        let lower = lowercased(words)
        return lower.starts(with: "sent from my".utf8) || lower.starts(with: "get outlook for".utf8) || isSignOffWords(lowered: lower)
    }

    /// Whether the line, without ",.!-" at its ends, is one of `signOffs` ("Kind regards,"): the signature
    /// rule asks this of its short lines.
    static func isSignOffLine(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        let words = withoutClosingPunctuation(line)
        return (words.count <= longestSignOff || !words.isASCII) && isSignOffWords(lowered: lowercased(words))
    }

    private static func isSignOffWords(lowered lower: [UInt8]) -> Bool {
        signOffBytes.contains { $0.count == lower.count && $0 == lower }
    }

    private static func withoutClosingPunctuation(_ line: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var (start, end) = (0, line.count)
        while start < end, isClosingPunctuation(line[start]) { start += 1 }
        while end > start, isClosingPunctuation(line[end - 1]) { end -= 1 }
        return UnsafeBufferPointer(rebasing: line[start..<end])
    }

    /// "-- " (the RFC 3676 delimiter), or "--" or "__" with spaces around.
    private static func isSignatureDelimiter(raw: UnsafeBufferPointer<UInt8>, trimmed: UnsafeBufferPointer<UInt8>) -> Bool {
        if raw.count == 3, raw[0] == 0x2D, raw[1] == 0x2D, raw[2] == 0x20 { return true }
        return trimmed.count == 2 && trimmed[0] == trimmed[1] && (trimmed[0] == 0x2D || trimmed[0] == 0x5F)
    }

    /// , . ! - (trimmed off a sign-off).
    private static func isClosingPunctuation(_ b: UInt8) -> Bool { b == 0x2C || b == 0x2E || b == 0x21 || b == 0x2D }

    /// False when no rule that reads the lowercased line can match it, so most lines are never lowercased:
    /// every such rule starts with "-", "on ", "le ", "am ", "from:", "de :" or "von:" in any case, or is a
    /// Notes address, which holds "/" and "@". Compared on the bytes as written, ASCII folded: no non-ASCII
    /// letter lowercases to a letter of those prefixes.
    static func mayBeginAQuote(_ trimmed: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = trimmed.first else { return false }
        switch first | 0x20 {
        case 0x2D: return true  // -
        case 0x6F: if trimmed.startsFolded(with: "on ") { return true }
        case 0x6C: if trimmed.startsFolded(with: "le ") { return true }
        case 0x61: if trimmed.startsFolded(with: "am ") { return true }
        case 0x66: if trimmed.startsFolded(with: "from:") { return true }
        case 0x64: if trimmed.startsFolded(with: "de :") { return true }
        case 0x76: if trimmed.startsFolded(with: "von:") { return true }
        default: break
        }
        return trimmed.contains(0x2F) && trimmed.contains(0x40)
    }

    /// The byte ranges of the lines, without their CR LF or LF.
    static func lineRanges(of text: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var lines: [Range<Int>] = []
        lines.reserveCapacity(16)
        guard let base = text.baseAddress else { return [0..<0] }
        var start = 0
        while true {
            let newline = memchr(base + start, 0x0A, text.count - start).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) }
            let end = newline ?? text.count
            lines.append(start..<(end > start && text[end - 1] == 0x0D ? end - 1 : end))
            guard let newline else { return lines }
            start = newline + 1
        }
    }

    /// `line` without the spaces at its ends (`String.trimmingSpaces`'s set), on its bytes.
    static func spacesTrimmed(_ line: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: line[spaceTrimmedRange(line)])
    }

    /// The line's bytes lowercased: ASCII folded here, other text with Unicode's mappings.
    static func lowercased(_ line: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        guard line.isASCII else { return Array(String(decoding: line, as: UTF8.self).lowercasedOnBytes().utf8) }
        return line.map(\.asciiLowercased)
    }

    /// `next` is the following line as written, read only by the rules that look at it.
    static func isQuoteHeader(_ lower: [UInt8], next: UnsafeBufferPointer<UInt8>) -> Bool {
        func starts(_ prefix: String) -> Bool { lower.starts(with: prefix.utf8) }
        func ends(_ suffix: String) -> Bool { lower.count >= suffix.utf8.count && lower.suffix(suffix.utf8.count).elementsEqual(suffix.utf8) }
        if starts("-") && lower.firstRange(of: Array("original message".utf8)) != nil { return true }
        if starts("----- forwarded by") || starts("---------- forwarded message") { return true }
        if starts("on ") {
            // Characters, not bytes, as the header's length is what the rule means.
            let characters = lower.allSatisfy { $0 < 0x80 } ? lower.count : String(decoding: lower, as: UTF8.self).count
            if ends("wrote:") || (characters < 120 && next.count >= 6 && next.suffix(6).map(\.asciiLowercased).elementsEqual("wrote:".utf8)) {
                return true
            }
        }
        // Compared as Characters: "é" may come decomposed.
        if starts("le ") && String(decoding: lower, as: UTF8.self).hasSuffix("a écrit :") { return true }
        if starts("am ") && ends("schrieb:") { return true }
        // Lotus Notes: "John Smith/ACME@ACME" followed by a date line, or "To: ... cc: ..." header blocks.
        if lower.contains(0x2F), isNotesAddress(String(decoding: lower, as: UTF8.self)), !next.isEmpty { return true }
        return false
    }
    /// "john smith/acme@acme": name, "/", organisation, "@", domain (was a regular expression compiled per line).
    static func isNotesAddress(_ line: String) -> Bool {
        // Found on bytes: most lines have no "/" and leave here without a Character walk.
        guard let slash = line.utf8.firstIndex(of: 0x2F), let at = line.utf8[slash...].firstIndex(of: 0x40) else { return false }
        let name = line[..<slash], organisation = line[line.index(after: slash)..<at], domain = line[line.index(after: at)...]
        func word(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
        return !name.isEmpty && !organisation.isEmpty && !domain.isEmpty
            && name.allSatisfy { word($0) || " .'-".contains($0) }
            && organisation.allSatisfy { word($0) || " .-".contains($0) }
            && domain.allSatisfy { word($0) || ".-".contains($0) }
    }

    static let signOffs: Set<String> = [
        "thanks", "thank you", "thanks in advance", "many thanks", "regards", "best regards", "kind regards",
        "warm regards", "best", "cheers", "sincerely", "yours sincerely", "yours truly", "all the best", "br", "thx",
    ]
    static let longestSignOff = signOffs.map(\.utf8.count).max() ?? 0
    private static let signOffBytes = signOffs.map { Array($0.utf8) }
}

/// Recognises mail that is not customer voice: auto-replies, bounces and delivery reports.
enum AutomaticMail {
    /// `from` and `lowercasedSubject` are the message's headers, as the reader has already read them.
    static func reason(for message: MailMessage, from: String, lowercasedSubject subject: String) -> String? {
        let autoSubmitted = message.header("Auto-Submitted")?.lowercasedOnBytes() ?? "no"
        if autoSubmitted != "no" { return "auto-reply (Auto-Submitted: \(autoSubmitted))" }
        if message.header("X-Autoreply") != nil || message.header("X-Autorespond") != nil { return "auto-reply (X-Autoreply)" }
        if let precedence = message.header("Precedence")?.lowercasedOnBytes(), ["auto_reply", "bulk", "junk"].contains(precedence) {
            return "auto-reply (Precedence: \(precedence))"
        }
        if message.isReport { return "delivery report" }
        // ASCII-folded on the bytes: neither name has a letter that a non-ASCII one lowercases to alone.
        if from.containsFolded("mailer-daemon") || from.containsFolded("postmaster@") { return "bounce" }
        // The bytes turn away nearly every subject; a byte match is confirmed as Characters.
        for (prefix, reason) in subjectPrefixes where subject.startsWithBytes(of: prefix) && subject.hasPrefix(prefix) { return reason }
        return nil
    }

    /// Lowercase subject prefixes of automatic mail, and what each says it is.
    static let subjectPrefixes = [
        ("out of office", "auto-reply (subject)"), ("automatic reply", "auto-reply (subject)"), ("auto-reply", "auto-reply (subject)"),
        ("autoreply", "auto-reply (subject)"), ("undeliverable", "bounce"), ("delivery status notification", "bounce"),
        ("returned mail", "bounce"),
    ]
}
