import Text

/// A positive word written as a name in the middle of a sentence ("I flew United", "Virgin lost my bag",
/// "bought it at Best Buy") is a name, not praise. Only Titlecase words after the first word of a sentence
/// count, and only when the message is not written in Title Case throughout.
enum ProperNoun {
    /// A Titlecase word ("United"), not ALL-CAPS and not one letter.
    static func looksLikeName(_ token: Token, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard token.kind == .word, !token.flags.contains(.allCaps), token.byteCount >= 2 else { return false }
        let first = bytes[token.start]
        guard first >= 0x41, first <= 0x5A else { return false }
        for k in (token.start + 1)..<token.end where bytes[k] >= 0x41 && bytes[k] <= 0x5A { return false }
        return true
    }

    /// A message in Title Case ("Great Service From Your Team") has no names to tell apart: checked once.
    /// Sentence-initial words and "I" are capitalised anyway, so only the other words of two or more letters count.
    static func isTitleCase(_ text: TokenizedText) -> Bool {
        text.bytes.withUnsafeBufferPointer { bytes in
            var count = TitleCaseCount(bytes: bytes)
            for range in text.sentences {
                for index in range { count.token(text.tokens[index]) }
                count.endSentence()
            }
            return count.isTitleCase
        }
    }

    /// `isTitleCase` for a text not tokenized: its tokens counted as the scanner reads them, without a token
    /// list (making one, for the rare text with a capitalised positive word, was 2% of `voc score`).
    static func isTitleCase(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var count = TitleCaseCount(bytes: bytes)
        Tokenizer.scan(bytes, into: &count)
        return count.isTitleCase
    }

    /// Counts the words that are not first in their sentence, and those of them capitalised.
    private struct TitleCaseCount: TokenSink {
        let bytes: UnsafeBufferPointer<UInt8>
        var words = 0, titled = 0
        var first = true

        var isTitleCase: Bool { words > 0 && titled * 2 > words }

        mutating func token(_ token: Token) {
            guard token.kind == .word else { return }
            defer { first = false }
            guard !first, token.byteCount >= 2 else { return }
            words += 1
            let b = bytes[token.start]
            if b >= 0x41, b <= 0x5A { titled += 1 }
        }

        mutating func endSentence() { first = true }
    }
}
