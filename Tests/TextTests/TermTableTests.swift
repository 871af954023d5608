import Testing
import Text

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
}
