import Sentiment
import TestSupport
import Text

/// The shipped lexicons, loaded once for all sentiment tests.
enum SentimentFixture {
    static let lexiconDirectory = PackageLocation.lexicons

    static let tokenizer = Tokenizer()
    static let scorer = LexiconScorer(lexicons: try! Lexicons.load(directory: lexiconDirectory), explains: true)

    static func compound(_ text: String) -> Double { scorer.score(tokenizer.tokenize(text)).compound }
    static func label(_ text: String) -> SentimentScore.Label { scorer.score(tokenizer.tokenize(text)).label }
}
