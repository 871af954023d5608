/// "Never … again" with words between ("never flying with you again", "will never use them again") says the
/// customer will not come back, as the phrase "never again" does; "never" alone only negates the word after
/// it, and none of these words is rated. Scored once, at "never", with the valence of the "never again" entry
/// (so a user's lexicon that overrides it overrides this too). Written for voc (2026); Hutto and Gilbert's
/// scorer has no such rule.
enum Churn {
    /// How many words may stand between "never" and "again": enough for a verb, a preposition, an object
    /// and a name ("never flying with United again"), few enough to stay in one thought.
    static let window = 4
    /// The word that closes a churn.
    static let closing = "again"
    /// The words the rule asks for, interned whether or not a lexicon lists them.
    static let words: Set<String> = ["never", closing]

    /// Where the "again" that closes a churn with the "never" at `position` stands, or nil: within `window`
    /// words after it (not right after it: "never again" is the lexicon's phrase), in the same clause.
    static func again(after position: Int, in words: WordSlots) -> Int? {
        var k = position + 1
        while k < words.count, k - position <= window + 1 {
            if words[k].startsClause || words[k].isContrast { return nil }
            if words[k].isAgain { return k > position + 1 ? k : nil }
            k += 1
        }
        return nil
    }
}
