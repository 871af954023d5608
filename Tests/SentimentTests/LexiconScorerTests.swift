import Foundation
import Sentiment
import Testing
import Text

@Suite struct LexiconScorerTests {
    /// Word slots are written without checks into storage grown by doubling, a run-together hashtag as two
    /// words: a sentence of thousands of words must get every one of them scored.
    @Test(arguments: [2_000, 2_100, 5_000])
    func longSentencesGetRoomForEveryWord(_ repeats: Int) {
        let text = String(repeating: "#notimpressed, ", count: repeats)  // two words and a comma each
        let score = SentimentFixture.scorer.score(SentimentFixture.tokenizer.tokenize(text))
        #expect(score.label == .negative)
        #expect(score.sentences.count == 1)
        // Every hashtag is read as "not impressed", so each adds the same hit.
        #expect(score.sentences[0].hits.count == repeats)
    }

    /// The hit finder visits words from 64-word masks (`SlotTally`): a phrase, a negation, a multi-word booster
    /// or an irrealis marker must score the same wherever it stands, across and past the masks' edges.
    @Test(arguments: [
        "not good", "very bad", "no problem", "kind of rude", "would be great", "never so rude", "good but slow", "never flying with you again",
    ])
    func hitsAreTheSameAcrossTheHitFindersWindows(_ probe: String) {
        let scorer = LexiconScorer(lexicons: SentimentFixture.scorer.lexicons, explains: true)
        func hits(after filler: Int) -> [String] {
            let text = String(repeating: "the ", count: filler) + probe
            return scorer.score(SentimentFixture.tokenizer.tokenize(text)).sentences.flatMap(\.hits)
                .map { "\($0.text) \($0.base) \($0.value) \($0.rules)" }
        }
        let alone = hits(after: 0)
        #expect(!alone.isEmpty)
        for filler in [1, 58, 59, 60, 61, 62, 63, 64, 65, 66, 127, 128, 130] {
            #expect(hits(after: filler) == alone, "after \(filler) words")
        }
    }

    /// "Never … again" is one hit spanning its words, explained as such, and only within one clause.
    @Test func neverAgainWithWordsBetweenIsOneHit() {
        let scorer = LexiconScorer(lexicons: SentimentFixture.scorer.lexicons, explains: true)
        func hits(_ text: String) -> [Hit] { scorer.score(SentimentFixture.tokenizer.tokenize(text)).sentences.flatMap(\.hits) }
        let churn = hits("I will NEVER book with them again")
        #expect(churn.map(\.text) == ["NEVER book with them again"])
        #expect(churn.first?.rules == ["never ... again"])
        #expect(churn.first.map { $0.value == $0.base && $0.base < 0 } == true)
        #expect(hits("Never, I will come again").isEmpty)
        #expect(hits("Never again").map(\.text) == ["Never again"])  // the lexicon's phrase, not the rule
    }

    /// A delay is one hit from the verb to the unit, valued as "took ages" whatever negates it, and none when a
    /// phrase already holds the verb, a word that says no count stands between, or the clause ends first.
    @Test func aDelayIsOneHitFromTheVerbToTheUnit() {
        let scorer = LexiconScorer(lexicons: SentimentFixture.scorer.lexicons, explains: true)
        func hits(_ text: String) -> [Hit] { scorer.score(SentimentFixture.tokenizer.tokenize(text)).sentences.flatMap(\.hits) }
        let agesValence = hits("It took ages").first?.base
        let delay = hits("It took us more than an hour to board")
        #expect(delay.map(\.text) == ["took us more than an hour"])
        #expect(delay.first?.rules == ["a delay: how long it took"])
        #expect(delay.first?.value == agesValence && agesValence.map { $0 < 0 } == true)
        #expect(hits("It didn't take 3 days to reply").first?.value == agesValence, "not negated")
        #expect(hits("Took forever, 3 days").map(\.text) == ["Took forever"])
        #expect(hits("It took my bag 3 days").isEmpty && hits("It took, in all, 3 days").isEmpty && hits("I took a week off").isEmpty)
        // Time gone by: "been" and a count, and nothing when anything but a count stands between.
        #expect(hits("It has been 10 days").map(\.text) == ["been 10 days"] && hits("been over an hour").first?.value == agesValence)
        #expect(hits("I have been a customer for 10 years").isEmpty && hits("Been using it for a year").isEmpty)
    }

    /// "Even" after a negator is read past for the phrase the negator starts: one hit over all its words, none
    /// of which scores alone, and nothing when no phrase follows or the sentence ends first.
    @Test func evenInsideANegatedPhraseKeepsThePhrase() {
        let scorer = LexiconScorer(lexicons: SentimentFixture.scorer.lexicons, explains: true)
        func hits(_ text: String) -> [Hit] { scorer.score(SentimentFixture.tokenizer.tokenize(text)).sentences.flatMap(\.hits) }
        let plain = hits("I didn't like it"), stressed = hits("I didn't even like it")
        #expect(plain.map(\.text) == ["didn't like"] && stressed.map(\.text) == ["didn't even like"])
        #expect(stressed.first?.rules == ["\"even\" stresses the negation"] && stressed.first?.value == plain.first?.value)
        #expect(hits("It never even").isEmpty && hits("never even").isEmpty && hits("The courier never even rang").isEmpty)
        #expect(hits("It never even arrived, it never even arrived").map(\.text) == ["never even arrived", "never even arrived"])
    }

    /// The scanner feeds the sentence builder directly in `score(utf8:in:)`; scoring the tokenized text
    /// replays the same tokens. Both must give the same score, sentences, hits and rules, on the conformance
    /// suite and on random messages built from what the rules look at (lexicon words, caps, elongations,
    /// hashtags, handles, emoji, emoticons, contrast and negation, abbreviations, stops, line breaks, and the
    /// words of the delay, "even", expectation and churn rules).
    @Test func scanningStraightIntoTheScorerGivesTheTokenizedScore() {
        var generator = SystemRandomNumberGenerator()
        let pieces = [
            "good", "GOOD", "Good", "bad", "BAD", "not", "never", "but", "however", "very", "kind of", "sooo", "goooood", "baaad",
            "United", "Thanks", "thank you", "on hold", "still waiting", "no problem", "#fail", "#notimpressed", "#united", "@united",
            "😊", "😡", "👍🏽", ":)", ":(", "xD", "Mr.", "e.g.", "...", "…", "!", "!!!", "?", ".", ",", ";", "-", "\n", "would", "if",
            "flight", "the", "my", "bag", "lost", "refund", "don't", "can’t", "12", "$40", "http://x.co/a", "a@b.com", "café", "Ünïcode",
            "&amp;", "AMAZING", "love", "hate", "help", "please", "kindly", "even", "arrived", "didn't", "like", "took", "3", "weeks",
            "a", "day", "off", "nobody", "expected", "this", "again",
        ]
        var texts = ConformanceTests.polarity.map(\.0)
        for _ in 0..<2_000 {
            texts.append((0..<Int.random(in: 1...30, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }
                .joined(separator: Bool.random(using: &generator) ? " " : ""))
        }
        var workspace = LexiconScorer.Workspace()
        for text in texts {
            let tokenized = SentimentFixture.scorer.score(SentimentFixture.tokenizer.tokenize(text))
            let scanned = Array(text.utf8).withUnsafeBufferPointer { SentimentFixture.scorer.score(utf8: $0, in: &workspace) }
            #expect(scanned == tokenized, "\(text)")
        }
    }

    /// Words are found by different paths: one load for a short word with eight bytes of text after its
    /// start, a table of terms of nine to sixteen bytes, a word read near the text's end, the term table
    /// for longer words and joined ones. Every single-word term of the shipped valence lexicons must be
    /// found with its valence whatever the path: alone, first, last and inside a text, lowercase and in
    /// capitals.
    @Test func everyListedWordIsFoundWhereverItStands() throws {
        let columns = ["term", "valence", "notes"]
        var valence: [String: Double] = [:]
        for name in ["general.tsv", "evaluative.tsv", "customer_service.tsv"] {
            let file = try LexiconFile(contentsOf: SentimentFixture.lexiconDirectory + "/" + name, columns: columns)
            for row in file.rows { valence[row.term] = Double(file.column(1, of: row).trimmingCharacters(in: .whitespaces)) }
        }
        var roles: Set<String> = []
        for (name, columns) in [("negators.tsv", ["term", "notes"]), ("boosters.tsv", ["term", "weight", "notes"]),
                                ("contrast.tsv", ["term", "kind", "notes"]), ("politeness.tsv", ["term", "kind", "notes"])] {
            let file = try LexiconFile(contentsOf: SentimentFixture.lexiconDirectory + "/" + name, columns: columns)
            roles.formUnion(file.rows.map(\.term))
        }
        let words = valence.keys.filter { term in
            !roles.contains(term) && term.first!.isLetter && term.last!.isLetter
                && term.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x27 || $0 == 0x2D }
        }
        #expect(words.count > 5_000)
        var lengths: Set<Int> = []
        var workspace = LexiconScorer.Workspace()
        for word in words {
            lengths.insert(word.utf8.count)
            for text in [word, "zz \(word)", "\(word) zz", "zz zz \(word) zz zz zz zz zz zz", "ZZ \(word.uppercased())"] {
                let score = Array(text.utf8).withUnsafeBufferPointer { SentimentFixture.scorer.score(utf8: $0, in: &workspace) }
                let hits = score.sentences.flatMap(\.hits)
                #expect(hits.first?.base == valence[word], "\(text)")
            }
        }
        #expect(lengths.contains(3) && lengths.contains(12) && lengths.contains { $0 > 16 })
    }

    /// A workspace reused from a long sentence to short ones, and copied, scores as a fresh one does.
    @Test func reusedWorkspacesScoreAsFreshOnes() {
        let texts = [String(repeating: "bad, ", count: 3_000), "Great crew but my bag is lost", "not bad at all", "ok"]
        var workspace = LexiconScorer.Workspace()
        for text in texts {
            let tokens = SentimentFixture.tokenizer.tokenize(text)
            var copy = workspace
            let reused = SentimentFixture.scorer.score(tokens, in: &workspace)
            let copied = SentimentFixture.scorer.score(tokens, in: &copy)
            let fresh = SentimentFixture.scorer.score(tokens)
            #expect(reused == fresh && copied == fresh, "\(text.prefix(30))")
        }
    }
}
