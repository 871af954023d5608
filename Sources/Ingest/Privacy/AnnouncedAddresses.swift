/// A street address the customer gives as theirs in what they write ("my address is 12 High Street, London
/// NW1 6XE", "I live at 4 Elm Road", "please ship it to 221B Baker Street") becomes `[ADDRESS]`.
///
/// Places are otherwise kept: "the store at 12 High Street" is what a complaint is about. So an address
/// counts only after words that give it as the customer's, and only as far as its clause goes; what it
/// must look like is the signature rule's (`SignatureAddresses.looksLikeAddress`). `Redactor` runs this on
/// every line with an ASCII digit, after its other rules.
enum AnnouncedAddresses {
    /// The line with its announced addresses replaced, or nil.
    static func redact(_ line: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var addresses: [Range<Int>] = []
        var resume = 0
        eachWordStart(line) { start in
            // Most words are no cue: told from their first byte, or their first eight, without looking further.
            guard start >= resume, cueInitials >> UInt32((line[start] | 0x20) &- 0x61) & 1 == 1 else { return }
            var end = start
            let word = nextWord(line, from: &end)
            guard let cue = cue(UnsafeBufferPointer(rebasing: line[word])), let address = address(after: cue, in: line, from: word.upperBound) else { return }
            addresses.append(address)
            resume = address.upperBound
        }
        guard !addresses.isEmpty else { return nil }
        var out: [UInt8] = []
        var copied = 0
        for address in addresses {
            out += line[copied..<address.lowerBound]
            out += SignatureAddresses.placeholder.utf8
            copied = address.upperBound
        }
        out += line[copied...]
        return out
    }

    /// Calls `body` with the offset of each word's first byte, in order. Word starts are found eight bytes at
    /// a time (white space against the byte before it): every line with a digit of every text and stored
    /// email is read here, and a byte loop was most of this rule's cost.
    static func eachWordStart(_ line: UnsafeBufferPointer<UInt8>, _ body: (Int) -> Void) {
        guard let base = line.baseAddress else { return }
        let high: UInt64 = 0x8080_8080_8080_8080, low7s: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        var afterSpace = true
        var i = 0
        while i &+ 8 <= line.count {
            let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            // High bit of each byte that is ASCII white space: a space (zero after xor) or 0x09 to 0x0D.
            let x = w ^ 0x2020_2020_2020_2020
            let blank = ~(((x & low7s) &+ low7s) | x | low7s)
            let low7 = w & low7s
            let control = (low7 &+ 0x7777_7777_7777_7777) & ~(low7 &+ 0x7272_7272_7272_7272) & ~w & high
            let spaces = blank | control
            var starts = ~spaces & high & (spaces << 8 | (afterSpace ? 0x80 : 0))
            while starts != 0 {
                body(i &+ starts.trailingZeroBitCount >> 3)
                starts &= starts &- 1
            }
            afterSpace = spaces >> 63 != 0
            i &+= 8
        }
        while i < line.count {
            let space = Redactor.isASCIISpace(line[i])
            if !space, afterSpace { body(i) }
            afterSpace = space
            i &+= 1
        }
    }

    /// Most words an announced address may have (the signature rule allows twelve).
    static let maxWords = 12

    enum Cue { case address, living, sending }

    /// The next word's range from `k` (words are split at ASCII white space, a carriage return included).
    private static func nextWord(_ line: UnsafeBufferPointer<UInt8>, from k: inout Int) -> Range<Int> {
        while k < line.count, Redactor.isASCIISpace(line[k]) { k += 1 }
        let start = k
        while k < line.count, !Redactor.isASCIISpace(line[k]) { k += 1 }
        return start..<k
    }

    /// "address" (then "is" or ":"), "live at|on|in", or a verb of sending ("ship it to", "sent the parcel
    /// to"), whatever its case and the punctuation after it.
    static func cue(_ word: UnsafeBufferPointer<UInt8>) -> Cue? {
        // Every cue is four to nine letters long and starts with one of "adflmprs": most words stop here.
        guard word.count >= 4, let first = word.first, (first | 0x20) &- 0x61 < 26, cueInitials >> UInt32((first | 0x20) &- 0x61) & 1 == 1
        else { return nil }
        let bare = withoutClosingPunctuation(word)
        guard (4...9).contains(bare.count) else { return nil }
        var key: UInt64 = 0
        for k in 0..<min(8, bare.count) {
            guard bare[k] < 0x80 else { return nil }
            key |= UInt64(bare[k].asciiLowercased) << UInt64(8 * k)
        }
        if bare.count == 9 {
            // "delivered", "forwarded": eight bytes and a "d".
            guard bare[8].asciiLowercased == 0x64 else { return nil }
            return longSendingKeys.contains(key) ? .sending : nil
        }
        if key == addressKey { return .address }
        if livingKeys.contains(key) { return .living }
        if sendingKeys.contains(key) { return .sending }
        return nil
    }

    /// The first letters of the cues, "adflmprs", as bits from "a" (a literal: this is asked of every word).
    private static var cueInitials: UInt32 { 0b110_1001_1000_0010_1001 }
    private static let addressKey = key("address")
    private static let livingKeys = ["live", "living", "lives", "reside"].map(key)
    private static let sendingKeys = ["deliver", "ship", "shipped", "send", "sent", "post", "posted", "mail", "mailed", "forward"].map(key)
    private static let longSendingKeys = ["delivere", "forwarde"].map(key)

    /// Up to eight lowercase ASCII bytes as a little-endian number (as `cue` reads a word).
    private static func key(_ word: String) -> UInt64 {
        word.utf8.prefix(8).enumerated().reduce(0) { $0 | UInt64($1.element) << UInt64(8 * $1.offset) }
    }

    private static func withoutClosingPunctuation(_ word: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var end = word.count
        while end > 0, isClosingPunctuation(word[end - 1]) { end -= 1 }
        return UnsafeBufferPointer(rebasing: word[0..<end])
    }

    /// , . : ; ! ?
    @inline(__always) private static func isClosingPunctuation(_ b: UInt8) -> Bool {
        b == 0x2C || b == 0x2E || b == 0x3A || b == 0x3B || b == 0x21 || b == 0x3F
    }

    /// The address a cue announces, from the words after it: its clause, less the words past the address.
    private static func address(after cue: Cue, in line: UnsafeBufferPointer<UInt8>, from position: Int) -> Range<Int>? {
        var words: [Range<Int>] = []
        var k = position
        while words.count < maxWords + 4 {
            let word = nextWord(line, from: &k)
            if word.isEmpty { break }
            words.append(word)
        }
        func bare(_ w: Int) -> UnsafeBufferPointer<UInt8> { withoutClosingPunctuation(UnsafeBufferPointer(rebasing: line[words[w]])) }
        func matches(_ w: Int, _ options: [String]) -> Bool {
            w < words.count && options.contains { bare(w).equalsFolded($0.utf8) }
        }
        let start: Int
        switch cue {
        case .address: start = matches(0, ["is", "was", "-"]) ? 1 : 0
        case .living:
            guard matches(0, ["at", "on", "in"]) else { return nil }
            start = 1
        case .sending:
            guard let to = (0..<3).first(where: { matches($0, ["to"]) }) else { return nil }
            start = to + 1
        }
        // The clause: up to a word closing a sentence or a clause, or a word that starts another one.
        var end = start
        while end < words.count, end - start < maxWords {
            if end > start, matches(end, ["and", "but", "because", "since", "which", "please", "thanks", "thank"]) { break }
            let last = line[words[end].upperBound - 1]
            end += 1
            if last == 0x3B || last == 0x21 || last == 0x3F { break }
            // A full stop ends it when a capital follows ("... NW1 6XE. Please hurry"), not after "St.".
            if last == 0x2E, end < words.count, line[words[end].lowerBound] >= 0x41, line[words[end].lowerBound] <= 0x5A,
                !SignatureAddresses.streetWords.contains(where: bare(end - 1).equalsFolded)
            {
                break
            }
        }
        guard end > start else { return nil }
        func span(_ end: Int) -> Range<Int> {
            // Without the punctuation closing the clause, which stays.
            var spanEnd = words[end - 1].upperBound
            while spanEnd > words[start].lowerBound, [0x2C, 0x2E, 0x3B, 0x21, 0x3F].contains(line[spanEnd - 1]) { spanEnd -= 1 }
            return words[start].lowerBound..<spanEnd
        }
        func looksLikeAddress(_ end: Int) -> Bool { SignatureAddresses.looksLikeAddress(UnsafeBufferPointer(rebasing: line[span(end)])) }
        guard looksLikeAddress(end) else { return nil }
        // The clause may go on past the address ("12 High Street was wrong"): lowercase words without a
        // digit come off its end while what is left is still an address.
        while end - 1 > start, !line[words[end - 1]].contains(where: { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) }),
            looksLikeAddress(end - 1)
        {
            end -= 1
        }
        return span(end)
    }
}
