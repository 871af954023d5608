import Testing
@testable import Text

@Suite struct TermTableTests {
    /// `normalize` lowercases only the scalars that change when lowercased: that must give what
    /// `String.lowercased()` gives, for every scalar (its apostrophe mapping aside).
    @Test func normalizingLowercasesEveryScalarAsStringDoes() {
        var differing: [UInt32] = []
        for value in UInt32(0x80)...0x10FFFF where value != 0x2019 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = String(Character(scalar))
            if TermTable.normalize(Array(text.utf8)) != Array(text.lowercased().utf8) { differing.append(value) }
        }
        #expect(differing.isEmpty, "first differing scalars: \(differing.prefix(5).map { String($0, radix: 16) })")
    }

    @Test(arguments: [
        ("Don\u{2019}t", "don't"), ("CAFÉ", "café"), ("ÀÉÎÕÜ", "àéîõü"), ("İstanbul", "i\u{307}stanbul"), ("ΣΟΦΊΑ", "σοφία"),
        ("😡\u{2019}", "😡'"), ("👍🏽", "👍🏽"), ("e\u{301}\u{2019}\u{301}", "e\u{301}'\u{301}"),
    ])
    func normalizingLowercasesAndStraightensApostrophes(_ term: String, _ expected: String) {
        #expect(TermTable.normalize(Array(term.utf8)) == Array(expected.utf8))
        #expect(TermTable.normalized(term) == expected)
    }

    /// The emoji key's shortcut takes a scalar as its own normal form only where no lowercase mapping
    /// changes it; checked here against the Unicode tables rather than trusted.
    @Test func scalarsTakenAsCaselessHaveNoLowercaseMapping() {
        var cased: [UInt32] = []
        for value in UInt32(0x80)...0x10FFFF where KeyBuilder.isCaseless(value) {
            if let scalar = Unicode.Scalar(value), scalar.properties.changesWhenLowercased { cased.append(value) }
        }
        #expect(cased.isEmpty, "cased scalars: \(cased.prefix(5).map { String($0, radix: 16) })")
        #expect(!KeyBuilder.isCaseless(0x24C2))  // Ⓜ lowercases to ⓜ
    }

    /// The keys built in place (emoji, words whose only non-ASCII is ’) are the keys `normalize` and
    /// `stripEmojiModifiers` make; other non-ASCII tokens still take that way.
    @Test(arguments: [
        "👍🏽 great", "🤦\u{200D}♀\u{FE0F} again", "🇺🇸 flag", "❤\u{FE0F}", "Ⓜ\u{FE0F} metro", "🏻 alone", "Don\u{2019}t CAN\u{2019}T",
        "CAFÉ\u{2019}s café", "naïve", "won\u{2019}t\u{2019}ve", "😡😡 ✈ ↗", "\u{1F130} squared",
    ])
    func keysBuiltInPlaceMatchNormalizedKeys(_ text: String) {
        let tokenized = Tokenizer().tokenize(text)
        var builder = KeyBuilder()
        var checked = 0
        for token in tokenized.tokens where token.flags.contains(.nonASCII) {
            builder.set(tokenized, token)
            var expected = TermTable.normalize(Array(tokenized.bytes[token.start..<token.end]))
            if token.kind == .emoji { expected = builder.stripEmojiModifiers(expected) }
            #expect(builder.buffer == expected, "\(tokenized.text(of: token))")
            checked += 1
        }
        #expect(checked > 0)
    }

    /// A table rebuilt from its storage finds every term by the same id, and storage whose parts do not fit
    /// together (a slot naming a term past the last, lengths that disagree) makes no table.
    @Test func storageMakesTheSameTableOrNone() {
        var table = TermTable(capacity: 64)
        let terms = ["refund", "on hold", "über", "customer service", "a", "incomprehensibilities"] + (0..<200).map { "term\($0)" }
        for term in terms { table.intern(term) }
        let storage = table.storage
        let copy = storage.slots.withUnsafeBufferPointer { TermTable(storage: storage.arena, ends: storage.ends, slots: $0, present: storage.present) }
        #expect(copy != nil)
        #expect(terms.allSatisfy { copy?.find($0) == table.find($0) && table.find($0) != nil })
        #expect(copy?.find("refunds") == nil)

        var slots = storage.slots
        let used = slots.indices.first { $0 % 2 == 1 && slots[$0] != 0 }!
        slots[used] = slots[used] & ~0xFFFF_FFFF | UInt64(terms.count + 5)
        #expect(slots.withUnsafeBufferPointer { TermTable(storage: storage.arena, ends: storage.ends, slots: $0, present: storage.present) } == nil)
        var ends = storage.ends
        ends[0] += 1
        #expect(storage.slots.withUnsafeBufferPointer { TermTable(storage: storage.arena, ends: ends, slots: $0, present: storage.present) } == nil)
    }
}
