/// The redactor's word rules run on an ASCII line's bytes, without a String per word: a raw email's header
/// lines hold dates, Message-IDs and addresses on almost every line, and splitting each into Strings was
/// most of the redactor's time, which was a sixth of mail ingest.
///
/// It decides exactly what `Redactor.redactWords` would do, or says it cannot: addresses, and number runs
/// that are a phone or card whole, it replaces itself; a run that may hold one inside it, or a possible
/// IBAN, is left to the word rules, as is any line that is not ASCII. A test checks the two paths agree on
/// random lines built from the pieces personal data is made of.
struct ASCIIWords {
    enum Outcome { case unchanged, replaced, needsWords }

    /// Alternating runs of spaces and of other bytes (the words of `Redactor.redactWords`), as byte ranges.
    private var starts: [Int] = []
    /// Per word: the core of an address to replace (after stripping its brackets and punctuation), else nil.
    private var addresses: [Range<Int>?] = []
    /// What `appendRedacted` puts in place of which bytes, in line order.
    private var replacements: [(range: Range<Int>, text: StaticString)] = []

    init() {
        starts.reserveCapacity(64)
        addresses.reserveCapacity(64)
    }

    /// What the word rules would do with `line` (which ends after its line break, if any).
    mutating func assess(_ line: UnsafeBufferPointer<UInt8>) -> Outcome {
        starts.removeAll(keepingCapacity: true)
        addresses.removeAll(keepingCapacity: true)
        replacements.removeAll(keepingCapacity: true)
        var previousSpace = false, at = false
        for i in line.indices {
            let b = line[i]
            if b >= 0x80 { return .needsWords }
            if b == 0x40 { at = true }
            let space = Redactor.isASCIISpace(b)
            if i == 0 || space != previousSpace { starts.append(i) }
            previousSpace = space
        }
        let count = starts.count
        func end(_ w: Int) -> Int { w + 1 < count ? starts[w + 1] : line.count }
        for w in 0..<count {
            guard at else {
                addresses.append(nil)
                continue
            }
            var first: Range<Int>?
            Self.eachAddress(in: UnsafeBufferPointer(rebasing: line[starts[w]..<end(w)])) { found in
                let address = (found.lowerBound + starts[w])..<(found.upperBound + starts[w])
                if first == nil { first = address }
                replacements.append((address, "[EMAIL]"))
            }
            addresses.append(first)
        }
        let addressCount = replacements.count
        // The number rules, walked as `Redactor.redactNumbers` walks them, over the words as they are after
        // addresses are replaced; each place where they could change something ends the walk.
        var w = 0
        while w < count {
            let first = addresses[w].map { $0.lowerBound > starts[w] ? line[starts[w]] : UInt8(ascii: "[") } ?? line[starts[w]]
            let opensNumber = Redactor.isASCIIDigit(first) || first == 0x2B || first == 0x28
            guard opensNumber || (first >= 0x41 && first <= 0x5A) else {
                w += 1
                continue
            }
            if addresses[w] != nil { return .needsWords }  // "(a@b.example) 020 7946 0958": rare, left to the word rules
            let word = UnsafeBufferPointer(rebasing: line[starts[w]..<end(w)])
            if Self.looksLikeIBANStart(word) { return .needsWords }
            guard opensNumber else {
                w += 1
                continue
            }
            var last = w
            var digits = Self.digitCount(word)
            // A first word closed by ",;:!?" is a run of its own (`Redactor.redactNumbers`).
            while !Redactor.isClauseMark(word[word.count - 1]), last + 2 < count, end(last + 1) - starts[last + 1] == 1, line[starts[last + 1]] == 0x20, addresses[last + 2] == nil,
                let step = Self.runStep(UnsafeBufferPointer(rebasing: line[starts[last + 2]..<end(last + 2)]))
            {
                last += 2
                digits += Self.digitCount(UnsafeBufferPointer(rebasing: line[starts[last]..<end(last)]))
                if step == .closes { break }
            }
            let run = UnsafeBufferPointer(rebasing: line[starts[w]..<end(last)])
            if digits >= 9, Self.mayBePhoneOrCard(run) {
                // A phone or card as a whole (`Redactor.classifyRun`); anything else goes to `settle`.
                guard digits <= 19, let (core, label) = Self.phoneOrCard(run, digits: digits) else { return .needsWords }
                replacements.append(((core.lowerBound + starts[w])..<(core.upperBound + starts[w]), label))
                w = last + 1
                continue
            }
            // `Redactor.settle`: a number closing the run after a first word that is no number, a card closing
            // it after other numbers, or a card inside it (13 digits or more in consecutive words of three
            // digits or more).
            func bytes(_ k: Int) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: line[starts[k]..<end(k)]) }
            // Digits, dashes and the run trim set: a word that may be part of a card.
            func mayBeCardDigits(_ k: Int) -> Bool { bytes(k).allSatisfy { Redactor.isASCIIDigit($0) || $0 == 0x2D || Self.isRunTrim($0) } }
            if last > w, !Self.isNumberish(bytes(w)), digits - Self.digitCount(bytes(w)) >= 9 { return .needsWords }
            var tailDigits = 0
            var tail = last
            while tail > w, mayBeCardDigits(tail) {
                tailDigits += Self.digitCount(bytes(tail))
                if tailDigits >= 13 { return .needsWords }
                tail -= 2
            }
            if digits >= 13 {
                var stretchDigits = 0
                for k in stride(from: w, through: last, by: 2) {
                    let groupDigits = Self.digitCount(bytes(k))
                    guard groupDigits >= 3, mayBeCardDigits(k) else {
                        stretchDigits = 0
                        continue
                    }
                    stretchDigits += groupDigits
                    if stretchDigits >= 13 { return .needsWords }
                }
            }
            w = last + 1
        }
        if replacements.count > addressCount, addressCount > 0 { replacements.sort { $0.range.lowerBound < $1.range.lowerBound } }
        return replacements.isEmpty ? .unchanged : .replaced
    }

    /// The line last assessed as `.replaced`, with its addresses, phones and cards replaced by placeholders.
    func appendRedacted(_ line: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var copied = 0
        for (range, text) in replacements {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: line[copied..<range.lowerBound]))
            out.append(contentsOf: UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
            copied = range.upperBound
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: line[copied...]))
    }

    /// `Redactor.classify` for a run of 9 to 19 digits made only of digits and " -.()+/" (with ".,;:!?)"
    /// at its ends), opening with a digit, '+' or '(' (so it is no IBAN): the part to replace and its label.
    static func phoneOrCard(_ run: UnsafeBufferPointer<UInt8>, digits: Int) -> (Range<Int>, StaticString)? {
        var start = 0, end = run.count
        while start < end, isRunTrim(run[start]) { start += 1 }
        while end > start, isRunTrim(run[end - 1]) { end -= 1 }
        let core = run[start..<end]
        var separatorsOnly = true, spaceDashOrDot = false
        for b in core where !Redactor.isASCIIDigit(b) {
            if b == 0x20 || b == 0x2D || b == 0x2E { spaceDashOrDot = true }
            if b != 0x20, b != 0x2D { separatorsOnly = false }
        }
        if separatorsOnly, (13...19).contains(digits),
            Redactor.luhnValid(reversedDigits: core.reversed().lazy.filter(Redactor.isASCIIDigit).map { Int($0 - 0x30) })
        {
            return (start..<end, "[CARD]")
        }
        guard (9...15).contains(digits), let first = core.first, first == 0x2B || first == 0x28 || first == 0x30 || spaceDashOrDot
        else { return nil }
        // Dates (2026-11-20) stay: three digit groups, ten characters, a dash, not starting with 0.
        if core.count == 10, core.contains(0x2D), first != 0x30 {
            var groups = 0
            var inGroup = false
            for b in core {
                let digit = Redactor.isASCIIDigit(b)
                if digit, !inGroup { groups += 1 }
                inGroup = digit
            }
            if groups == 3 { return nil }
        }
        return (start..<end, "[PHONE]")
    }

    /// The rule of `Redactor.asciiEmail`: each '@' with, before it, letters, digits and "._%+-" (not
    /// starting with a dot) and, after it, letters, digits, dots and hyphens holding a dot (the full stops
    /// and hyphens after it are punctuation: "write to jane@example.org."). What is around an address is not
    /// part of it, so it is found inside brackets, quotes, HTML tags and links: "<p>jane@example.org</p>",
    /// "mailto:jane@example.org". (Until the sixteenth session a whole word, brackets and punctuation
    /// trimmed, had to be the address, and an HTML part's addresses were kept.)
    static func eachAddress(in word: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
        eachAddress(in: word, at: 0x40, dot: 0x2E, hyphen: 0x2D, isDomain: isDomainByte, isLocal: isLocalByte, body)
    }

    /// The rule itself, for bytes here and for Characters (`Redactor.anyEmail`), so both paths find the
    /// same addresses.
    @inline(__always)
    static func eachAddress<Word: RandomAccessCollection>(
        in word: Word, at: Word.Element, dot: Word.Element, hyphen: Word.Element, isDomain: (Word.Element) -> Bool,
        isLocal: (Word.Element) -> Bool, _ body: (Range<Int>) -> Void
    ) where Word.Index == Int, Word.Element: Equatable {
        var searched = word.startIndex
        while let at = word[searched...].firstIndex(of: at) {
            var end = at + 1
            while end < word.endIndex, isDomain(word[end]) { end += 1 }
            let next = end
            while end > at + 1, word[end - 1] == dot || word[end - 1] == hyphen { end -= 1 }
            var start = at
            while start > searched, isLocal(word[start - 1]) { start -= 1 }
            while start < at, word[start] == dot { start += 1 }
            if start < at, word[(at + 1)..<end].contains(dot) {
                body(start..<end)
                searched = end
            } else {
                searched = max(at + 1, next)
            }
            if searched >= word.endIndex { return }
        }
    }

    @inline(__always) static func isDomainByte(_ b: UInt8) -> Bool {
        Redactor.isASCIIDigit(b) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || b == 0x2E || b == 0x2D
    }

    @inline(__always) static func isLocalByte(_ b: UInt8) -> Bool {
        isDomainByte(b) || b == 0x5F || b == 0x25 || b == 0x2B
    }

    /// Two capitals then two digits, as IBANs start ("GB82").
    static func looksLikeIBANStart(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        word.count >= 4 && word[0] >= 0x41 && word[0] <= 0x5A && word[1] >= 0x41 && word[1] <= 0x5A
            && Redactor.isASCIIDigit(word[2]) && Redactor.isASCIIDigit(word[3])
    }

    static func digitCount(_ word: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        for b in word where Redactor.isASCIIDigit(b) { count += 1 }
        return count
    }

    /// `Redactor.RunStep` of a word after a number run's space, on bytes.
    static func runStep(_ word: UnsafeBufferPointer<UInt8>) -> Redactor.RunStep? {
        if isNumberish(word) { return .continues }
        var kept = word.count
        while kept > 0, Redactor.isClauseMark(word[kept - 1]) { kept -= 1 }
        return kept > 0 && kept < word.count && isNumberish(UnsafeBufferPointer(rebasing: word[..<kept])) ? .closes : nil
    }

    /// `Redactor`'s number-ish word: digits with "-.()/", or capitals and digits; a digit either way.
    static func isNumberish(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        var digit = false, punctuation = false, capital = false
        for b in word {
            if Redactor.isASCIIDigit(b) { digit = true }
            else if b == 0x2D || b == 0x2E || b == 0x28 || b == 0x29 || b == 0x2F { punctuation = true }
            else if b >= 0x41, b <= 0x5A { capital = true }
            else { return false }
        }
        return digit && !(punctuation && capital) && (punctuation || word.count >= 2 || !capital)
    }

    /// Whether a run that opens with a digit, '+' or '(' could be a phone or a card once its trailing and
    /// leading ".,;:!?)" are trimmed: only digits and " -.()+/" inside (a run holding a letter is neither,
    /// and it cannot be an IBAN, which opens with two capitals).
    static func mayBePhoneOrCard(_ run: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = 0, end = run.count
        while start < end, isRunTrim(run[start]) { start += 1 }
        while end > start, isRunTrim(run[end - 1]) { end -= 1 }
        for b in run[start..<end] {
            guard Redactor.isASCIIDigit(b) || b == 0x20 || b == 0x2D || b == 0x2E || b == 0x28 || b == 0x29 || b == 0x2B || b == 0x2F
            else { return false }
        }
        return true
    }

    /// ".,;:!?)": trimmed from a number run's ends before it is classified.
    static func isRunTrim(_ b: UInt8) -> Bool {
        b == 0x2E || b == 0x2C || b == 0x3B || b == 0x3A || b == 0x21 || b == 0x3F || b == 0x29
    }
}
