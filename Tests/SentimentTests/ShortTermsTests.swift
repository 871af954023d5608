import Testing
import Text

@testable import Sentiment

@Suite struct ShortTermsTests {
    /// The scorer's two tables answer every word from them: each listed term finds its own slot, through its
    /// presence bits and the probing loop, and a word no term spells finds the unlisted slot.
    @Test func everyTermFindsItsSlotAndOtherWordsNone() {
        var generator = SystemRandomNumberGenerator()
        func randomWord(_ length: Int) -> String {
            String(decoding: (0..<length).map { _ in UInt8.random(in: 0x61...0x7A, using: &generator) }, as: UTF8.self)
        }
        var terms = TermTable()
        // Short words collide often (26 one-letter words, 676 two-letter ones): the probing loop is exercised.
        for _ in 0..<6_000 { _ = terms.intern(randomWord(Int.random(in: 1...16, using: &generator))) }
        let keys = ShortTerms.keys(of: terms)
        #expect(keys.count == terms.count)
        let slots = [WordSlot(entry: Lexicons.Entry(), id: -1)] + (0..<terms.count).map { WordSlot(entry: Lexicons.Entry(), id: Int32($0)) }
        let short = ShortTerms(keys: keys, slots: slots, lengths: 1...8)
        let medium = ShortTerms(keys: keys, slots: slots, lengths: 9...16)
        func lookup(_ word: String) -> Int32 {
            var key = word
            let (low, high) = key.withUTF8 { TermTable.key16(asciiLowercasingIn: $0, from: 0, to: $0.count)! }
            return (high == 0 ? short.slot(low: low) : medium.slot(low: low, high: high)).pointee.id
        }
        let wrong = (0..<Int32(terms.count)).filter { lookup(terms.term($0)) != $0 }
        #expect(wrong.count == 0, "terms not found: \(wrong.prefix(5))")
        let others = (0..<50_000).map { _ in randomWord(Int.random(in: 3...16, using: &generator)) }.filter { terms.find($0) == nil }
        #expect(others.allSatisfy { lookup($0) == -1 })
    }

    /// A term holding a zero byte is left out of the tables; the test on the whole word answers as a byte loop.
    @Test func zeroBytesAreFoundOnlyWithinTheTerm() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            var word = UInt64.random(in: 0...UInt64.max, using: &generator)
            for _ in 0..<Int.random(in: 0...3, using: &generator) {  // plant zero bytes anywhere
                word &= ~(0xFF << UInt64(8 * Int.random(in: 0..<8, using: &generator)))
            }
            let count = Int.random(in: 0...8, using: &generator)
            let byteLoop = (0..<count).contains { word >> UInt64($0 * 8) & 0xFF == 0 }
            #expect(ShortTerms.holdsZero(word, in: count) == byteLoop, "\(String(word, radix: 16)) \(count)")
        }
    }
}
