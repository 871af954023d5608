import Testing
import Text

@testable import Sentiment

@Suite struct ContrastTests {
    /// The multiplier of every word by the rule as first written (three passes over the sentence, a
    /// multiplier per word), kept here as the reference the per-hit weights must equal.
    private static func referenceWeights(_ words: WordSlots) -> [Double] {
        let n = words.count
        var nextClauseStart = [Int](repeating: n, count: n + 1)
        for k in stride(from: n - 1, through: 0, by: -1) { nextClauseStart[k] = words[k].startsClause ? k : nextClauseStart[k + 1] }
        var conceded = [Int](repeating: 0, count: n + 1), kinds = [Int](repeating: 0, count: n)
        var adversatives = 0, concessives = 0
        for position in 0..<n {
            switch words[position].contrastKind {
            case .adversative:
                kinds[position] = 1
                adversatives += 1
            case .concessive:
                kinds[position] = 2
                concessives += 1
                conceded[position + 1] += 1
                conceded[nextClauseStart[position + 1]] -= 1
            case nil:
                break
            }
        }
        var weights = [Double](repeating: 1, count: n)
        var adversativesBefore = 0, inside = 0
        for k in 0..<n {
            inside += conceded[k]
            let adversativesAfter = adversatives - adversativesBefore - (kinds[k] == 1 ? 1 : 0)
            let concessivesOutside = concessives - inside - (kinds[k] == 2 ? 1 : 0)
            var weight = 1.0
            for _ in 0..<min(adversativesAfter + inside, Contrast.maximumStacked) { weight *= Contrast.weakened }
            for _ in 0..<min(adversativesBefore + concessivesOutside, Contrast.maximumStacked) { weight *= Contrast.strengthened }
            weights[k] = weight
            if kinds[k] == 1 { adversativesBefore += 1 }
        }
        return weights
    }

    /// Random sentences of plain words, "but"s, "although"s and clause-initial-only "yet"s, with clause
    /// starts anywhere: the weight `ContrastWords` gives each word equals the reference's.
    @Test func perWordWeightsMatchTheReference() {
        var generator = SystemRandomNumberGenerator()
        var plain = Lexicons.Entry()
        plain.valence = 1
        var but = Lexicons.Entry()
        but.role = .contrast(.adversative)
        var although = Lexicons.Entry()
        although.role = .contrast(.concessive)
        var yet = Lexicons.Entry()
        yet.role = .contrast(.adversative)
        yet.markers.insert(.clauseInitialOnly)
        let kinds = [plain, plain, plain, but, although, yet]
        var contrasted = 0
        for _ in 0..<3_000 {
            let n = Int.random(in: 1...24, using: &generator)
            var slots = (0..<n).map { k -> WordSlot in
                var slot = WordSlot(entry: kinds.randomElement(using: &generator)!, id: 0)
                slot.place(start: k, end: k + 1, allCaps: false, startsClause: k == 0 || Int.random(in: 0..<5, using: &generator) == 0)
                return slot
            }
            slots.withUnsafeMutableBufferPointer { words in
                let expected = Self.referenceWeights(words)
                let found = Contrast.withContrastWords(in: words) { contrastWords in words.indices.map { contrastWords.weight(at: $0) } }
                #expect(found == expected, "\(words.map { $0.contrastKind.map { "\($0)" } ?? (($0.startsClause ? "|" : "") + "w") })")
                if expected.contains(where: { $0 != 1 }) { contrasted += 1 }
            }
        }
        #expect(contrasted > 1_000)
    }

    /// Conceded praise with nothing rated in the main clause: one hit at the contrast word that opens the main
    /// clause, opposing the strongest of the praise; none when a main-clause word is rated, when what is
    /// conceded is a complaint, or when no word is in a main clause.
    @Test func anUnratedMainClauseOpposesTheConcededPraise() {
        let scorer = LexiconScorer(lexicons: SentimentFixture.scorer.lexicons, explains: true)
        func hits(_ text: String) -> [Hit] { scorer.score(SentimentFixture.tokenizer.tokenize(text)).sentences.flatMap(\.hits) }
        let opposed = hits("The room was nice and clean, but the menu moved again")
        let strongest = hits("nice and clean").map(\.base).max()!
        #expect(opposed.map(\.text) == ["nice", "clean", "but"])
        #expect(opposed.last?.value == -strongest && opposed.last?.rules == ["contrast: the unrated main clause opposes the praise it concedes"])
        #expect(opposed.last?.lexicon == "" && opposed.last?.description.hasPrefix("but -") == true)
        #expect(hits("Although the staff were nice, the room faced the car park").first?.text == "Although")
        #expect(!hits("Lovely crew, but is the lounge open today?").contains { $0.text == "but" })
        #expect(!hits("The room was nice, but the view was awful").contains { $0.text == "but" })
        #expect(!hits("The delay was awful, but the menu moved").contains { $0.text == "but" })
        #expect(hits("Nice, but").map(\.text) == ["Nice"])
    }
}
