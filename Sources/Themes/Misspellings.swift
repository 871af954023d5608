/// Customers type fast: "tracikng number", "bonus poitns", "price inrcease". A taxonomy term with a
/// misspelt word does not match its seed, and the message falls to discovery, where it joins whatever
/// cluster its other words suggest. The commonest slip is two neighbouring letters swapped (Damerau 1964
/// counted transpositions among the four single-error kinds that make up most misspellings), so each word
/// of the taxonomy's terms is also known by its swaps. Only swaps: a dropped or doubled letter, or one
/// letter for another, turns too many words into other real words ("charged"/"changed", "points"/"pints").
public enum Misspellings {
    /// Words shorter than this are left alone: among short words a swap is too often another word ("form").
    public static let minimumLength = 5

    /// Each swap of two different neighbouring letters of `words` (ASCII letters, at least `minimumLength`
    /// of them), mapped to its word. A swap that is a known word (`known`: the lexicons' words, the
    /// stopwords, `words` themselves) or that two words share is left out: it is a word, or ambiguous.
    public static func swaps(of words: some Sequence<String>, known: Set<String>) -> [String: String] {
        var found: [String: String] = [:]
        var ambiguous = Set<String>()
        let words = Set(words)
        for word in words {
            let letters = Array(word.utf8)
            guard letters.count >= minimumLength, letters.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else { continue }
            for i in 0..<(letters.count - 1) where letters[i] != letters[i + 1] {
                var swapped = letters
                swapped.swapAt(i, i + 1)
                let variant = String(decoding: swapped, as: UTF8.self)
                if known.contains(variant) || words.contains(variant) { continue }
                if let other = found[variant], other != word { ambiguous.insert(variant) }
                found[variant] = word
            }
        }
        for variant in ambiguous { found[variant] = nil }
        return found
    }
}
