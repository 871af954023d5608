import FuzzSupport
import Sentiment
import Text

/// The real lexicons, loaded once; the scorer runs on every tokenized input too.
let scorer: LexiconScorer = {
    let lexicons = (#filePath as String).split(separator: "/").dropLast(4).joined(separator: "/")
    do {
        return LexiconScorer(lexicons: try Lexicons.load(directory: "/" + lexicons + "/lexicons"), explains: true)
    } catch {
        fatalError("cannot load lexicons: \(error)")
    }
}()

/// libFuzzer entry: any bytes are tokenized; tokens must be ordered, in bounds and non-empty, sentences must
/// cover token ranges in order, and the score must be a finite number in [-1, 1], the same when the scanner
/// feeds the scorer directly (`score(utf8:in:)`, as `voc score` does) as when the tokens are scored.
fuzz { input in
    let bytes = Array(input)
    let text = Tokenizer().tokenize(utf8: bytes)
    var previousEnd = 0
    for token in text.tokens {
        require(token.start >= previousEnd && token.end > token.start && token.end <= bytes.count, "token range")
        previousEnd = token.end
    }
    var previousSentence = 0
    for sentence in text.sentences {
        require(sentence.lowerBound >= previousSentence && sentence.upperBound <= text.tokens.count, "sentence range")
        previousSentence = sentence.upperBound
    }
    let score = scorer.score(text)
    require(score.compound.isFinite && abs(score.compound) <= 1, "compound outside [-1, 1]")
    var workspace = LexiconScorer.Workspace()
    let scanned = bytes.withUnsafeBufferPointer { scorer.score(utf8: $0, in: &workspace) }
    require(scanned == score, "scanned and tokenized scores differ")
}
