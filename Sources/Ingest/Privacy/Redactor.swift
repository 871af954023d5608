import Foundation

/// Replaces personal data with typed placeholders before anything is stored or printed:
/// `[EMAIL]`, `[PHONE]`, `[CARD]` (Luhn-checked), `[IBAN]`, `[URL-TOKEN]` is not used: URLs are kept.
/// Contacts spelled to dodge such rules are replaced too (`ObfuscatedContacts`).
///
/// A single hand-written pass over the scalars: regular expressions were an order of magnitude slower on
/// the million-message benchmark, and the rules are simple enough to read as code.
public struct Redactor: Sendable {
    public var enabled: Bool

    public init(enabled: Bool = true) { self.enabled = enabled }

    /// What personal data is replaced with (`[ADDRESS]` by `SignatureAddresses`).
    public static let placeholders = ["[EMAIL]", "[PHONE]", "[CARD]", "[IBAN]", SignatureAddresses.placeholder]

    public func redact(_ text: String) -> String {
        guard enabled else { return text }
        var redacted = redactByRules(text)
        // Then what is written to dodge such rules: "jane(at)example.com", "call me on 4155550199". What that
        // replaces can end a number run the rules read whole before ("my number is 14155550199 5698698 754"),
        // so the rules read the text again, until neither changes it (FuzzRedactor: one pass must be enough).
        for _ in 0..<ObfuscatedContacts.maxRounds {
            guard let contacts = ObfuscatedContacts.redact(redacted) else { break }
            redacted = redactByRules(contacts)
        }
        return redacted
    }

    /// The address, phone, card and IBAN rules.
    private func redactByRules(_ text: String) -> String {
        // Line by line: a number run only continues across a single space and an address is one word, so
        // nothing spans a line break. Most lines (the body of a raw email, say) have no '@', digit or
        // non-ASCII byte and cannot change: they are copied, not split into words. Text with nothing
        // to redact comes back as it was, without being rebuilt. Lines are found on the UTF-8 bytes with
        // memchr: walking `String.UTF8View` indices byte by byte was 3% of mail ingest. ASCII lines are
        // decided on their bytes (`ASCIIWords`); only the rare ones a number rule may change, and other
        // text, are split into String words.
        var contiguous = text
        let redacted = contiguous.withUTF8 { bytes -> [UInt8]? in
            guard let base = bytes.baseAddress, Self.holdsAtOrNumber(bytes) else { return nil }
            var out: [UInt8] = []
            var copied = 0
            var lineStart = 0
            var words = ASCIIWords()
            while lineStart < bytes.count {
                let lineEnd = memchr(base + lineStart, 0x0A, bytes.count - lineStart).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) + 1 }
                    ?? bytes.count
                let line = UnsafeBufferPointer(rebasing: bytes[lineStart..<lineEnd])
                if Self.mayHoldPersonalData(line) {
                    switch words.assess(line) {
                    case .unchanged:
                        break
                    case .replaced:
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<lineStart]))
                        words.appendRedacted(line, to: &out)
                        copied = lineEnd
                    case .needsWords:
                        if let redacted = redactWords(String(decoding: line, as: UTF8.self)) {
                            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<lineStart]))
                            out.append(contentsOf: redacted.utf8)
                            copied = lineEnd
                        }
                    }
                }
                lineStart = lineEnd
            }
            guard copied != 0 else { return nil }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
            return out
        }
        return redacted.map { String(decoding: $0, as: UTF8.self) } ?? text
    }

    /// One line with its personal data replaced, or nil when it has none.
    func redactWords(_ line: String) -> String? {
        var words = Self.splitKeepingSeparators(line)
        let emails = redactEmails(&words)
        let numbers = redactNumbers(&words)
        return emails || numbers ? words.joined() : nil
    }

    /// The line as alternating runs of white space and of other text, on its UTF-8 bytes: white space is
    /// Unicode's White_Space property, read per scalar. (Per Character, as before the sixteenth session,
    /// it cost some 800 instructions a character, a twentieth of mail ingest once the stored copy of an
    /// email was decoded; the two differ only where a combining mark follows a space, which now starts
    /// the next word instead of joining the space.)
    static func splitKeepingSeparators(_ text: String) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            var parts: [String] = []
            var start = 0, i = 0
            var inSpace = false
            while i < bytes.count {
                let (space, length) = Self.whiteSpace(at: i, in: bytes)
                if space != inSpace, i > start {
                    parts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
                    start = i
                }
                inSpace = space
                i += length
            }
            if start < bytes.count { parts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self)) }
            return parts
        }
    }

    /// Whether the scalar at `i` of valid UTF-8 `bytes` is white space, and its length in bytes.
    static func whiteSpace(at i: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (Bool, Int) {
        let lead = bytes[i]
        if lead < 0x80 { return (isASCIISpace(lead), 1) }
        let (scalar, length) = scalarAndLength(bytes, at: i)
        switch scalar.value {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return (true, length)
        default: return (false, length)
        }
    }

    /// False when the rules below cannot change this line. An ASCII line: it has no '@' (an address) and no
    /// word that could start a number run — one beginning with a digit, '+' or '(', or an IBAN's two capitals
    /// and two digits. Base64 and header lines of a raw email mostly pass here without being split into
    /// words. A line with other text: it has no '@' and no digit of any script (`holdsAtOrNumber`).
    static func mayHoldPersonalData(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = line.baseAddress else { return false }
        var wordStart = true
        var i = 0
        while i < line.count {
            // Inside a word, eight bytes at a time while none of them is non-ASCII, '@', a space or a control
            // byte: base64 lines of raw email are one long word (the byte loop was 4.6% of mail ingest).
            if !wordStart, i &+ 8 <= line.count {
                let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                let ats = w ^ 0x4040_4040_4040_4040
                let atByte = (ats &- 0x0101_0101_0101_0101) & ~ats
                let belowBang = (w &- 0x2121_2121_2121_2121) & ~w  // a byte under "!": a space or a control
                if (w | atByte | belowBang) & 0x8080_8080_8080_8080 == 0 {
                    i &+= 8
                    continue
                }
            }
            defer { i &+= 1 }
            let b = line[i]
            if b == 0x40 { return true }
            if b >= 0x80 { return holdsAtOrNumber(line) }
            if isASCIISpace(b) {
                wordStart = true
                continue
            }
            if wordStart {
                if isASCIIDigit(b) || b == 0x2B || b == 0x28 { return true }
                if b >= 0x41, b <= 0x5A, i + 3 < line.count, line[i + 1] >= 0x41, line[i + 1] <= 0x5A,
                    isASCIIDigit(line[i + 2]), isASCIIDigit(line[i + 3])
                {
                    return true
                }
                wordStart = false
            }
        }
        return false
    }

    /// '@' or an ASCII digit: a text or line without any of them (and without non-ASCII bytes) has nothing to redact.
    static func isAtOrDigit(_ b: UInt8) -> Bool { b == 0x40 || isASCIIDigit(b) }

    /// Whether a text holds an '@' or a digit of any script (a scalar with a numeric value: "٠٢٠", "０２０"):
    /// without either, no address, phone, card or IBAN rule can change it. `redact` asks it of a whole text,
    /// and the line filter of a line that is not ASCII, so that a message's lines with an emoji or an accent
    /// are not split into String words (those were a third of the redactor's work on mail). Kept out of
    /// `mayHoldPersonalData`: Unicode properties fetch type metadata at the entry of the function using them.
    @inline(never)
    static func holdsAtOrNumber(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        if line.contains(where: isAtOrDigit) { return true }
        if line.isASCII { return false }
        var bytes = line.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&bytes) {
            case .scalarValue(let scalar):
                if scalar.value >= 0x80, scalar.properties.numericType != nil { return true }
            case .emptyInput:
                return false
            case .error:
                continue
            }
        }
    }

    /// The ASCII characters `Character.isWhitespace` accepts: tab, LF, VT, FF, CR and space.
    static func isASCIISpace(_ b: UInt8) -> Bool { (b >= 0x09 && b <= 0x0D) || b == 0x20 }

    private func redactEmails(_ words: inout [String]) -> Bool {
        var changed = false
        for i in words.indices where words[i].containsByte(0x40) {
            if let ascii = Self.asciiEmail(words[i]) {
                if let replaced = ascii {
                    words[i] = replaced
                    changed = true
                }
                continue
            }
            if let replaced = Self.anyEmail(words[i]) {
                words[i] = replaced
                changed = true
            }
        }
        return changed
    }

    /// The rule of `ASCIIWords.eachAddress` for an ASCII word, on its bytes (Character properties were a
    /// tenth of mail ingest): nil when the word is not ASCII, .some(nil) when it holds no address, else the
    /// word with its addresses replaced.
    static func asciiEmail(_ word: String) -> String?? {
        var word = word
        return word.withUTF8 { b -> String?? in
            guard b.isASCII else { return nil }
            var out: [UInt8] = []
            var copied = 0
            ASCIIWords.eachAddress(in: b) { address in
                out.append(contentsOf: b[copied..<address.lowerBound])
                out.append(contentsOf: "[EMAIL]".utf8)
                copied = address.upperBound
            }
            guard copied > 0 else { return .some(nil) }
            out.append(contentsOf: b[copied...])
            return .some(String(decoding: out, as: UTF8.self))
        }
    }

    /// The same rule for a word with other text, by Character: an address's letters and digits may be of
    /// any script ("jöhn@exämple.org").
    static func anyEmail(_ word: String) -> String? {
        let characters = Array(word)
        func isDomain(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "." || c == "-" }
        var out = ""
        var copied = 0
        ASCIIWords.eachAddress(
            in: characters, at: "@", dot: ".", hyphen: "-", isDomain: isDomain, isLocal: { isDomain($0) || $0 == "_" || $0 == "%" || $0 == "+" }
        ) { address in
            out += String(characters[copied..<address.lowerBound]) + "[EMAIL]"
            copied = address.upperBound
        }
        guard copied > 0 else { return nil }
        return out + String(characters[copied...])
    }

    static func isASCIIDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// Trimmed from a number run's ends before it is classified, and kept around its placeholder
    /// (`ASCIIWords.isRunTrim` on bytes).
    static let runTrim = ".,;:!?)"

    /// The longest IBAN (ISO 13616: 34 characters).
    static let ibanMaxLength = 34

    /// Digits in a word: on bytes for ASCII, by Character otherwise.
    static func digitCount(_ word: String) -> Int {
        var count = 0
        for b in word.utf8 {
            if b >= 0x80 { return word.filter(\.isNumber).count }
            if isASCIIDigit(b) { count += 1 }
        }
        return count
    }

    /// Numbers may span several words ("4111 1111 1111 1111", "+44 20 7946 0958"), so runs are joined first.
    private func redactNumbers(_ words: inout [String]) -> Bool {
        var changed = false
        var i = 0
        // The rest of a run cut short by a card inside it (see `settle`): its words are read again, as a
        // second pass would read them, but its end and digits are carried over, so a line of many cards in
        // one run is not regrown from each of them (quadratic in the line).
        var carried: (start: Int, end: Int, digits: Int)?
        // The carried run's end and digits from word `p` on, or nil when `p` is past it.
        func carriedRun(from p: Int) -> (end: Int, digits: Int)? {
            guard var rest = carried, p <= rest.end else {
                carried = nil
                return nil
            }
            while rest.start < p {
                rest.digits -= Self.digitCount(words[rest.start])
                rest.start += 2
            }
            carried = rest
            return (rest.end, rest.digits)
        }
        while i < words.count {
            // Most words start with an ASCII byte that no rule below accepts (a lowercase letter, a space):
            // decided on that byte, without building a Character.
            if let b = words[i].utf8.first, b < 0x80, !Self.isASCIIDigit(b), b != 0x2B, b != 0x28, !(b >= 0x41 && b <= 0x5A) {
                i += 1
                continue
            }
            guard words[i].first.map({ $0.isNumber || $0 == "+" || $0 == "(" }) == true
                || looksLikeIBANStart(words[i])
            else {
                i += 1
                continue
            }
            // IBANs are written in groups of four letters or digits: "GB82 WEST 1234 5698 7654 32".
            if looksLikeIBANStart(words[i]) {
                // No longer than an IBAN can be (34 characters): "GB82 GB82 GB82 ..." on a long line grew one run
                // over the whole line and tried every shorter one, quadratic in the line (a hang on 100 KB).
                var longest = i
                var characters = words[i].count
                while longest + 2 < words.count, words[longest + 1] == " ", words[longest + 2].count <= 4,
                    characters + words[longest + 2].count <= Self.ibanMaxLength,
                    words[longest + 2].allSatisfy({ $0.isNumber || ($0.isUppercase && $0.isASCII) })
                {
                    longest += 2
                    characters += words[longest].count
                }
                // The longest run first, then shorter ones: a short capitalised word after the number
                // ("... 7654 32 ASAP") must not hide it (the fuzzer found the greedy run missing such IBANs).
                var matched = false
                for end in stride(from: longest, through: i, by: -2) {
                    let run = words[i...end].joined()
                    let core = run.trimmingCharacters { Self.runTrim.contains($0) }
                    let compact = core.core.filter { $0 != " " }
                    if compact.count >= 15, compact.count <= Self.ibanMaxLength, ibanChecksumValid(String(compact)) {
                        if carriedRun(from: i) != nil, let rest = carried {
                            let inside = stride(from: i, through: min(end, rest.end), by: 2).reduce(0) { $0 + Self.digitCount(words[$1]) }
                            carried = end + 2 <= rest.end ? (end + 2, rest.end, rest.digits - inside) : nil
                        }
                        Self.replace(&words, i...end, with: core.prefix + "[IBAN]" + core.suffix)
                        matched = true
                        break
                    }
                }
                if matched {
                    changed = true
                    i += 1
                    continue
                }
            }
            // Grow a run of number-ish words separated by single spaces.
            var end = i
            var digits = Self.digitCount(words[i])
            if let rest = carriedRun(from: i) {
                (end, digits) = rest
            } else if !Self.endsWithClauseMark(words[i]) {  // "0958, 1234": the comma closes the run at its first word too
                while end + 2 < words.count, words[end + 1] == " ", let step = runStep(words[end + 2]) {
                    end += 2
                    digits += Self.digitCount(words[end])
                    if step == .closes { break }
                }
            }
            let settled = settle(&words, i, end, digits: digits)
            if settled.changed { changed = true }
            if let cut = settled.cut {
                carried = (cut.cardEnd + 2, cut.restEnd, cut.restDigits)
                i = cut.cardEnd + 1
            } else {
                carried = nil
                i = end + 1
            }
        }
        return changed
    }

    /// Redacts the run `words[start...end]` (number-like words joined by single spaces) as a second pass
    /// over the result would see it, so one pass is enough. The run whole may be a phone, card or IBAN;
    /// if not, a number may close it after a first word that is no number ("(visa) 4111 1111 1111 1111")
    /// or after other numbers, as a Luhn-valid card ("Qty 2 4111 1111 1111 1111"); and a Luhn-valid card
    /// may stand anywhere inside it ("4111 1111 1111 1111 2026", "ref 12 4111 1111 1111 1111 2026").
    /// A placeholder ends the words before it, which are settled the same way as a run of their own (but
    /// not searched for a card again: every window there was tried). The words after a card inside are
    /// returned as `cut`, for the caller to read again from the card on, as a second pass would. Each step
    /// reads a bounded number of words per word of the run, so a line is read in linear time.
    private func settle(_ words: inout [String], _ start: Int, _ end: Int, digits: Int)
        -> (changed: Bool, cut: (cardEnd: Int, restEnd: Int, restDigits: Int)?)
    {
        var end = end, digits = digits
        var changed = false
        var cut: (cardEnd: Int, restEnd: Int, restDigits: Int)?
        var cardsRuledOut = false
        while true {
            if let replacement = classifyRun(words, start, end, digits: digits) {
                Self.replace(&words, start...end, with: replacement)
                return (true, cut)
            }
            if let closing = closingNumber(words, start, end, digits: digits) {
                Self.replace(&words, closing.start...end, with: closing.replacement)
                changed = true
                digits -= closing.digits
                end = closing.start - 2
                if end < start { return (true, cut) }
                continue
            }
            guard !cardsRuledOut, let card = cardInside(words, start, end, digits: digits) else { return (changed, cut) }
            Self.replace(&words, card.start...card.end, with: card.replacement)
            changed = true
            if card.end < end { cut = (card.end, end, digits - card.digitsBefore - card.digits) }
            if card.start == start { return (true, cut) }
            (end, digits, cardsRuledOut) = (card.start - 2, card.digitsBefore, true)
        }
    }

    /// The first Luhn-valid card inside the run `words[start...end]` (which is no card whole, and holds
    /// `digits` digits): words of three digits or more and dashes, the last of them possibly closed by
    /// ".,;:!?)", holding 13 to 19 digits. Also the digits of the words before it. (Cards are written in
    /// groups of four, 4-6-5, or whole; shorter groups are left to the whole-run and closing rules, which
    /// keeps a line of single digits from costing a Luhn check per window.) Any such window is taken, as a
    /// card closing a run is: a long reference number may lose a Luhn-valid stretch to `[CARD]`, which is
    /// the safe way to be wrong.
    private func cardInside(_ words: [String], _ start: Int, _ end: Int, digits: Int)
        -> (start: Int, end: Int, replacement: String, digits: Int, digitsBefore: Int)?
    {
        // Every number run of a line the word rules read comes here; most ("45 minutes") are one short word.
        guard end > start, digits >= 13 else { return nil }
        var before = 0
        var k = start
        // The window's digit values: the Luhn check runs on them before a window is joined and classified, so
        // a long line of digit groups costs a few additions per window, not a String.
        var values: [Int] = []
        values.reserveCapacity(20)
        while k <= end {
            var h = k
            values.removeAll(keepingCapacity: true)
            while h <= end {
                let group = Self.digitGroup(words[h])
                guard group != .none else { break }
                let valuesBefore = values.count
                for b in words[h].utf8 where Self.isASCIIDigit(b) { values.append(Int(b - 0x30)) }
                guard values.count - valuesBefore >= 3 else { break }
                if values.count > 19 { break }
                if values.count >= 13, !(k == start && h == end), Self.luhnValid(reversedDigits: values.reversed()),
                    let replacement = classifyRun(words, k, h, digits: values.count), replacement.contains("[CARD]")
                {
                    return (k, h, replacement, values.count, before)
                }
                if group == .closing { break }
                h += 2
            }
            before += Self.digitCount(words[k])
            k += 2
        }
        return nil
    }

    enum DigitGroup { case none, open, closing }

    /// A word of a card's digits: digits and dashes (`.open`), or those followed by ".,;:!?)" (`.closing`,
    /// which ends the card).
    static func digitGroup(_ word: String) -> DigitGroup {
        var sawTrim = false
        for b in word.utf8 {
            if isASCIIDigit(b) || b == 0x2D {
                if sawTrim { return .none }
            } else if ASCIIWords.isRunTrim(b) {
                sawTrim = true
            } else {
                return .none
            }
        }
        return word.isEmpty ? .none : sawTrim ? .closing : .open
    }

    /// The run `words[start...end]` with its ends' ".,;:!?)" kept around a placeholder, when it is a phone,
    /// card or IBAN. Decided without building the run when it cannot be one: a phone has 9 to 15 digits
    /// and a card 13 to 19; only an IBAN can have fewer, it starts with a capital and has at most 34
    /// characters (so at most 34 words). Short runs ("13 days", "#485982") are the common case.
    private func classifyRun(_ words: [String], _ start: Int, _ end: Int, digits: Int) -> String? {
        if words[start].unicodeScalars.first?.properties.isUppercase == true {
            guard (end - start) / 2 + 1 <= Self.ibanMaxLength else { return nil }
        } else {
            guard digits >= 9, digits <= 19 else { return nil }
        }
        let run = words[start...end].joined()
        let core = run.trimmingCharacters { Self.runTrim.contains($0) }
        return classify(core.core, digits: digits).map { core.prefix + $0 + core.suffix }
    }

    /// A phone or card closing the run `words[start...end]`, which is none as a whole (see `settle`).
    private func closingNumber(_ words: [String], _ start: Int, _ end: Int, digits: Int) -> (start: Int, replacement: String, digits: Int)? {
        guard end > start else { return nil }
        if !isNumberish(words[start]) {
            let rest = digits - Self.digitCount(words[start])
            if let replacement = classifyRun(words, start + 2, end, digits: rest) { return (start + 2, replacement, rest) }
        }
        var tail = end
        var tailDigits = 0
        while tail > start, words[tail].allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-" || (tail == end && Self.runTrim.contains($0))) }) {
            tailDigits += Self.digitCount(words[tail])
            if tailDigits > 19 { return nil }
            if tailDigits >= 13, let replacement = classifyRun(words, tail, end, digits: tailDigits), replacement.contains("[CARD]") {
                return (tail, replacement, tailDigits)
            }
            tail -= 2
        }
        return nil
    }

    /// Puts `text` in the place of `words[range]`, leaving the other places empty (they join to nothing and
    /// no rule starts on an empty word). Removing them moved the rest of the line's words for every
    /// replacement: seconds on a megabyte line of IBAN-like groups.
    private static func replace(_ words: inout [String], _ range: ClosedRange<Int>, with text: String) {
        words[range.lowerBound] = text
        for k in range.dropFirst() { words[k] = "" }
    }

    /// What a word after a number run's space does to the run: continues it (number-ish), or ends it,
    /// being number-ish but for the ",;:!?" after it ("call 020 7946 0958, thanks"; until the sixteenth
    /// session such a word ended the run before it, and the number went unredacted).
    enum RunStep { case continues, closes }

    private func runStep(_ word: String) -> RunStep? {
        if isNumberish(word) { return .continues }
        var kept = Substring(word)
        while let last = kept.unicodeScalars.last, last.isASCII, Self.isClauseMark(UInt8(last.value)) { kept = kept.dropLast() }
        return !kept.isEmpty && kept.utf8.count < word.utf8.count && isNumberish(String(kept)) ? .closes : nil
    }

    /// ",;:!?": punctuation that closes a clause, and a number run with it.
    static func isClauseMark(_ b: UInt8) -> Bool { b == 0x2C || b == 0x3B || b == 0x3A || b == 0x21 || b == 0x3F }

    static func endsWithClauseMark(_ word: String) -> Bool { word.utf8.last.map(isClauseMark) ?? false }

    private func isNumberish(_ word: String) -> Bool {
        // Digits with "-.()/", or two or more capitals and digits; a digit either way. ASCII words on bytes.
        var word = word
        if let ascii = word.withUTF8({ $0.contains { $0 >= 0x80 } ? nil : ASCIIWords.isNumberish($0) }) { return ascii }
        return !word.isEmpty && word.allSatisfy { $0.isNumber || "-.()/".contains($0) } && word.contains(where: \.isNumber)
            || word.count >= 2 && word.allSatisfy { $0.isNumber || $0.isUppercase } && word.contains(where: \.isNumber)
    }

    /// Called for every word of every message (and raw email), so it reads four scalars and allocates nothing.
    private func looksLikeIBANStart(_ word: String) -> Bool {
        var scalars = word.unicodeScalars.makeIterator()
        guard let first = scalars.next(), let second = scalars.next(), let third = scalars.next(), let fourth = scalars.next()
        else { return false }
        return ("0"..."9").contains(third) && ("0"..."9").contains(fourth)
            && first.properties.isUppercase && second.properties.isUppercase
    }

    /// IBAN, card or phone. `ASCIIWords.phoneOrCard` applies the card and phone rules to ASCII runs on their
    /// bytes: a change here goes there too (`byteLinePathAgreesWithTheWordRules` compares the two).
    private func classify(_ candidate: Substring, digits: Int) -> String? {
        let compact = candidate.filter { !" -.".contains($0) }
        if compact.count >= 15, compact.count <= Self.ibanMaxLength, looksLikeIBANStart(String(compact)),
            compact.allSatisfy({ $0.isNumber || $0.isUppercase }), ibanChecksumValid(String(compact))
        {
            return "[IBAN]"
        }
        let onlyDigits = candidate.filter(\.isNumber)
        let separatorsOnly = candidate.allSatisfy { $0.isNumber || " -".contains($0) }
        if separatorsOnly, (13...19).contains(onlyDigits.count), luhnValid(onlyDigits) { return "[CARD]" }
        let phoneShaped = candidate.allSatisfy { $0.isNumber || " -.()+/".contains($0) }
        if phoneShaped, (9...15).contains(digits), candidate.first == "+" || candidate.first == "(" || candidate.first == "0"
            || candidate.contains(" ") || candidate.contains("-") || candidate.contains(".")
        {
            // Dates (2026-11-20) and order numbers written without separators stay as they are.
            if candidate.split(whereSeparator: { !$0.isNumber }).count == 3, candidate.count == 10,
                candidate.contains("-"), candidate.first != "0"
            {
                return nil
            }
            return "[PHONE]"
        }
        return nil
    }

    func luhnValid(_ digits: String) -> Bool {
        let values = digits.reversed().map(\.wholeNumberValue)
        return !values.contains(nil) && Self.luhnValid(reversedDigits: values.lazy.map { $0! })
    }

    /// The Luhn check over digit values given from the last: every second one doubled (less 9 above 9),
    /// the sum a multiple of ten.
    static func luhnValid(reversedDigits: some Sequence<Int>) -> Bool {
        var sum = 0
        for (offset, digit) in reversedDigits.enumerated() {
            var value = digit
            if offset % 2 == 1 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return sum % 10 == 0
    }

    func ibanChecksumValid(_ iban: String) -> Bool {
        let rearranged = iban.dropFirst(4) + iban.prefix(4)
        var remainder = 0
        for character in rearranged {
            let value: Int
            if let digit = character.wholeNumberValue {
                value = digit
            } else if let ascii = character.asciiValue, character.isUppercase {
                value = Int(ascii) - 55
            } else {
                return false
            }
            remainder = (remainder * (value >= 10 ? 100 : 10) + value) % 97
        }
        return remainder == 1
    }
}

extension String {
    /// Splits leading and trailing characters matching `isTrim` from the core.
    fileprivate func trimmingCharacters(_ isTrim: (Character) -> Bool) -> (prefix: String, core: Substring, suffix: String) {
        var start = startIndex
        var end = endIndex
        while start < end, isTrim(self[start]) { start = index(after: start) }
        while end > start, isTrim(self[index(before: end)]) { end = index(before: end) }
        return (String(self[startIndex..<start]), self[start..<end], String(self[end..<endIndex]))
    }
}
