/// A negator among the three words before a hit flips and damps it ("not good" is mildly negative).
enum Negation {
    /// Hutto and Gilbert (2014): negation multiplies valence by about -0.74, from their human-rated pairs.
    static let scalar = -0.74
    /// How many words back a negator still reaches.
    static let window = 3

    /// The negator in the window before word `position`, if any. A clause boundary (comma, contrast word)
    /// ends the scope, and a negator that belongs to a matched phrase ("no problem") negates nothing else.
    /// The scorer then spends it: one negator negates the first sentiment word after it and no later one
    /// ("doesn't excuse poor service": "excuse" is negated, "poor" stays poor), unless that word is a linking
    /// verb (`linkingVerbs`). "Never so / such" is an exclamation, not a negation (`exclamatory`), and "least"
    /// negates except in "at least" (`leastExceptions`); `vocabulary` holds these words by term id. A verb of
    /// fixing (`remedyVerbs`) in between takes the negation for itself.
    static func negator(at position: Int, in words: WordSlots, _ vocabulary: Words) -> Int? {
        if words[position].startsClause { return nil }
        var k = position - 1
        while k >= 0, position - k <= window {
            if words[k].isNegator, !words[k].consumed {
                if isExclamation(negator: k, at: position, in: words, vocabulary) || isAtLeast(negator: k, in: words, vocabulary) { return nil }
                return k
            }
            if words[k].isContrast || words[k].startsClause { return nil }
            if words[k].isRemedyVerb { return nil }
            k -= 1
        }
        return nil
    }

    /// A negative subject ("nobody", "no one", "nothing") at the start of a clause denies what the clause
    /// says of it however far the words lie: "No one at the store seems to care", "Nobody in your support
    /// team was helpful". Hutto and Gilbert's three-word window misses these, and "care" read as praise.
    /// Only positive words past the window are denied, and all of them ("support" and "helpful" above):
    /// without parts of speech the predicate cannot be told from an object, and a negative object stays
    /// what it is ("No one has replied to my complaint"). Written for voc (2026).
    static let subjects: Set<String> = ["nobody", "nothing", "none", "no-one", "noone"]

    /// "Nobody expected the service to be this good", "nothing prepared me for how good it was": what the
    /// subject denies is the expectation, and the degree before the word ("this", "so", "how") says it was
    /// exceeded: praise, not a denial. A verb of expecting between the subject and a positive word with one
    /// of these right before it leaves the word as it is. Written for voc (2026).
    static let expectations: Set<String> = ["expect", "expects", "expected", "anticipated", "imagined", "predicted", "prepared"]
    static let exceeded: Set<String> = ["this", "that", "so", "such", "how"]

    /// The negative subject that starts the clause of word `position` (past the window), if any; nil past
    /// a contrast word or a verb of fixing.
    static func subject(of position: Int, in words: WordSlots, _ vocabulary: Words) -> Int? {
        var k = position - 1
        while k >= 0 {
            if words[k].isContrast || words[k].isRemedyVerb { return nil }
            if words[k].startsClause {
                guard position - k > window else { return nil }
                let isSubject = words[k].isListed(in: vocabulary.subjects)
                    || (words[k].id == vocabulary.no && k + 1 < position && words[k + 1].id == vocabulary.one)
                guard isSubject else { return nil }
                let exceedsExpectation = words[position - 1].isListed(in: vocabulary.exceeded)
                    && (k + 1..<position - 1).contains { words[$0].isListed(in: vocabulary.expectations) }
                return exceedsExpectation ? nil : k
            }
            k -= 1
        }
        return nil
    }

    /// Remedies a customer asks for, which the customer-service lexicon rates mildly negative because asking
    /// for one signals a problem ("refund", "escalate"). Negated, the remedy did not come ("they won't refund
    /// me", "nobody escalated it"): still a complaint, so negation keeps their sign instead of flipping it to
    /// praise. Written for voc (2026), from the negative customer-service entries that name a remedy.
    static let remedies: Set<String> = ["refund", "refunds", "escalate", "escalated", "rebooked"]
    /// Verbs of fixing that no lexicon rates: negated, the fix did not come and the problem after them stands
    /// ("doesn't fix the issue", "never addressed my complaint"), so a negator before one negates it, not the
    /// words after it. Written for voc (2026).
    static let remedyVerbs: Set<String> = ["fix", "fixed", "fixes", "address", "addressed", "addresses", "handle", "handled", "answer", "answered"]
    /// A negation carries over a list: "not helpful or polite", "not funny, clever or original" deny every
    /// item, where the negator alone reaches only the first. A hit right after a negated hit of the same sign,
    /// with nothing between them but a comma or one of these, is negated too (two words side by side without a
    /// comma are no list: "no dry clothes, stinks frustrated"). ("Doesn't excuse poor service"
    /// is no list: the two words' signs differ.) Written for voc (2026).
    static let coordinators: Set<String> = ["or"]

    /// Whether the negation of `previous` (the sentence's last hit) carries over to the hit at `position`,
    /// whose lexicon value is `base`.
    static func carriesOver(from previous: ScoredWord, to position: Int, base: Double, in words: WordSlots) -> Bool {
        guard previous.rules.contains(.negated), (previous.base > 0) == (base > 0) else { return false }
        let between = previous.slot + previous.span..<position
        return between.isEmpty ? words[position].startsClause : between.count == 1 && words[between.lowerBound].isCoordinator
    }

    /// A negator that is also a rated word ("no", -1.2 in the general lexicon) and negated nothing, nor belongs to
    /// a matched phrase, says no: "a slog with no payoff", "No." Hutto and Gilbert's scorer likewise keeps the
    /// valence of "no" unless a rated word follows it to be negated.
    @inline(__always)
    static func saysNo(_ word: WordSlot) -> Bool {
        // One test of the flags: it is asked of every word of a sentence that holds a negator.
        word.flags & (WordSlot.negatorBit | WordSlot.valenceBit | WordSlot.consumedBit) == WordSlot.negatorBit | WordSlot.valenceBit
    }

    /// Verbs that link a subject to how it is ("not feeling great", "doesn't look good"): negated, they pass
    /// the negation on to the word that says how, instead of spending it. Written for voc (2026); of these only
    /// "feeling" is rated in the general lexicon, and "not feeling great" read as praise.
    static let linkingVerbs: Set<String> = [
        "feel", "feels", "feeling", "felt", "look", "looks", "looking", "looked", "seem", "seems", "seemed", "sound", "sounds", "sounded",
    ]

    /// "No need to escalate", "didn't need a refund": the negation is of the need, and the remedy was not
    /// wanted, so it is negated as any word is.
    static let need: Set<String> = ["need", "needs", "needed"]

    /// True when the negated hit at `position` is a remedy that did not come (see `remedies`): the words
    /// between the negator and it hold no "need" (`need`: flags by term id).
    static func remedyWithheld(negator: Int, at position: Int, in words: WordSlots, need: [Bool]) -> Bool {
        !(negator + 1..<position).contains { words[$0].isListed(in: need) }
    }

    /// "Never" with "so" or "such" between it and the word is an exclamation, not a negation: "never been so
    /// rude", "I have never had such awful service" say the service was awful. Hutto and Gilbert (2014) treat
    /// "never so" as emphasis; "such" is the same construction. "This", which they count too, is left out: in
    /// "never got this fixed" it is the object, and the negation stands.
    static let exclamatory: Set<String> = ["so", "such"]

    /// True when the negator at `negator` is "never" and a word of `exclamatory` stands between it and word
    /// `position`.
    private static func isExclamation(negator: Int, at position: Int, in words: WordSlots, _ vocabulary: Words) -> Bool {
        guard words[negator].id == vocabulary.never else { return false }
        return (negator + 1..<position).contains { words[$0].isListed(in: vocabulary.exclamatory) }
    }

    /// "Least" negates the word it grades ("the least helpful agent" is unhelpful), as Hutto and Gilbert's
    /// scorer has it, but "at least" and "very least" concede instead ("at least the crew was friendly").
    static let leastExceptions: Set<String> = ["at", "very"]

    /// True when the negator at `negator` is "least" after a word of `leastExceptions`.
    private static func isAtLeast(negator: Int, in words: WordSlots, _ vocabulary: Words) -> Bool {
        words[negator].id == vocabulary.least && negator > 0 && words[negator - 1].isListed(in: vocabulary.leastExceptions)
    }

    /// "Never even arrived", "didn't even respond": "even" between a negator and the words of a phrase that
    /// starts with it ("never arrived", "didn't respond") stresses the phrase and does not break it; read
    /// word by word, "arrived" and "respond" are rated by no lexicon and the complaint scored nothing.
    /// Written for voc (2026).
    static let emphasis = "even"

    /// The rule's words as term ids and flags by term id, made once per scorer. A class: the scorer hands
    /// it to the rule for every sentence, where a struct of arrays was copied onto the stack each time.
    final class Words: Sendable {
        let never, least, no, one, even: Int32
        let exclamatory, need, linkingVerbs, leastExceptions, subjects, expectations, exceeded: [Bool]

        /// `flags` gives the flags by term id of a set of words, `id` a word's term id (-1: none).
        init(_ flags: (Set<String>) -> [Bool], id: (String) -> Int32) {
            never = id("never")
            least = id("least")
            no = id("no")
            one = id("one")
            even = id(Negation.emphasis)
            exclamatory = flags(Negation.exclamatory)
            need = flags(Negation.need)
            linkingVerbs = flags(Negation.linkingVerbs)
            leastExceptions = flags(Negation.leastExceptions)
            subjects = flags(Negation.subjects)
            expectations = flags(Negation.expectations)
            exceeded = flags(Negation.exceeded)
        }

        static var all: Set<String> {
            Negation.exclamatory.union(Negation.need).union(Negation.linkingVerbs).union(Negation.leastExceptions).union(Negation.subjects)
                .union(Negation.expectations).union(Negation.exceeded).union(["never", "least", "no", "one", Negation.emphasis])
        }
    }
}
