/// "Couldn't be better", "could not be more helpful", "couldn't have been happier", "can't get any worse": a
/// degree that could not be higher is the highest, so the word keeps its sign and is raised as a booster
/// raises it, where negation flipped it ("couldn't be worse" scored as praise) and irrealis blocked it
/// ("could not be more pleased" scored nothing). Without "more" or "any" the word must be a comparative (a
/// lexicon term ending in -er, or "worse"): "couldn't be happy" is plain negation. "Never" before "been",
/// "felt" or "looked" says the same of the past: "I've never been happier", "never felt better", "service has
/// never been worse". Written for voc (2026).
enum Unsurpassed {
    /// Raised as by one booster (Hutto and Gilbert's 0.293): "couldn't be better" is "extremely good".
    static let increment = 0.293
    static let negatedModals: Set<String> = ["couldn't", "couldnt", "can't", "cant", "cannot"]
    static let modals: Set<String> = ["could", "can"]
    static let copulas: Set<String> = ["be", "get"]
    static let degrees: Set<String> = ["more", "any"]
    /// The verbs after "never" in "never been happier", "never felt better", "never looked better".
    static let neverLinks: Set<String> = ["been", "felt", "looked"]

    /// Whether a lexicon term is a comparative for the rule: one word ending in -er, or "worse". (It reads the
    /// term's bytes in place: through `hasSuffix` or the UTF-8 view's indices, asked of every term, it was one
    /// to two milliseconds of start-up.)
    static func isComparative(_ term: String) -> Bool {
        term.utf8.withContiguousStorageIfAvailable { bytes in
            let n = bytes.count
            guard n > 2, !bytes.contains(0x20) else { return false }
            return (bytes[n - 2] == 0x65 && bytes[n - 1] == 0x72) || (n == 5 && bytes.elementsEqual("worse".utf8))
        } ?? false
    }

    /// The rule's words as flags by term id, made once per scorer. A class: the scorer hands
    /// it to the rule for every sentence, where a struct of arrays was copied onto the stack each time.
    final class Words: Sendable {
        let negatedModals, modals, not, copulas, been, have, never, neverLinks: [Bool]

        /// `flags` gives the flags by term id of a set of words.
        init(_ flags: (Set<String>) -> [Bool]) {
            negatedModals = flags(Unsurpassed.negatedModals)
            modals = flags(Unsurpassed.modals)
            not = flags(["not"])
            copulas = flags(Unsurpassed.copulas)
            been = flags(["been"])
            have = flags(["have"])
            never = flags(["never"])
            neverLinks = flags(Unsurpassed.neverLinks)
        }

        static var all: Set<String> {
            Unsurpassed.negatedModals.union(Unsurpassed.modals).union(Unsurpassed.copulas).union(Unsurpassed.degrees)
                .union(["not", "been", "have", "never"]).union(Unsurpassed.neverLinks)
        }
    }

    /// Whether the word at `position` may end the construction: a comparative, or after "more" or "any". Two
    /// bits of the slots, asked first: most hits end here.
    @inline(__always)
    static func mayEnd(at position: Int, in words: WordSlots) -> Bool {
        words[position].isComparative || (position > 0 && words[position - 1].isDegree)
    }

    /// The negator of the construction ending at the word at `position` ("couldn't" in "couldn't be better",
    /// "not" in "could not be more helpful"), or nil when the word does not end one.
    @inline(never)
    static func negator(at position: Int, in words: WordSlots, _ vocabulary: Words) -> Int? {
        func isListed(_ k: Int, _ flags: [Bool]) -> Bool { k >= 0 && words[k].isListed(in: flags) }
        var k = position - 1
        if k >= 0, words[k].isDegree { k -= 1 }
        if isListed(k, vocabulary.neverLinks), isListed(k - 1, vocabulary.never) { return k - 1 }
        if isListed(k, vocabulary.been), isListed(k - 1, vocabulary.have) {
            k -= 2
        } else if isListed(k, vocabulary.copulas) {
            k -= 1
        } else {
            return nil
        }
        if isListed(k, vocabulary.negatedModals) { return k }
        if isListed(k, vocabulary.not), isListed(k - 1, vocabulary.modals) { return k }
        return nil
    }
}
