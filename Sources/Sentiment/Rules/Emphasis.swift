/// ALL-CAPS words and runs of `!` and `?` strengthen what is said.
enum Emphasis {
    /// Hutto and Gilbert (2014): an ALL-CAPS sentiment word, in otherwise mixed case, adds about 0.733.
    static let capsIncrement = 0.733
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
