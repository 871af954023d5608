import Sentiment
import Testing
import Text

@Suite struct LexiconScorerTests {
    /// Word slots are written without checks in release builds, into room sized per sentence; past
    /// `LexiconScorer.largeSentence` tokens the room is counted, a run-together hashtag as two words. A
    /// miscount writes past the room, which the debug build's bounds check (these tests) traps on.
    @Test(arguments: [2_000, 2_100, 5_000])
    func longSentencesGetRoomForEveryWord(_ repeats: Int) {
        let text = String(repeating: "#notimpressed, ", count: repeats)  // two words and a comma each
        let score = SentimentFixture.scorer.score(SentimentFixture.tokenizer.tokenize(text))
        #expect(score.label == .negative)
        #expect(score.sentences.count == 1)
        // Every hashtag is read as "not impressed", so each adds the same hit.
        #expect(score.sentences[0].hits.count == repeats)
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
            #expect(reused.compound == fresh.compound && copied.compound == fresh.compound, "\(text.prefix(30))")
            #expect(reused.label == fresh.label)
        }
    }
}
