import Foundation

/// Keeps only what the customer wrote this time: drops quoted replies (`>` lines, "On ... wrote:",
/// Outlook "-----Original Message-----" and "From: ... Sent: ..." blocks, Lotus Notes headers) and
/// signatures (`-- ` and common sign-off blocks near the end).
enum ReplyStripper {
    static func strip(_ body: String) -> String {
        let lines = lines(of: body)
        var kept: [String] = []
        kept.reserveCapacity(lines.count)
        var index = 0
        scan: while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingSpaces()
            let lower = mayBeginAQuote(trimmed) ? trimmed.lowercasedOnBytes() : ""
            if trimmed.hasPrefix(">") {
                index += 1
                continue
            }
            if line == "-- " || trimmed == "--" || trimmed == "__" { break scan }
            // Outlook's rule line before its From: block.
            if trimmed.hasPrefix("________________"), index + 1 < lines.count,
                lines[index + 1].lowercasedOnBytes().hasPrefix("from:")
            {
                break scan
            }
            // Every rule below reads the lowercased line, which is empty when none can match.
            if lower.isEmpty {
                kept.append(line)
                index += 1
                continue
            }
            if isQuoteHeader(lower, next: index + 1 < lines.count ? lines[index + 1].lowercasedOnBytes() : "") { break scan }
            if lower.hasPrefix("from:") || lower.hasPrefix("de :") || lower.hasPrefix("von:") {
                // Outlook: From: / Sent: / To: / Subject: within the next few lines.
                let window = lines[index..<min(lines.count, index + 5)].map { $0.lowercasedOnBytes() }
                if window.contains(where: { $0.hasPrefix("sent:") || $0.hasPrefix("date:") || $0.hasPrefix("to:") }) {
                    break scan
                }
            }
            kept.append(line)
            index += 1
        }
        // Sign-off blocks: a closing line among the last few non-empty lines ends the message.
        var lastNonEmpty: [Int] = []  // the last six, from the end: earlier lines are never trimmed to look
        var k = kept.count - 1
        while k >= 0, lastNonEmpty.count < 6 {
            if !kept[k].trimmingSpaces().isEmpty { lastNonEmpty.append(k) }
            k -= 1
        }
        for position in lastNonEmpty.reversed() {
            let lower = kept[position].trimmingSpaces().lowercasedOnBytes()
                .trimming(",.!-")
            if signOffs.contains(lower) || lower.hasPrefix("sent from my") || lower.hasPrefix("get outlook for") {
                kept.removeSubrange(position...)
                break
            }
        }
        return kept.joined(separator: "\n").trimmingSpacesAndNewlines()
    }

    /// False when no rule that reads the lowercased line can match it, so most lines are never lowercased
    /// (a third of stripping): every such rule starts with one of `-olafdv` in either case, or is a Notes
    /// address, which holds "/" and "@". No non-ASCII letter lowercases to one of those letters.
    static func mayBeginAQuote(_ trimmed: String) -> Bool {
        guard let first = trimmed.utf8.first else { return false }
        switch first | 0x20 {
        case 0x2D, 0x6F, 0x6C, 0x61, 0x66, 0x64, 0x76: return true  // - o l a f d v
        default: return trimmed.containsByte(0x2F) && trimmed.containsByte(0x40)
        }
    }

    /// The lines without their CR LF or LF. On the contiguous bytes: a String splits "\r\n" as one
    /// Character, and the generic split of a UTF-8 view was a tenth of stripping.
    static func lines(of text: String) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            var lines: [String] = []
            lines.reserveCapacity(16)
            var start = 0
            for i in 0...bytes.count where i == bytes.count || bytes[i] == 0x0A {
                let end = i > start && bytes[i - 1] == 0x0D ? i - 1 : i
                lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
                start = i + 1
            }
            return lines
        }
    }

    /// `next` is the following line lowercased, asked for only by the rules that look at it (most lines
    /// match no rule, and lowercasing every next line was a third of stripping).
    static func isQuoteHeader(_ lower: String, next: @autoclosure () -> String) -> Bool {
        if lower.hasPrefix("-") && lower.containsBytes("original message") { return true }
        if lower.hasPrefix("----- forwarded by") || lower.hasPrefix("---------- forwarded message") { return true }
        if lower.hasPrefix("on ") && (lower.hasSuffix("wrote:") || (lower.count < 120 && next().hasSuffix("wrote:"))) {
            return true
        }
        if (lower.hasPrefix("le ") && lower.hasSuffix("a écrit :")) || (lower.hasPrefix("am ") && lower.hasSuffix("schrieb:")) {
            return true
        }
        // Lotus Notes: "John Smith/ACME@ACME" followed by a date line, or "To: ... cc: ..." header blocks.
        if isNotesAddress(lower), !next().isEmpty { return true }
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
        let from = from.lowercasedOnBytes()
        if from.containsBytes("mailer-daemon") || from.containsBytes("postmaster@") { return "bounce" }
        for (prefix, reason) in subjectPrefixes where subject.hasPrefix(prefix) { return reason }
        return nil
    }

    /// Lowercase subject prefixes of automatic mail, and what each says it is.
    static let subjectPrefixes = [
        ("out of office", "auto-reply (subject)"), ("automatic reply", "auto-reply (subject)"), ("auto-reply", "auto-reply (subject)"),
        ("autoreply", "auto-reply (subject)"), ("undeliverable", "bounce"), ("delivery status notification", "bounce"),
        ("returned mail", "bounce"),
    ]
}
