/// ALL-CAPS words and runs of `!` and `?` strengthen what is said.
enum Emphasis {
    /// Hutto and Gilbert (2014): an ALL-CAPS sentiment word, in otherwise mixed case, adds about 0.733.
    static let capsIncrement = 0.733
    /// Words customers write in capitals as a matter of course, so their capitals emphasise nothing: "OK",
    /// and the chat initialisms the general lexicon rates. Written here: the published rule boosts any word in
    /// capitals, which made "The food was OK." (0.26) three times as positive as "The food was ok." (0.08).
    static let conventionalCapitals = [
        "ok", "lol", "lmao", "lmfao", "rofl", "omg", "wtf", "wth", "ffs", "fml", "smh", "ftw", "fyi", "idk", "thx", "ty", "np",
        "pls", "plz", "jk", "imo", "imho", "tbh", "asap",
    ]
    /// Each `!` adds 0.292 in the direction of the sentence, up to four of them (same source).
    static let exclamationIncrement = 0.292
    static let maxExclamations = 4
    /// Two or three `?` add 0.18 each; more add 0.96 in all (same source).
    static let questionIncrement = 0.18
    static let manyQuestions = 0.96

    static func punctuation(exclamations: Int, questions: Int) -> Double {
        let bang = Double(min(exclamations, maxExclamations)) * exclamationIncrement
        let question = questions > 1 ? (questions <= 3 ? Double(questions) * questionIncrement : manyQuestions) : 0
        return bang + question
    }
}
