import Testing
@testable import Text

@Suite struct TokenizerTests {
    let tokenizer = Tokenizer()

    func kinds(_ text: String) -> [String] {
        let t = tokenizer.tokenize(text)
        return t.tokens.map { "\(t.text(of: $0))/\($0.kind)" }
    }

    static let samples = [
        "I can't believe it!!! My order #123456 never arrived 😡",
        "Don’t @united me, see https://example.com/a?b=c. Thanks :)",
        "Prices: $12.50, €9,99 and 20$ — 3.5 stars… ok",
        "👩‍👩‍👧 family; 👍🏽 thumbs; 🇬🇧 flag; 1️⃣ keycap",
        "Ünïcödé wörds, 東京 and العربية mixed\nnew line",
        "Mr. Smith arrived at 10:30 a.m. The end.",
        "", "   ", "\u{200B}\u{202E}bidi\u{202C}", "sooo GOOD!!!", "e-mail me at jane.doe@example.org",
    ]

    @Test(arguments: samples)
    func rangesReproduceTheText(_ text: String) {
        let t = tokenizer.tokenize(text)
        var previousEnd = 0
        for token in t.tokens {
            #expect(token.start >= previousEnd && token.end > token.start && token.end <= t.bytes.count)
            #expect(String(decoding: t.bytes[token.start..<token.end], as: UTF8.self) == t.text(of: token))
            previousEnd = token.end
        }
        // Everything between tokens is white space or an invisible separator.
        var covered = [Bool](repeating: false, count: t.bytes.count)
        for token in t.tokens { for i in token.start..<token.end { covered[i] = true } }
        let gaps = String(decoding: t.bytes.enumerated().filter { !covered[$0.offset] }.map(\.element), as: UTF8.self)
        #expect(gaps.unicodeScalars.allSatisfy { $0.properties.isWhitespace || $0.properties.generalCategory == .format || "’‘“”".unicodeScalars.contains($0) })
    }

    /// The scanner skips quotes and invisible separators before it asks the Unicode tables whether a scalar
    /// starts a word: that order is only right while none of them does.
    @Test func skippedSeparatorsNeverStartAWord() {
        let separators: [UInt32] = [0x2018, 0x2019, 0x201C, 0x201D, 0x00A0, 0x200B, 0xFEFF] + Array(0x2000...0x200F)
            + Array(0x202A...0x202E) + Array(0x2066...0x2069)
        #expect(separators.filter { ScalarClass.of($0).startsWord }.isEmpty)
        #expect(ScalarClass.of(0x00E9).startsWord)  // é does
    }

    @Test(arguments: [
        ("don't stop", ["don't/word", "stop/word"]),
        ("Don’t", ["Don’t/word"]),
        ("@united #fail", ["@united/handle", "#fail/hashtag"]),
        ("order #123456", ["order/word", "#123456/identifier"]),
        ("ticket AB12345", ["ticket/word", "AB12345/identifier"]),
        ("$12.50 or 20$", ["$12.50/money", "or/word", "20$/money"]),
        ("1,000 at 10:30", ["1,000/number", "at/word", "10:30/number"]),
        ("see www.example.com.", ["see/word", "www.example.com/url", "./punctuation"]),
        ("mail jane@example.org", ["mail/word", "jane@example.org/email"]),
        ("great :) bad :(", ["great/word", ":)/emoticon", "bad/word", ":(/emoticon"]),
        ("no!!! really?!", ["no/word", "!!!/punctuation", "really/word", "?!/punctuation"]),
        ("wait...", ["wait/word", ".../ellipsis"]),
        ("👩‍👩‍👧👍🏽", ["👩‍👩‍👧/emoji", "👍🏽/emoji"]),
        ("🇬🇧🇫🇷", ["🇬🇧/emoji", "🇫🇷/emoji"]),
        ("東京", ["東京/word"]),
        // Words one space apart are read in the scanner's inner loop; the letters that may start an
        // emoticon, and what is not a short word, leave it.
        ("so xD ok D: Delta xbox X-ray", ["so/word", "xD/emoticon", "ok/word", "D:/emoticon", "Delta/word", "xbox/word", "X-ray/word"]),
        ("one two  three\tfour five eightletters six 7 sevenup", [
            "one/word", "two/word", "three/word", "four/word", "five/word", "eightletters/word", "six/word", "7/number", "sevenup/word",
        ]),
    ])
    func kindsTable(_ input: String, _ expected: [String]) {
        #expect(kinds(input) == expected)
    }

    /// Where a run of letters ends decides between the short word path and the full one: each ending here
    /// must give the same token either way, flags included, and at every length around the eight-byte reads.
    @Test(arguments: [
        ("late.", ["late/word/", "./punctuation/"]),
        ("late, again", ["late/word/", ",/punctuation/", "again/word/"]),
        ("late:", ["late/word/", ":/punctuation/"]),
        ("yes/no", ["yes/word/", "//punctuation/", "no/word/"]),
        ("bags'", ["bags/word/", "'/punctuation/"]),
        ("bag's", ["bag's/word/"]),
        ("check-in", ["check-in/word/"]),
        ("don't.", ["don't/word/", "./punctuation/"]),
        ("shouldn't've", ["shouldn't've/word/"]),
        ("x-ray's-", ["x-ray's/word/", "-/punctuation/"]),
        ("customer's", ["customer's/word/"]),
        ("DON'T", ["DON'T/word/c"]),
        ("sooo-ooo", ["sooo-ooo/word/e"]),
        ("don't2", ["don't2/identifier/"]),
        ("can't-2", ["can't-2/identifier/"]),
        ("o'clock@x.io", ["o'clock@x.io/email/"]),
        ("it'sé", ["it'sé/word/n"]),
        ("unacceptable. ok", ["unacceptable/word/", "./punctuation/", "ok/word/"]),
        ("customerservice! x", ["customerservice/word/", "!/punctuation/", "x/word/"]),
        ("customerservices x", ["customerservices/word/", "x/word/"]),
        ("TERRIBLEEEEE now", ["TERRIBLEEEEE/word/ce", "now/word/"]),
        ("abcdefghhhij now", ["abcdefghhhij/word/e", "now/word/"]),
        ("abcdefgghijk now", ["abcdefgghijk/word/", "now/word/"]),
        ("abcdefghhijk now", ["abcdefghhijk/word/", "now/word/"]),
        ("Abcdefghijk2 now", ["Abcdefghijk2/identifier/", "now/word/"]),
        ("abcdefghijk's now", ["abcdefghijk's/word/", "now/word/"]),
        ("we are sooo", ["we/word/", "are/word/", "sooo/word/e"]),
        ("we are LATE", ["we/word/", "are/word/", "LATE/word/c"]),
        ("we are late2", ["we/word/", "are/word/", "late2/identifier/"]),
        ("up- front", ["up/word/", "-/punctuation/", "front/word/"]),
        ("flight2day", ["flight2day/identifier/"]),
        ("user_name", ["user_name/word/"]),
        ("caféteria", ["caféteria/word/n"]),
        ("it’s", ["it’s/word/n"]),
        ("SOOOO", ["SOOOO/word/ce"]),
        ("NOOOOOOOOOOOOOO!", ["NOOOOOOOOOOOOOO/word/ce", "!/punctuation/"]),
        ("customerservice", ["customerservice/word/"]),
        ("customerserviceee", ["customerserviceee/word/e"]),
        ("Helloooo", ["Helloooo/word/e"]),
        ("https://x.io ok", ["https://x.io/url/", "ok/word/"]),
        ("WWW.x.io", ["WWW.x.io/url/"]),
        ("how. what: help", ["how/word/", "./punctuation/", "what/word/", ":/punctuation/", "help/word/"]),
        ("hello world", ["hello/word/", "world/word/"]),
        ("wow", ["wow/word/"]),
    ])
    func wordEndings(_ input: String, _ expected: [String]) {
        let t = tokenizer.tokenize(input)
        let got = t.tokens.map { token in
            let flags = (token.flags.contains(.allCaps) ? "c" : "") + (token.flags.contains(.elongated) ? "e" : "")
                + (token.flags.contains(.nonASCII) ? "n" : "")
            return "\(t.text(of: token))/\(token.kind)/\(flags)"
        }
        #expect(got == expected)
    }

    /// `.lowercase` lets the scorer look a word up without lowercasing it, so it must never be set on a token
    /// with a capital or a non-ASCII byte; plain lowercase words get it.
    @Test func lowercaseFlagOnlyOnWordsThatAreTheirOwnKey() {
        for text in TokenizerTests.samples + ["late Late LATE XD sooo don't e-mail x1 Über ok. http://a.io #fail @me"] {
            let t = tokenizer.tokenize(text)
            for token in t.tokens where token.flags.contains(.lowercase) {
                #expect(token.kind == .word)
                #expect(t.bytes[token.start..<token.end].allSatisfy { $0 < 0x80 && !($0 >= 0x41 && $0 <= 0x5A) })
            }
        }
        let t = tokenizer.tokenize("late Late XD sooo")
        #expect(t.tokens.map { $0.flags.contains(.lowercase) } == [true, false, false, true])
    }

    @Test func flagsCapsAndElongation() {
        let t = tokenizer.tokenize("sooo TERRIBLE ok I")
        #expect(t.tokens[0].flags.contains(.elongated))
        #expect(t.tokens[1].flags.contains(.allCaps))
        #expect(!t.tokens[2].flags.contains(.allCaps))
        #expect(!t.tokens[3].flags.contains(.allCaps))  // a single capital letter is not emphasis
    }

    @Test(arguments: [
        ("My bag is lost. Nobody helps! Why?", 3),
        ("Mr. Smith arrived. The end.", 2),
        ("I waited... and waited", 1),
        ("I waited... Then I left", 2),
        ("Great 😍 The staff were nice", 2),
        ("first line\nsecond line", 2),
        ("e.g. this stays one sentence", 1),
    ])
    func sentences(_ text: String, _ count: Int) {
        #expect(tokenizer.tokenize(text).sentences.count == count)
    }

    @Test func termTableInternsAndFindsCaseInsensitively() {
        var table = TermTable()
        let a = table.intern("Refund")
        let b = table.intern("refund")
        #expect(a == b)
        #expect(table.find("REFUND") == a)
        let apostrophe = table.intern("don't")
        #expect(table.find("don’t") == apostrophe)
        let ids = (0..<5_000).map { table.intern("term\($0)") }  // grows the table several times
        #expect(table.count == 5_002)
        // Every term is found with its own id after the growth, and no absent term is found.
        #expect((0..<5_000).allSatisfy { table.find("TERM\($0)") == ids[$0] })
        #expect((0..<5_000).allSatisfy { table.find("term\($0)x") == nil && table.find("absent\($0)") == nil })
    }

    /// The scorer's lookup that lowercases on the fly finds exactly what a normalised key finds.
    @Test func lowercasingLookupAgreesWithNormalisedKeys() {
        var table = TermTable()
        for term in ["refund", "on", "on hold", "don't", "a", "term42", "x-ray"] { table.intern(term) }
        for i in 0..<3_000 { table.intern("word\(i)") }
        for probe in ["Refund", "REFUND", "refund", "refunds", "On", "oN", "DON'T", "A", "b", "Term42", "X-RAY", "word2999", "WORD1", "", "word3000"] {
            let fused = Array(probe.utf8).withUnsafeBufferPointer { table.find(asciiLowercasing: $0) }
            #expect(fused == table.find(probe), "\(probe)")
        }
    }

    /// The word scanner counts letters eight bytes at a time: on random text its ALL-CAPS and elongation
    /// flags must still say what the token's letters say (at least two capitals and no lowercase; three
    /// equal letters in a row), at every alignment and word length.
    @Test func capsAndElongationFlagsMatchTheLetters() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["a", "A", "b", "B", "z", "Z", "aaa", "AAA", "oo", "OO", "@", "[", "`", "{", "0", "9", "'", "-", ".", " ", "  ", "!", "x"]
        for _ in 0..<3_000 {
            let text = (0..<Int.random(in: 1...40, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let tokenized = tokenizer.tokenize(text)
            for token in tokenized.tokens where [.word, .identifier, .number, .money].contains(token.kind) && !token.flags.contains(.nonASCII) {
                let bytes = Array(tokenized.text(of: token).utf8)
                let upper = bytes.filter { $0 >= 0x41 && $0 <= 0x5A }.count
                let lower = bytes.filter { $0 >= 0x61 && $0 <= 0x7A }.count
                func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
                let tripled = bytes.indices.dropFirst(2).contains { k in
                    isLetter(bytes[k]) && bytes[k] == bytes[k - 1] && bytes[k] == bytes[k - 2]
                }
                #expect(token.flags.contains(.allCaps) == (upper >= 2 && lower == 0), "\(text) | \(tokenized.text(of: token))")
                #expect(token.flags.contains(.elongated) == tripled, "\(text) | \(tokenized.text(of: token))")
                if token.kind == .word { #expect(token.flags.contains(.lowercase) == (upper == 0), "\(text) | \(tokenized.text(of: token))") }
            }
        }
    }

    /// The bytes of up to sixteen, little-endian in two words, zero above them.
    private func words16(_ bytes: [UInt8]) -> (UInt64, UInt64) {
        var low: UInt64 = 0, high: UInt64 = 0
        for (k, b) in bytes.enumerated() {
            if k < 8 { low |= UInt64(b) << UInt64(k * 8) } else { high |= UInt64(b) << UInt64((k - 8) * 8) }
        }
        return (low, high)
    }

    /// Every term of up to sixteen bytes is listed once, as its bytes in two words, with its length and id;
    /// longer terms are not.
    @Test func termsOfUpToSixteenBytesAreListedWithTheirBytesAndIDs() {
        var table = TermTable()
        let terms = ["a", "ok", "late", "refund", "terrible", "delayed!", "cancelled", "café", "😊", "unacceptable",
                     "customerservice!", "customerservices", "unprofessionalism"]
        for term in terms { table.intern(term) }
        var listed: [Int32: (UInt64, UInt64, Int)] = [:]
        table.forEachTerm(ofAtMost16Bytes: { low, high, length, id in
            #expect(listed[id] == nil)
            listed[id] = (low, high, length)
        })
        for term in terms {
            let bytes = Array(term.utf8), id = table.find(term)!
            if bytes.count > 16 {
                #expect(listed[id] == nil, "\(term)")
                continue
            }
            let (low, high) = words16(bytes)
            #expect(listed[id]?.0 == low && listed[id]?.1 == high && listed[id]?.2 == bytes.count, "\(term)")
        }
        #expect(listed.count == terms.filter { $0.utf8.count <= 16 }.count)
    }

    /// `key16` reads a word in two loads from its start, or in two ending with it near the text's end, or
    /// byte by byte in a short text: every way must give the word's lowercased bytes, at every offset and
    /// length, and nil past sixteen bytes.
    @Test func sixteenByteKeysHoldAtEveryOffsetAndLength() {
        let alphabet = Array("aZ@[`{'-_xQ".utf8)
        var generator = SystemRandomNumberGenerator()
        for textLength in [1, 7, 8, 9, 15, 16, 17, 23, 24, 40] {
            let text = (0..<textLength).map { _ in alphabet.randomElement(using: &generator)! }
            text.withUnsafeBufferPointer { buffer in
                for start in 0..<textLength {
                    for end in (start + 1)...textLength {
                        let key = TermTable.key16(asciiLowercasingIn: buffer, from: start, to: end)
                        guard end - start <= 16 else {
                            #expect(key == nil)
                            continue
                        }
                        let expected = words16(text[start..<end].map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 })
                        #expect(key?.low == expected.0 && key?.high == expected.1, "\(text) \(start)..<\(end)")
                    }
                }
            }
        }
    }

    /// The hash reads keys eight bytes at a time and lowercases whole words: every length from 1 to 24
    /// and the bytes on both sides of A–Z ("@", "[", "`", "{") must behave as byte-wise lowercasing would.
    @Test func lowercasingLookupHoldsForEveryLengthAndBorderByte() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("@AZ[`az{09_-'.MmQq".utf8)
        var table = TermTable()
        var keys: [[UInt8]] = []
        for length in 1...24 {
            for _ in 0..<40 {
                let key = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
                keys.append(key)
                table.intern(String(decoding: key, as: UTF8.self))
            }
        }
        func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 32 : b }
        for key in keys {
            let expected = table.find(String(decoding: key, as: UTF8.self))
            #expect(expected != nil)
            #expect(key.withUnsafeBufferPointer { table.find(asciiLowercasing: $0) } == expected)
            let lowered = key.map(lower)
            #expect(lowered.withUnsafeBufferPointer { table.find(normalizedKey: $0) } == expected)
            // Found the same way inside a text: with bytes on both sides, and at the text's end (where
            // eight bytes cannot be read from the key's start).
            for (before, after) in [(0, 0), (3, 0), (1, 9), (0, 8), (5, 2)] {
                let text = [UInt8](repeating: 0x20, count: before) + key + [UInt8](repeating: 0x41, count: after)
                let found = text.withUnsafeBufferPointer { table.find(asciiLowercasingIn: $0, from: before, to: before + key.count) }
                #expect(found == expected, "\(String(decoding: key, as: UTF8.self)) \(before) \(after)")
            }
            // "[" is not an uppercase "{", nor "@" an uppercase "`".
            let shifted = key.map { $0 == 0x5B ? 0x7B : $0 == 0x40 ? 0x60 : $0 }
            if shifted != key, !keys.contains(where: { $0.map(lower) == shifted.map(lower) }) {
                #expect(shifted.withUnsafeBufferPointer { table.find(asciiLowercasing: $0) } == nil)
            }
        }
    }

    /// `containsHandle` answers as the tokenizer reads handles: the text's last #tag against its @handles.
    @Test(arguments: [
        "@united my bag #United", "@united_ #united", "@unitedx #united", "jane@united #united", "#united thanks @UNITED",
        "@united", "@uni #united", "@united.#united", "ok @Ünited #ünited", "@ #a",
    ])
    func containsHandleAgreesWithTheTokens(_ text: String) {
        let t = tokenizer.tokenize(text)
        guard let tag = t.tokens.last(where: { $0.kind == .hashtag }) else { return }
        let name = tag.start + 1..<tag.end
        let handles = t.tokens.filter { $0.kind == .handle }.map { t.text(of: $0).dropFirst().lowercased() }
        let expected = handles.contains(String(t.text(of: tag).dropFirst()).lowercased())
        let found = t.bytes.withUnsafeBufferPointer { Tokenizer.containsHandle(named: name, in: $0) }
        #expect(found == expected, "\(text)")
    }
}
