import Foundation

/// Contact details written so that a filter misses them, which customers do when they give them anyway:
/// an address spelled out ("jane(at)example.com", "jane [at] example [dot] com", "jane dot doe at gmail
/// dot com") and a phone written as bare digits after words that announce one ("reach me on 4155550199",
/// "my number is 4155550199"). Bare digits alone are no phone: "order 4155550199" is an order number.
///
/// `Redactor` runs this after its own rules, on text that a byte filter lets through: ten digits in a row,
/// a bracketed "at", or the word "dot". Lines with a digit are also read for an address the customer gives
/// as theirs (`AnnouncedAddresses`).
enum ObfuscatedContacts {
    /// The text with such contacts replaced, or nil when it has none.
    static func redact(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            guard let base = bytes.baseAddress else { return nil }
            let spelled = mayHoldOne(bytes), digits = containsDigit(bytes)
            guard spelled || digits else { return nil }
            // Line by line, and only the lines a filter lets through are split into words.
            var out: [UInt8] = []
            var copied = 0, lineStart = 0
            while lineStart < bytes.count {
                let lineEnd = memchr(base + lineStart, 0x0A, bytes.count - lineStart).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? bytes.count
                let line = UnsafeBufferPointer(rebasing: bytes[lineStart..<lineEnd])
                // Until nothing changes (a few rounds at most): a replacement can shorten a clause so that
                // what it cut off is now in reach ("ship to <twelve words> NW1 6XE"), and a second pass must
                // find nothing (FuzzRedactor found that case).
                func round(_ current: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
                    var changed = spelled && mayHoldOne(current) ? redactLine(String(decoding: current, as: UTF8.self)).map { Array($0.utf8) } : nil
                    if digits, containsDigit(current) {
                        changed = (changed.map { $0.withUnsafeBufferPointer(AnnouncedAddresses.redact) } ?? AnnouncedAddresses.redact(current)) ?? changed
                    }
                    return changed
                }
                // The first round reads the text in place; only a line that changed is copied for the next.
                var redacted = round(line)
                for _ in 1..<maxRounds {
                    guard let next = redacted.flatMap({ $0.withUnsafeBufferPointer(round) }) else { break }
                    redacted = next
                }
                if let redacted {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<lineStart]))
                    out.append(contentsOf: redacted)
                    copied = lineEnd
                }
                lineStart = lineEnd + 1
            }
            guard copied > 0 else { return nil }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[min(copied, bytes.count)...]))
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// An ASCII digit anywhere, eight bytes at a time (every text and stored email is asked).
    static func containsDigit(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        var i = 0
        while i &+ 8 <= bytes.count {
            if digitLanes(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) != 0 { return true }
            i &+= 8
        }
        while i < bytes.count {
            if bytes[i] &- 0x30 < 10 { return true }
            i &+= 1
        }
        return false
    }

    /// Ten ASCII digits in a row, "(at)", "[at]", "{at}" or "<at>" in any case, or "dot" as a word. Every
    /// text and stored email passes here: digits are counted eight bytes at a time, and the brackets and
    /// "d"s are found with memchr (a byte loop was a sixth of the cleaning thread's work on mail).
    static func mayHoldOne(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        if holdsDigitRun(bytes) { return true }
        for opener: UInt8 in [0x28, 0x5B, 0x7B, 0x3C] {  // ( [ { <
            var from = 0
            while from < bytes.count, let hit = memchr(base + from, Int32(opener), bytes.count - from) {
                let k = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                if k + 3 < bytes.count, bytes[k + 1] | 0x20 == 0x61, bytes[k + 2] | 0x20 == 0x74 { return true }
                from = k + 1
            }
        }
        for d: UInt8 in [0x64, 0x44] {
            var from = 0
            while from < bytes.count, let hit = memchr(base + from, Int32(d), bytes.count - from) {
                let k = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                if k + 2 < bytes.count, bytes[k + 1] | 0x20 == 0x6F, bytes[k + 2] | 0x20 == 0x74,
                    k == 0 || !isLetter(bytes[k - 1]), k + 3 == bytes.count || !isLetter(bytes[k + 3])
                {
                    return true
                }
                from = k + 1
            }
        }
        return false
    }

    /// The high bit of each of the eight bytes of `w` that is "0" to "9": at least 0x30, not at least 0x3A,
    /// and ASCII.
    @inline(__always) static func digitLanes(_ w: UInt64) -> UInt64 {
        let low7 = w & 0x7F7F_7F7F_7F7F_7F7F
        return (low7 &+ 0x5050_5050_5050_5050) & ~(low7 &+ 0x4646_4646_4646_4646) & ~w & 0x8080_8080_8080_8080
    }

    /// `minimumPhoneDigits` ASCII digits in a row, counted on eight bytes at a time: a run inside one word
    /// of eight is at most eight long, so only the digits at each word's ends carry over.
    static func holdsDigitRun(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let high: UInt64 = 0x8080_8080_8080_8080
        var run = 0, i = 0
        while i &+ 8 <= bytes.count {
            let digits = digitLanes(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
            i &+= 8
            if digits == 0 {
                run = 0
                continue
            }
            if digits == high {
                run &+= 8
                if run >= minimumPhoneDigits { return true }
                continue
            }
            let others = ~digits & high
            run &+= others.trailingZeroBitCount >> 3
            if run >= minimumPhoneDigits { return true }
            run = others.leadingZeroBitCount >> 3
        }
        while i < bytes.count {
            if bytes[i] &- 0x30 < 10 {
                run &+= 1
                if run >= minimumPhoneDigits { return true }
            } else {
                run = 0
            }
            i &+= 1
        }
        return false
    }

    /// Rounds of the rules over one line before it is taken as it is.
    static let maxRounds = 8
    static let minimumPhoneDigits = 10
    static let maximumPhoneDigits = 15

    /// Words that announce a phone number within the few words before it.
    static let phoneCues: Set<String> = [
        "call", "calls", "called", "calling", "callback", "phone", "telephone", "tel", "ph", "mobile", "mob", "cell", "cellphone",
        "whatsapp", "text", "sms", "fax", "reach", "contact", "ring",
    ]
    /// "number" announces a phone only after one of these ("my number is", "contact number").
    static let numberOwners: Set<String> = ["my", "phone", "mobile", "cell", "contact", "telephone", "callback", "home", "work"]
    /// Words that make the digits after them something else ("call about order 4155550199").
    static let otherNumbers: Set<String> = [
        "order", "ticket", "tracking", "account", "acct", "reference", "ref", "invoice", "case", "booking", "confirmation",
        "member", "membership", "customer", "card", "policy", "claim", "serial", "sku", "item", "product", "parcel", "package",
        "transaction", "id", "receipt", "flight", "reservation", "shipment", "return", "rma", "voucher", "coupon", "code",
    ]
    /// Words of a spelled local part or domain ("jane dot doe", "mail dot example dot co dot uk").
    static let maximumSpelledParts = 6
    /// How many words before the digits a cue still announces them.
    static let cueWindow = 4

    static let atMarkers: Set<String> = ["(at)", "[at]", "{at}", "<at>"]
    static let dotMarkers: Set<String> = ["dot", "(dot)", "[dot]", "{dot}", "<dot>"]

    /// One line with its contacts replaced, or nil.
    static func redactLine(_ line: String) -> String? {
        // The line's words and the white space between them, as the redactor splits it; the rules read the
        // words, and a contact's words with the space inside it become one placeholder.
        var parts = Redactor.splitKeepingSeparators(line)
        let places = parts.indices.filter { !parts[$0].isEmpty && !parts[$0].unicodeScalars.allSatisfy(\.properties.isWhitespace) }
        let words = places.map { parts[$0] }
        var changed = false
        var i = 0
        while i < words.count {
            if let end = addressEnd(words, from: i) {
                parts[places[i]] = trimmed(words[i]).prefix + Redactor.placeholders[0] + trimmed(words[end]).suffix
                for k in (places[i] + 1)..<(places[end] + 1) { parts[k] = "" }
                changed = true
                i = end + 1
                continue
            }
            if let (prefix, suffix) = announcedPhone(words, at: i) {
                parts[places[i]] = prefix + "[PHONE]" + suffix
                changed = true
            }
            i += 1
        }
        return changed ? parts.joined() : nil
    }

    /// A word without the punctuation around it, lowercased, and that punctuation.
    static func trimmed(_ word: String) -> (core: String, prefix: String, suffix: String) {
        var core = Substring(word)
        var prefix = "", suffix = ""
        while let last = core.last, closing.contains(last) {
            suffix.insert(last, at: suffix.startIndex)
            core = core.dropLast()
        }
        while let first = core.first, first == "(" || first == "\"" || first == "'" {
            prefix.append(first)
            core = core.dropFirst()
        }
        return (core.lowercased(), prefix, suffix)
    }

    /// What may close a word around a contact (a line's carriage return included), and open one.
    static let closing: Set<Character> = [".", ",", ";", ":", "!", "?", ")", "(", "\"", "'", "\r"]

    /// Bare digits (10 to 15, one word) with a cue among the words before them and no other kind of
    /// number named in between: the punctuation to keep around `[PHONE]`.
    static func announcedPhone(_ words: [String], at i: Int) -> (String, String)? {
        let (core, prefix, suffix) = trimmed(words[i])
        guard (minimumPhoneDigits...maximumPhoneDigits).contains(core.utf8.count), core.utf8.allSatisfy({ $0 &- 0x30 < 10 }) else { return nil }
        // A word of a longer number run is the other rules' to read ("14155550199 5698698 754").
        func numeric(_ k: Int) -> Bool { k >= 0 && k < words.count && words[k].utf8.contains { $0 &- 0x30 < 10 } }
        guard !numeric(i - 1), !numeric(i + 1) else { return nil }
        var k = i - 1
        while k >= 0, i - k <= cueWindow {
            let word = trimmed(words[k]).core
            if otherNumbers.contains(word) { return nil }
            if phoneCues.contains(word) { return (prefix, suffix) }
            if word == "number", k > 0, numberOwners.contains(trimmed(words[k - 1]).core) { return (prefix, suffix) }
            k -= 1
        }
        return nil
    }

    /// The last word of a spelled-out address starting at word `i`, or nil. One word ("jane(at)example.com",
    /// "jane[at]example[dot]com"), or words: a local part (words joined by "dot"), an "at" marker, and a
    /// domain of labels joined by "." or "dot" ending in a top-level domain. A plain "at" counts only when
    /// the domain is spelled with "dot" ("jane at example dot com"): "bought it at amazon.com" is no address.
    static func addressEnd(_ words: [String], from i: Int) -> Int? {
        if isSpelledAddressWord(trimmed(words[i]).core) { return i }
        // Local part: a word, then ("dot" word)*.
        guard isLocalWord(trimmed(words[i]).core) else { return nil }
        var k = i
        // At most `maximumSpelledParts` words joined by "dot" on either side: a line of "a dot a dot ..." is
        // read in linear time, not grown from every word.
        while k + 2 < words.count, k - i < 2 * maximumSpelledParts, dotMarkers.contains(trimmed(words[k + 1]).core),
            isLocalWord(trimmed(words[k + 2]).core)
        {
            k += 2
        }
        guard k + 2 < words.count else { return nil }
        let at = trimmed(words[k + 1]).core
        let bracketed = atMarkers.contains(at)
        guard bracketed || at == "at" else { return nil }
        // Domain: labels joined by dot markers (or written with dots inside a word).
        var end = k + 2
        var labels = trimmed(words[end]).core.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var spelled = false
        while end + 2 < words.count, labels.count < maximumSpelledParts, dotMarkers.contains(trimmed(words[end + 1]).core) {
            let next = trimmed(words[end + 2]).core
            guard next.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }), !next.isEmpty else { break }
            labels.append(next)
            spelled = true
            end += 2
        }
        guard bracketed || spelled, labels.count >= 2, labels.allSatisfy(isDomainLabel), isTopLevelDomain(labels[labels.count - 1]) else { return nil }
        return end
    }

    /// Letters, digits and "._%+-", with a letter: "4111 1111 123 at example dot com" is no address whose
    /// replacement would shorten the number run before it.
    static func isLocalWord(_ word: String) -> Bool {
        word.contains(where: \.isLetter) && word.allSatisfy { $0.isLetter || $0.isNumber || "._%+-".contains($0) }
    }

    static func isDomainLabel(_ label: String) -> Bool {
        !label.isEmpty && label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
    }

    static func isTopLevelDomain(_ label: String) -> Bool {
        (2...24).contains(label.count) && label.allSatisfy { $0.isASCII && $0.isLetter }
    }

    /// "jane(at)example.com", "jane[at]example[dot]com": a local part, a bracketed "at", and a domain.
    static func isSpelledAddressWord(_ word: String) -> Bool {
        for marker in atMarkers {
            guard let at = word.firstRange(ofBytes: marker) else { continue }
            guard isLocalWord(String(word[..<at.lowerBound])) else { return false }
            var labels = [Substring(word[at.upperBound...])]
            for dot in dotMarkers where dot != "dot" {
                labels = labels.flatMap { $0.split(separator: dot, omittingEmptySubsequences: false) }
            }
            labels = labels.flatMap { $0.split(separator: ".", omittingEmptySubsequences: false) }
            return labels.count >= 2 && labels.allSatisfy { isDomainLabel(String($0)) } && isTopLevelDomain(String(labels[labels.count - 1]))
        }
        return false
    }

    private static func isLetter(_ b: UInt8) -> Bool { b | 0x20 >= 0x61 && b | 0x20 <= 0x7A }
}
