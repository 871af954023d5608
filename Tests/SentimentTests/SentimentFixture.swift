import Foundation
import Sentiment
import Text

/// The shipped lexicons, loaded once for all sentiment tests.
enum SentimentFixture {
    static let lexiconDirectory: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("lexicons/general.tsv").path) {
                return url.appendingPathComponent("lexicons").path
            }
        }
        return "lexicons"
    }()

    static let tokenizer = Tokenizer()
    static let scorer = LexiconScorer(lexicons: try! Lexicons.load(directory: lexiconDirectory), explains: true)

    static func compound(_ text: String) -> Double { scorer.score(tokenizer.tokenize(text)).compound }
    static func label(_ text: String) -> SentimentScore.Label { scorer.score(tokenizer.tokenize(text)).label }
}
