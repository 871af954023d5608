/// The Text stage's role: text in, tokens and sentences out.
public protocol TextTokenizer: Sendable {
    func tokenize(_ text: String) -> TokenizedText
}

/// A fast tokenizer for customer messages, working on UTF-8 bytes.
///
/// Handles words in any script, contractions, numbers, money, order and ticket numbers, URLs, email
/// addresses, @handles, #hashtags, emoticons, emoji sequences (ZWJ, skin tones, flags, keycaps), runs of
/// punctuation, elongations and ALL-CAPS, and splits sentences (abbreviations and ellipses do not end one).
public struct Tokenizer: TextTokenizer {
    public init() {}

    public func tokenize(_ text: String) -> TokenizedText { tokenize(utf8: Array(text.utf8)) }

    /// Tokenizes UTF-8 bytes directly (invalid sequences are scanned as single symbols, never trapped on).
    public func tokenize(utf8 bytes: [UInt8]) -> TokenizedText {
        var text = TokenizedText(bytes: bytes)
        text.tokens.reserveCapacity(bytes.count / 4)
        scan(&text)
        return text
    }

    /// Tokenizes `bytes` into `text`, reusing its buffers: for callers that tokenize many texts in a row
    /// (`voc score`, `voc cluster`, a week's analysis), where three allocations per text were a visible share
    /// of the time.
    public func tokenize(utf8 bytes: ArraySlice<UInt8>, into text: inout TokenizedText) {
        bytes.withUnsafeBufferPointer { tokenize(utf8: $0, into: &text) }
    }

    /// `tokenize(utf8:into:)` for bytes in memory the caller holds (a mapped input file).
    public func tokenize(utf8 bytes: UnsafeBufferPointer<UInt8>, into text: inout TokenizedText) {
        text.bytes.removeAll(keepingCapacity: true)
        text.bytes.append(contentsOf: bytes)
        scan(&text)
    }

    /// `tokenize(utf8:into:)` for a String.
    public func tokenize(_ string: String, into text: inout TokenizedText) {
        text.bytes.removeAll(keepingCapacity: true)
        text.bytes.append(contentsOf: string.utf8)
        scan(&text)
    }

    /// Tokens and sentences of `text.bytes`, replacing any the text held.
    private func scan(_ text: inout TokenizedText) {
        // The lists move into the sink and back, so they stay uniquely held and are appended to in place.
        var sink = TokenList(tokens: text.tokens, sentences: text.sentences)
        text.tokens = []
        text.sentences = []
        sink.tokens.removeAll(keepingCapacity: true)
        sink.sentences.removeAll(keepingCapacity: true)
        text.bytes.withUnsafeBufferPointer { buffer in
            var scanner = Scanner(bytes: buffer)
            scanner.run(into: &sink)
        }
        text.tokens = sink.tokens
        text.sentences = sink.sentences
    }

    /// Scans `bytes` into `sink` token by token, as `tokenize` would list them, without keeping them: for a
    /// stage that reads each token once (the sentiment scorer), so no token list is written and read back.
    @inlinable
    public static func scan<Sink: TokenSink>(_ bytes: UnsafeBufferPointer<UInt8>, into sink: inout Sink) {
        var scanner = Scanner(bytes: bytes)
        scanner.run(into: &sink)
    }

    /// Whether `text` holds an @handle named by the bytes at `name` (ASCII case aside), a handle as the scanner
    /// reads one: "@" at the start or after a space, then word bytes. For a rule that asks it rarely, so the
    /// text is searched then rather than every handle's place kept.
    public static func containsHandle(named name: Range<Int>, in text: UnsafeBufferPointer<UInt8>) -> Bool {
        var at = 0
        while at + name.count < text.count {
            if text[at] == 0x40, at == 0 || isSpace(text[at - 1]),
                at + name.count + 1 == text.count || !isWordByte(text[at + name.count + 1]),
                (0..<name.count).allSatisfy({ lowerASCII(text[at + 1 + $0]) == lowerASCII(text[name.lowerBound + $0]) })
            {
                return true
            }
            at += 1
        }
        return false
    }
}

/// Receives a text's tokens in order and the end of each sentence (never of an empty one).
public protocol TokenSink {
    mutating func token(_ token: Token)
    /// A word of one to seven ASCII letters, with its bytes lowercased as one little-endian word (zero
    /// above the word): the scanner has them in a register, so a lookup need not read the word again.
    mutating func word(_ token: Token, lowercased: UInt64)
    /// A word of eight to fifteen ASCII letters, its bytes lowercased as two little-endian words (`low` the
    /// first eight, `high` the rest, zero above the word), read by the scanner in two loads.
    mutating func word(_ token: Token, low: UInt64, high: UInt64)
    mutating func endSentence()
}

extension TokenSink {
    @inlinable @inline(__always)
    public mutating func word(_ token: Token, lowercased: UInt64) { self.token(token) }

    @inlinable @inline(__always)
    public mutating func word(_ token: Token, low: UInt64, high: UInt64) { self.token(token) }
}

/// The sink behind `Tokenizer.tokenize`: every token listed, sentences as ranges of the list.
struct TokenList: TokenSink {
    var tokens: [Token]
    var sentences: [Range<Int>]
    var sentenceStart = 0

    @inline(__always) mutating func token(_ token: Token) { tokens.append(token) }

    @inline(__always) mutating func endSentence() {
        sentences.append(sentenceStart..<tokens.count)
        sentenceStart = tokens.count
    }
}

/// The state machine behind `Tokenizer`, kept apart from its API. Inlinable, with its hot helpers, so a
/// sink in another module (the scorer's) is specialised into the loop rather than called per token.
@usableFromInline
struct Scanner {
    @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
    @usableFromInline var i = 0
    /// What sentence splitting asks of earlier tokens: how many the open sentence holds, and the last one
    /// (before a full stop: an abbreviation or an initial does not end a sentence; start -1: none yet).
    @usableFromInline var sentenceTokens = 0
    /// Without its flags (`emitted`): sentence splitting never asks them.
    @usableFromInline var last = Token(start: -1, end: -1, kind: .symbol)

    @inlinable init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    @inlinable @inline(__always)
    mutating func emit<Sink: TokenSink>(_ token: Token, _ sink: inout Sink) {
        sink.token(token)
        emitted(token)
    }

    @inlinable @inline(__always)
    mutating func emitWord<Sink: TokenSink>(_ token: Token, lowercased: UInt64, _ sink: inout Sink) {
        sink.word(token, lowercased: lowercased)
        emitted(token)
    }

    @inlinable @inline(__always)
    mutating func emitWord<Sink: TokenSink>(_ token: Token, low: UInt64, high: UInt64, _ sink: inout Sink) {
        sink.word(token, low: low, high: high)
        emitted(token)
    }

    /// Counts the token into its sentence and keeps its place and kind, not its flags: a word's flags are
    /// then live only where the sink reads them, not stored for every word.
    @inlinable @inline(__always)
    mutating func emitted(_ token: Token) {
        last = Token(start: token.start, end: token.end, kind: token.kind)
        sentenceTokens &+= 1
    }

    @inlinable @inline(__always)
    mutating func endSentence<Sink: TokenSink>(_ sink: inout Sink) {
        if sentenceTokens > 0 { sink.endSentence() }
        sentenceTokens = 0
    }

    /// The position lives in a local through the loop and is written back to `i` only around the helpers
    /// that read or move it there (the rare tokens'): kept in the struct, it was stored and loaded again at
    /// every pass through the loop's head, a store and a load on the chain each byte of a text waits on.
    @inlinable
    mutating func run<Sink: TokenSink>(into sink: inout Sink) {
        let n = bytes.count
        var at = i
        while at < n {
            let b = bytes[at]
            if b == 0x0A {  // a line break ends a sentence: chat lines and email paragraphs rarely end with a stop
                at += 1
                endSentence(&sink)
                continue
            }
            if b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0C {
                at += 1
                continue
            }
            let start = at
            // Asked only of the bytes that care (a possible emoticon, an "@"): reading the byte before every
            // token was a tenth of a word's way through this loop.
            var precededBySpace: Bool { start == 0 || isSpace(bytes[start &- 1]) }
            if b < 0x80 {
                // Letters first: most tokens are words, and of the emoticons only "xD", "XD" and "D:" start
                // with a letter (asking every byte the emoticon question first was a twentieth of a word's way).
                if !Scanner.startsPlainWord(b), Scanner.mayStartEmoticon(b), precededBySpace, let length = Scanner.emoticonLength(at: at, in: bytes) {
                    emit(Token(start: at, end: at + length, kind: .emoticon), &sink)
                    at += length
                    continue
                }
                if isLetter(b) {
                    // Short words one space apart, most of a message, are read in this inner loop: the byte
                    // after each word comes with it, and the next word starts a byte later.
                    var wordStart = at
                    while true {
                        guard let (word, lowercased, next) = shortWord(at: wordStart) else {
                            at = wordStart
                            if let (word, low, high) = longWord(at: at) {
                                at = word.end
                                emitWord(word, low: low, high: high, &sink)
                            } else {
                                i = at
                                let token = scanLetters()
                                at = i
                                emit(token, &sink)
                            }
                            break
                        }
                        at = word.end
                        emitWord(word, lowercased: lowercased, &sink)
                        guard next == 0x20, at &+ 1 < n, Scanner.startsPlainWord(bytes[at &+ 1]) else { break }
                        wordStart = at &+ 1
                    }
                    continue
                }
                if b &- 0x30 < 10 {  // numbers, times, amounts: the full scanner's, straight away
                    i = at
                    let token = scanWordLikeInFull()
                    at = i
                    emit(token, &sink)
                    continue
                }
                switch b {
                case 0x40 where precededBySpace && at + 1 < n && isWordByte(bytes[at + 1]):  // @handle
                    at += 1
                    while at < n, isWordByte(bytes[at]) { at += 1 }
                    emit(Token(start: start, end: at, kind: .handle), &sink)
                case 0x23 where at + 1 < n && isAlnum(bytes[at + 1]):  // #hashtag or #12345 order number
                    at += 1
                    var digitsOnly = true
                    while at < n, isWordByte(bytes[at]) {
                        if !isDigit(bytes[at]) { digitsOnly = false }
                        at += 1
                    }
                    emit(Token(start: start, end: at, kind: digitsOnly ? .identifier : .hashtag), &sink)
                case 0x24 where at + 1 < n && isDigit(bytes[at + 1]):  // $12.50
                    at = Scanner.numberBodyEnd(from: at + 1, in: bytes)
                    emit(Token(start: start, end: at, kind: .money), &sink)
                case 0x26 where Scanner.htmlEntityLength(at: at, in: bytes) > 0:  // &amp; &gt; &#39; left in exported text: one symbol, never a word
                    at += Scanner.htmlEntityLength(at: at, in: bytes)
                    emit(Token(start: start, end: at, kind: .symbol), &sink)
                case 0x21, 0x3F:  // ! and ? runs
                    while at < n, bytes[at] == 0x21 || bytes[at] == 0x3F { at += 1 }
                    emit(Token(start: start, end: at, kind: .punctuation), &sink)
                    if !Scanner.followedByLowercase(at, in: bytes) { endSentence(&sink) }
                case 0x2E:  // . or ...
                    while at < n, bytes[at] == 0x2E { at += 1 }
                    let isEllipsis = at - start >= 2
                    let before = last
                    emit(Token(start: start, end: at, kind: isEllipsis ? .ellipsis : .punctuation), &sink)
                    if !isEllipsis, !Scanner.isAbbreviation(before, endingAt: start, in: bytes), !Scanner.followedByLowercase(at, in: bytes) {
                        endSentence(&sink)
                    }
                    if isEllipsis, Scanner.followedByUppercase(at, in: bytes) { endSentence(&sink) }
                case 0x3B:
                    at += 1
                    emit(Token(start: start, end: at, kind: .punctuation), &sink)
                default:
                    at += 1
                    emit(Token(start: start, end: at, kind: isPunctuation(b) ? .punctuation : .symbol), &sink)
                }
                continue
            }
            // Non-ASCII: out of the loop, which then keeps the ASCII path's registers to itself.
            i = at
            nonASCIIToken(&sink)
            at = i
        }
        i = at
        endSentence(&sink)
    }

    /// The token (or separator) at `i`, which starts with a non-ASCII byte: decoded to one scalar and told
    /// apart by its properties.
    @inlinable @inline(never)
    mutating func nonASCIIToken<Sink: TokenSink>(_ sink: inout Sink) {
        let start = i
        let n = bytes.count
        let (value, length) = decode(at: i)
        if value == 0x2026 {  // …
            i += length
            emit(Token(start: start, end: i, kind: .ellipsis), &sink)
            if Scanner.followedByUppercase(i, in: bytes) { endSentence(&sink) }
            return
        }
        if value == 0x00A3 || value == 0x20AC || value == 0x00A5, i + length < n, isDigit(bytes[i + length]) {  // £ € ¥
            i = Scanner.numberBodyEnd(from: i + length, in: bytes)
            emit(Token(start: start, end: i, kind: .money), &sink)
            return
        }
        if isEmojiStart(value) {
            scanEmojiSequence()
            emit(Token(start: start, end: i, kind: .emoji, flags: .nonASCII), &sink)
            if Scanner.followedByUppercase(i, in: bytes) { endSentence(&sink) }
            return
        }
        // Before the Unicode tables are asked (none of these starts a word): curly quotes are most of the
        // non-ASCII in English messages, and the tables cost each of them hundreds of instructions.
        if value == 0x2019 || value == 0x2018 || value == 0x201C || value == 0x201D || value == 0x00A0 || value == 0x200B
            || value == 0xFEFF || (0x2000...0x200F).contains(value) || (0x202A...0x202E).contains(value)
            || (0x2066...0x2069).contains(value)
        {
            // Quotes, non-breaking and zero-width spaces and bidi controls separate words but are not tokens.
            i += length
            return
        }
        if ScalarClass.of(value).startsWord {
            emit(scanWordLikeInFull(), &sink)
            return
        }
        i += length
        emit(Token(start: start, end: i, kind: .symbol, flags: .nonASCII), &sink)
    }

    /// The word at `start` when it is one of up to seven ASCII letters ended by a byte that does not carry
    /// it on (or by the text's end), with its lowercased bytes; nil otherwise. Most words
    /// are: one load holds the word and the byte after it (`ShortWord`). Inlined into the scanner's loop;
    /// eight to fifteen letters go to `longWord`, other runs of letters (longer, or joined by an apostrophe
    /// or hyphen) to `scanLetters`, and everything else (an address, a URL, non-ASCII letters) to
    /// `scanWordLikeInFull`, whose entry and exit (the registers its cases need) cost as much as reading a
    /// short word.
    @inlinable @inline(__always)
    func shortWord(at start: Int) -> (Token, UInt64, next: UInt8)? {
        let n = bytes.count
        let loaded: UInt64
        if start &+ 8 <= n {
            loaded = UnsafeRawPointer(bytes.baseAddress.unsafelyUnwrapped + start).loadUnaligned(as: UInt64.self)
        } else if n >= 8 {
            // Near the end (a text's last word, most often): the eight bytes that end the text, shifted down
            // onto the word. The zero bytes above the text's end are no letters, so they end the word.
            let shift = UInt64(truncatingIfNeeded: (start &+ 8 &- n) &* 8)
            loaded = UnsafeRawPointer(bytes.baseAddress.unsafelyUnwrapped + (n &- 8)).loadUnaligned(as: UInt64.self) &>> shift
        } else {
            return nil
        }
        guard let word = ShortWord(loaded) else { return nil }
        let j = start &+ word.length
        guard !continuesWord(after: word.next, at: j, first: word.first) else { return nil }
        return (Token(start: start, end: j, kind: .word, flags: word.flags), word.lowercased, word.next)
    }

    /// The word at `start` when it is eight to fifteen ASCII letters ended by a byte that does not carry it
    /// on, with its lowercased bytes; nil otherwise. Two loads (`LongWord`), where the
    /// letters path read the word, and the lookup read it again to build its key.
    @inlinable @inline(__always)
    func longWord(at start: Int) -> (Token, UInt64, UInt64)? {
        guard start &+ 16 <= bytes.count else { return nil }
        let base = UnsafeRawPointer(bytes.baseAddress.unsafelyUnwrapped + start)
        guard let word = LongWord(base.loadUnaligned(as: UInt64.self), base.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        else { return nil }
        let j = start &+ word.length
        guard !continuesWord(after: word.next, at: j, first: word.first) else { return nil }
        return (Token(start: start, end: j, kind: .word, flags: word.flags), word.low, word.high)
    }

    /// The word at `i` for a run of letters the register paths do not take: sixteen letters or more, eight
    /// or more near the text's end, or runs joined by apostrophes and hyphens. Apart, so those paths stay
    /// small enough to be inlined into the scanner's loop.
    @usableFromInline @inline(never)
    mutating func scanLetters() -> Token {
        let start = i
        let n = bytes.count
        var letters = Letters()
        var j = letters.read(bytes, from: start)
        guard j > start else { return scanWordLikeInFull() }
        // Contractions and hyphenated words ("don't", "check-in") are one word in every tweet: joined here as
        // the full scanner joins them, whose entry and exit cost more than the word itself.
        while j &+ 1 < n, bytes[j] == 0x27 || bytes[j] == 0x2D, isLetter(bytes[j &+ 1]) {
            letters.restart(after: bytes[j])
            j = letters.read(bytes, from: j &+ 1)
        }
        if j < n, continuesWord(after: bytes[j], at: j, first: bytes[start]) { return scanWordLikeInFull() }
        i = j
        return Token(start: start, end: j, kind: .word, flags: letters.flags(of: .word, nonASCII: false))
    }

    /// Whether byte `b`, at `j` right after a run of ASCII letters starting with `first`, carries the token
    /// on past the letters. After a letter, "." "," "/" ":" end the word; a digit, "_", "@", a non-ASCII
    /// byte, or "'" or "-" before a letter or digit continue it; "http:", "https:" and "www." may start a URL.
    @inlinable @inline(__always)
    func continuesWord(after b: UInt8, at j: Int, first: UInt8) -> Bool {
        let first = first | 0x20
        return b >= 0x80 || b &- 0x30 < 10 || b == 0x5F || b == 0x40
            || ((b == 0x27 || b == 0x2D) && j &+ 1 < bytes.count && isAlnum(bytes[j &+ 1]))
            || ((b == 0x3A || b == 0x2E) && (first == 0x68 || first == 0x77))
    }

    /// A word, number, identifier, URL or email address starting at `i`, for every case.
    @usableFromInline @inline(never)
    mutating func scanWordLikeInFull() -> Token {
        let start = i
        let n = bytes.count
        // URLs: http(s):// or www.
        let first = lowerASCII(bytes[i])
        if first == 0x68 || first == 0x77, matches("http://") || matches("https://") || matches("www.") {
            while i < n, !isSpace(bytes[i]), bytes[i] != 0x22, bytes[i] != 0x3C, bytes[i] != 0x3E { i += 1 }
            while i > start, [0x2E, 0x2C, 0x29, 0x21, 0x3F].contains(bytes[i - 1]) { i -= 1 }
            return Token(start: start, end: i, kind: .url)
        }
        // ASCII letters (`Letters.read`) and digits take the first two branches.
        var otherLetters = 0, digits = 0, nonASCII = false
        var letters = Letters()
        while i < n {
            i = letters.read(bytes, from: i)
            guard i < n else { break }
            let b = bytes[i]
            if b &- 0x30 < 10 {
                digits &+= 1
                letters.restart(after: b)
                i &+= 1
                continue
            }
            if b < 0x80 {
                if b == 0x5F {
                } else if (b == 0x27 || b == 0x2D || b == 0x2E || b == 0x2C || b == 0x2F || b == 0x3A) && i + 1 < n && isAlnum(bytes[i + 1]) {
                    // Apostrophes and hyphens join words (don't, e-mail); . , / : join numbers (3.50, 1,000, 24/7, 10:30).
                    if (b == 0x2E || b == 0x2C || b == 0x2F || b == 0x3A) && !(isDigit(letters.previous) && isDigit(bytes[i + 1])) { break }
                } else if b == 0x40 && letters.upper + letters.lower + otherLetters + digits > 0 && i + 1 < n && isAlnum(bytes[i + 1]) {
                    // email address
                    i += 1
                    while i < n, isWordByte(bytes[i]) || ((bytes[i] == 0x2E || bytes[i] == 0x2D) && i + 1 < n && isAlnum(bytes[i + 1])) { i += 1 }
                    return Token(start: start, end: i, kind: .email, flags: nonASCII ? .nonASCII : .none)
                } else {
                    break
                }
                letters.restart(after: b)
                i += 1
            } else {
                // Curly apostrophe inside a word: don’t
                if bytes[i] == 0xE2, i + 2 < n, bytes[i + 1] == 0x80, bytes[i + 2] == 0x99, i + 3 < n, isLetter(bytes[i + 3]),
                    letters.upper + letters.lower + otherLetters > 0
                {
                    nonASCII = true
                    i += 3
                    continue
                }
                let (value, length) = decode(at: i)
                let scalarClass = ScalarClass.of(value)
                guard scalarClass.continuesWord else { break }
                nonASCII = true
                if scalarClass.isUppercase { letters.upper += 1 } else if scalarClass.isLowercase { letters.lower += 1 } else { otherLetters += 1 }
                letters.previous = 0
                i += length
            }
        }
        if i == start { i += 1 }
        var kind: Token.Kind
        if letters.upper + letters.lower + otherLetters == 0 {
            kind = .number
            // 20$ / 20€
            if i < n, bytes[i] == 0x24 {
                i += 1
                kind = .money
            }
        } else if digits > 0 {
            kind = .identifier
        } else {
            kind = .word
        }
        return Token(start: start, end: i, kind: kind, flags: letters.flags(of: kind, nonASCII: nonASCII))
    }

    // The helpers the loop calls out of line and that only read bytes are static, on the bytes: as methods
    // each call copied the whole scanner to the stack (at every full stop, the copy also read the last
    // token's kind and flags just after they were stored a byte apart, a failed store forwarding).

    /// Where the digits (and the separators between them: 3.50, 1,000) that start at `start` end.
    @usableFromInline
    static func numberBodyEnd(from start: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var k = start
        while k < bytes.count, isDigit(bytes[k]) || ((bytes[k] == 0x2E || bytes[k] == 0x2C) && k + 1 < bytes.count && isDigit(bytes[k + 1])) {
            k += 1
        }
        return k
    }

    /// Emoji with modifiers, variation selectors, ZWJ joins, keycaps and regional-indicator pairs.
    @usableFromInline
    mutating func scanEmojiSequence() {
        let (first, firstLength) = decode(at: i)
        i += firstLength
        if (0x1F1E6...0x1F1FF).contains(first), i < bytes.count {
            let (second, length) = decode(at: i)
            if (0x1F1E6...0x1F1FF).contains(second) { i += length }
            return
        }
        while i < bytes.count {
            let (next, length) = decode(at: i)
            if KeyBuilder.isEmojiModifier(next) || next == 0x20E3 || (0xE0020...0xE007F).contains(next) {  // and keycaps, tags
                i += length
            } else if next == 0x200D, i + length < bytes.count {
                i += length
                let (joined, joinedLength) = decode(at: i)
                if isEmojiStart(joined) { i += joinedLength } else { return }
            } else {
                return
            }
        }
    }

    @usableFromInline
    func isEmojiStart(_ value: UInt32) -> Bool {
        if (0x1F300...0x1FAFF).contains(value) || (0x2600...0x27BF).contains(value) || (0x1F1E6...0x1F1FF).contains(value)
            || (0x1F000...0x1F2FF).contains(value) || value == 0x2B50 || value == 0x2B55 || (0x2190...0x21FF).contains(value)
            || value == 0x2764 || value == 0x203C || value == 0x2049
        {
            return true
        }
        return false
    }

    static let emoticons: [[UInt8]] = [
        ":-)", ":)", ":-(", ":(", ":-D", ":D", ";-)", ";)", ":-P", ":P", ":p", ":-p", ":'(", ":/", ":-/", ":|", ":-|",
        "<3", "</3", "=)", "=(", "xD", "XD", ":-O", ":O", ":o", "D:", ":-*", ":*", "^_^", "-_-", ">:(", ":@", ":S", ":$",
    ].map { Array($0.utf8) }.sorted { $0.count > $1.count }

    /// The emoticons by their first byte (longest first): words starting with "x" or "D" were compared with
    /// every emoticon.
    static let emoticonsByFirstByte: [[[UInt8]]] = (0..<128).map { first in
        let list = emoticons.filter { $0[0] == first }
        assert(list.isEmpty || mayStartEmoticon(UInt8(first)), "emoticon starts missing from mayStartEmoticon")
        return list
    }

    /// Whether a token starting with `b` is a word, never an emoticon: a letter other than those that start
    /// "xD", "XD" and "D:".
    @inlinable @inline(__always)
    static func startsPlainWord(_ b: UInt8) -> Bool { isLetter(b) && !(b | 0x20 == 0x78 || b == 0x44) }

    /// The first bytes of `emoticons` ( - : ; < = > D X ^ x ) as bits of two literal masks: most words are
    /// turned away here, before the table (a lazily initialised static) is reached.
    @inlinable @inline(__always)
    static func mayStartEmoticon(_ b: UInt8) -> Bool {
        b < 0x40 ? (0x7C00_2000_0000_0000 as UInt64) >> UInt64(b) & 1 != 0
            : b < 0x80 ? (0x0100_0000_4100_0010 as UInt64) >> UInt64(b &- 0x40) & 1 != 0 : false
    }

    /// The caller has checked `mayStartEmoticon`; the guard here only keeps the table index in range.
    @usableFromInline
    static func emoticonLength(at position: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let b = bytes[position]
        guard b < 0x80 else { return nil }
        for emoticon in Scanner.emoticonsByFirstByte[Int(b)] where position + emoticon.count <= bytes.count {
            var same = true
            for k in 0..<emoticon.count where bytes[position + k] != emoticon[k] {
                same = false
                break
            }
            guard same else { continue }
            let after = position + emoticon.count
            if after == bytes.count || isSpace(bytes[after]) || bytes[after] == 0x2E || bytes[after] == 0x21 || bytes[after] == 0x2C {
                // "xD" and "D:" only as standalone tokens, never inside words.
                return emoticon.count
            }
        }
        return nil
    }

    /// Length of an HTML entity such as `&amp;` or `&#39;` starting at `position`, or 0.
    @usableFromInline
    static func htmlEntityLength(at position: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var k = position + 1
        if k < bytes.count, bytes[k] == 0x23 { k += 1 }
        let bodyStart = k
        while k < bytes.count, k - bodyStart < 8, isAlnum(bytes[k]) { k += 1 }
        return k > bodyStart && k < bytes.count && bytes[k] == 0x3B ? k + 1 - position : 0
    }

    /// Found from the token's bytes: building a String per full stop to ask a `Set` was 2% of `voc score`.
    static let abbreviations: TermTable = {
        var table = TermTable(capacity: 64)
        for word in [
            "mr", "mrs", "ms", "dr", "prof", "st", "no", "vs", "etc", "e.g", "i.e", "approx", "dept", "inc", "ltd", "jr", "sr", "co", "ave",
            "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "fig", "min", "max", "tel", "ref",
        ] { table.intern(word) }
        return table
    }()

    /// Whether `previous`, the token before a full stop at `stop`, is an abbreviation or an initial written
    /// against it (`previous.start` is -1 when there was none).
    @usableFromInline
    static func isAbbreviation(_ previous: Token, endingAt stop: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard previous.start >= 0, previous.kind == .word, previous.end == stop, previous.byteCount <= 6 else { return false }
        // Single letters (initials, "e.g.", "a.m.") do not end sentences either.
        if previous.byteCount == 1 && isLetter(bytes[previous.start]) { return true }
        return Scanner.abbreviations.find(asciiLowercasing: UnsafeBufferPointer(rebasing: bytes[previous.start..<previous.end])) != nil
    }

    /// Whether spaces and then a lowercase letter follow `position`.
    @usableFromInline
    static func followedByLowercase(_ position: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var k = position
        while k < bytes.count, bytes[k] == 0x20 { k += 1 }
        return k < bytes.count && isLower(bytes[k]) && k > position
    }

    /// Whether spaces and then an uppercase letter follow `position`.
    @usableFromInline
    static func followedByUppercase(_ position: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var k = position
        while k < bytes.count, bytes[k] == 0x20 { k += 1 }
        return k < bytes.count && k > position && isUpper(bytes[k])
    }

    func matches(_ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard i + count <= bytes.count else { return false }
        let p = prefix.utf8Start
        for k in 0..<count where lowerASCII(bytes[i + k]) != p[k] { return false }
        return true
    }

    /// Decodes one scalar; invalid bytes decode as U+FFFD of length 1 so scanning always advances.
    @usableFromInline
    func decode(at position: Int) -> (UInt32, Int) {
        let b0 = bytes[position]
        let n = bytes.count
        func cont(_ k: Int) -> UInt32? {
            guard position + k < n, bytes[position + k] & 0xC0 == 0x80 else { return nil }
            return UInt32(bytes[position + k] & 0x3F)
        }
        if b0 < 0x80 { return (UInt32(b0), 1) }
        if b0 & 0xE0 == 0xC0, let c1 = cont(1) { return (UInt32(b0 & 0x1F) << 6 | c1, 2) }
        if b0 & 0xF0 == 0xE0, let c1 = cont(1), let c2 = cont(2) { return (UInt32(b0 & 0x0F) << 12 | c1 << 6 | c2, 3) }
        if b0 & 0xF8 == 0xF0, let c1 = cont(1), let c2 = cont(2), let c3 = cont(3) {
            return (UInt32(b0 & 0x07) << 18 | c1 << 12 | c2 << 6 | c3, 4)
        }
        return (0xFFFD, 1)
    }
}

/// What `scanLetters` counts of a word's letters as it reads them.
@usableFromInline
struct Letters {
    @usableFromInline var upper = 0, lower = 0
    /// Three equal letters in a row somewhere in the word ("sooo").
    @usableFromInline var elongated = false
    /// Equal letters in a row so far, and the last byte read.
    @usableFromInline var run = 1
    @usableFromInline var previous: UInt8 = 0

    @inlinable init() {}

    /// Reads the run of ASCII letters from `start` and returns where it ends: eight bytes at a time while
    /// eight are left (`LetterRun`), then byte by byte. On a local index and without overflow checks: this
    /// loop is the tokenizer's hottest.
    @inlinable @inline(__always)
    mutating func read(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let n = bytes.count
        var j = start
        while j &+ 8 <= n {
            let chunk = LetterRun(UnsafeRawPointer(bytes.baseAddress! + j).loadUnaligned(as: UInt64.self), previous: previous, run: run)
            guard chunk.length > 0 else { break }
            lower &+= chunk.lower
            upper &+= chunk.length &- chunk.lower
            if chunk.elongated { elongated = true }
            run = chunk.run
            previous = chunk.last
            j &+= chunk.length
            if chunk.length < 8 { break }
        }
        while j < n {
            let b = bytes[j]
            guard (b | 0x20) &- 0x61 < 26 else { break }
            if b < 0x61 { upper &+= 1 } else { lower &+= 1 }
            run = b == previous ? run &+ 1 : 1
            if run >= 3 { elongated = true }
            previous = b
            j &+= 1
        }
        return j
    }

    /// The flags of a token with these letters: ALL-CAPS from two capitals and no small letter, elongation,
    /// and `.lowercase` for an ASCII word without a capital (its own lookup key).
    @inlinable @inline(__always)
    func flags(of kind: Token.Kind, nonASCII: Bool) -> Token.Flags {
        var flags: Token.Flags = nonASCII ? .nonASCII : .none
        if upper >= 2, lower == 0 { flags.insert(.allCaps) }
        if elongated { flags.insert(.elongated) }
        if kind == .word, !nonASCII, upper == 0 { flags.insert(.lowercase) }
        return flags
    }

    /// A byte that is not a letter (a digit, a joining apostrophe) ends the run of equal letters.
    @inlinable @inline(__always)
    mutating func restart(after b: UInt8) {
        run = 1
        previous = b
    }
}

/// The ASCII letters at the start of eight bytes, counted as `Letters.read`'s byte loop counts them, with
/// bit tricks on one 64-bit word: the byte loop's branch per letter, and the mispredicted one at each word's
/// end, were a sixth of `voc score`. Little-endian: byte 0 is the first.
@usableFromInline
struct LetterRun {
    /// How many of the eight bytes, from the first, are ASCII letters.
    @usableFromInline var length: Int
    /// How many of those are lowercase.
    @usableFromInline var lower: Int
    /// Three equal letters in a row among them (counting the letters before them: `run`).
    @usableFromInline var elongated: Bool
    /// Equal letters in a row ending at the last of them (`run` carried on when they all are), and that letter.
    @usableFromInline var run: Int
    @usableFromInline var last: UInt8

    @inlinable static var high: UInt64 { 0x8080_8080_8080_8080 }

    /// The high bit of every byte of `w` that is an ASCII letter.
    @inlinable @inline(__always)
    static func letters(_ w: UInt64) -> UInt64 {
        let low7 = (w | 0x2020_2020_2020_2020) & 0x7F7F_7F7F_7F7F_7F7F
        let atLeastA = low7 &+ 0x1F1F_1F1F_1F1F_1F1F  // high bit where the byte, lowercased, is >= "a"
        let aboveZ = low7 &+ 0x0505_0505_0505_0505  // ... and where it is > "z"
        return atLeastA & ~aboveZ & ~w & high
    }

    /// The high bit of every byte of `d` that is zero (of `w ^ (w << 8)`: every byte equal to the one before).
    @inlinable @inline(__always)
    static func zeroBytes(_ d: UInt64) -> UInt64 {
        ~(((d & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | d | 0x7F7F_7F7F_7F7F_7F7F)
    }

    @inlinable @inline(__always)
    init(_ w: UInt64, previous: UInt8, run entering: Int) {
        let letters = LetterRun.letters(w)
        let others = ~letters & LetterRun.high
        length = others == 0 ? 8 : others.trailingZeroBitCount >> 3
        guard length > 0 else {
            (lower, elongated, run, last) = (0, false, entering, previous)
            return
        }
        let keep: UInt64 = length == 8 ? ~0 : (1 << UInt64(length * 8)) &- 1
        lower = (letters & (w << 2) & keep).nonzeroBitCount  // bit 5 (0x20) set: lowercase
        // Bytes equal to the one before (the first to `previous`): a zero byte of w ^ (w << 8 | previous).
        let same = LetterRun.zeroBytes(w ^ (w << 8 | UInt64(previous))) & keep
        elongated = same & (same << 8) != 0 || (entering >= 2 && same & 0x80 != 0)
        let lastIndex = length - 1
        last = UInt8(truncatingIfNeeded: w >> UInt64(lastIndex * 8))
        let breaks = ~same & LetterRun.high & keep
        run = breaks == 0 ? entering + length : length - ((63 - breaks.leadingZeroBitCount) >> 3)
    }
}

/// A word of one to seven ASCII letters at the start of eight bytes, with its flags, read with the bit tricks
/// of `LetterRun` but none of its carrying state: no count of letters (two capitals or none is all the
/// flags ask), no run carried into a next word. Nil when the bytes do not start with such a word.
@usableFromInline
struct ShortWord {
    @usableFromInline var length: Int
    /// The byte after the word, and the word's first byte.
    @usableFromInline var next: UInt8
    @usableFromInline var first: UInt8
    @usableFromInline var flags: Token.Flags
    /// The word's bytes lowercased, zero above them.
    @usableFromInline var lowercased: UInt64

    @inlinable @inline(__always)
    init?(_ w: UInt64) {
        let letters = LetterRun.letters(w)
        let others = ~letters & LetterRun.high
        guard letters & 0x80 != 0, others != 0 else { return nil }
        length = others.trailingZeroBitCount &>> 3
        let shift = UInt64(truncatingIfNeeded: length &* 8)
        let keep = (1 &<< shift) &- 1
        let lowerMask = letters & (w &<< 2) & keep
        let upperMask = letters & ~(w &<< 2) & keep
        let same = LetterRun.zeroBytes(w ^ (w &<< 8)) & keep
        lowercased = (w & keep) | (upperMask &>> 2)
        next = UInt8(truncatingIfNeeded: w &>> shift)
        first = UInt8(truncatingIfNeeded: w)
        var bits: UInt8 = 0
        if lowerMask == 0 && upperMask & (upperMask &- 1) != 0 { bits |= Token.Flags.allCaps.rawValue }
        if same & (same &<< 8) != 0 { bits |= Token.Flags.elongated.rawValue }
        if upperMask == 0 { bits |= Token.Flags.lowercase.rawValue }
        flags = Token.Flags(rawValue: bits)
    }
}

/// Eight to fifteen ASCII letters at the start of sixteen bytes (`first`: eight letters; `second`: the rest
/// and the byte after them), read as `ShortWord` reads up to seven: the same flags as `Letters` would give,
/// and the lowercased bytes as the two words of a term key.
@usableFromInline
struct LongWord {
    @usableFromInline var length: Int
    @usableFromInline var next: UInt8
    @usableFromInline var first: UInt8
    @usableFromInline var flags: Token.Flags
    @usableFromInline var low: UInt64
    @usableFromInline var high: UInt64

    @inlinable @inline(__always)
    init?(_ first: UInt64, _ second: UInt64) {
        guard LetterRun.letters(first) == LetterRun.high else { return nil }
        let secondLetters = LetterRun.letters(second)
        let others = ~secondLetters & LetterRun.high
        guard others != 0 else { return nil }
        let rest = others.trailingZeroBitCount &>> 3
        length = 8 &+ rest
        let shift = UInt64(truncatingIfNeeded: rest &* 8)
        let keep = (1 &<< shift) &- 1  // 0 when no letter follows the first eight
        let lower0 = LetterRun.high & (first &<< 2), upper0 = LetterRun.high & ~(first &<< 2)
        let lower1 = secondLetters & (second &<< 2) & keep, upper1 = secondLetters & ~(second &<< 2) & keep
        // Equal to the byte before: within the first word, then across into the second.
        let same0 = LetterRun.zeroBytes(first ^ (first &<< 8))
        let same1 = LetterRun.zeroBytes(second ^ (second &<< 8 | first &>> 56)) & keep
        low = first | (upper0 &>> 2)
        high = (second & keep) | (upper1 &>> 2)
        next = UInt8(truncatingIfNeeded: second &>> shift)
        self.first = UInt8(truncatingIfNeeded: first)
        var bits: UInt8 = 0
        if lower0 | lower1 == 0 { bits |= Token.Flags.allCaps.rawValue }
        if same0 & (same0 &<< 8) | same1 & (same1 &<< 8 | same0 &>> 56) != 0 { bits |= Token.Flags.elongated.rawValue }
        if upper0 | upper1 == 0 { bits |= Token.Flags.lowercase.rawValue }
        flags = Token.Flags(rawValue: bits)
    }
}

/// What a non-ASCII scalar is to a word. Looked up outside the scanner's functions on purpose: Unicode
/// properties need type metadata (`Unicode.NumericType?`) that Swift fetches at the entry of any function
/// using them, and in the word scanner that fetch cost more than its whole ASCII loop.
@usableFromInline
struct ScalarClass {
    /// A letter or number: starts a word.
    @usableFromInline var startsWord = false
    /// A letter, number or combining mark: continues a word.
    var continuesWord = false
    var isUppercase = false
    var isLowercase = false

    @usableFromInline @inline(never)
    static func of(_ value: UInt32) -> ScalarClass {
        guard let scalar = Unicode.Scalar(value) else { return ScalarClass() }
        let properties = scalar.properties
        let starts = properties.isAlphabetic || properties.numericType != nil
        let continues = starts || properties.generalCategory == .nonspacingMark || properties.generalCategory == .spacingMark
        guard continues else { return ScalarClass() }
        return ScalarClass(startsWord: starts, continuesWord: true, isUppercase: properties.isUppercase, isLowercase: properties.isLowercase)
    }
}

@inlinable @inline(__always) func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C }
@inlinable @inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
@inlinable @inline(__always) func isUpper(_ b: UInt8) -> Bool { b >= 0x41 && b <= 0x5A }
@inlinable @inline(__always) func isLower(_ b: UInt8) -> Bool { b >= 0x61 && b <= 0x7A }
/// One range test for a letter of either case: as two (`isUpper(b) || isLower(b)`), the scanner branched on
/// the case a word starts with, which cannot be predicted.
@inlinable @inline(__always) func isLetter(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }
@inlinable @inline(__always) func isAlnum(_ b: UInt8) -> Bool { isLetter(b) || isDigit(b) }
@inlinable @inline(__always) func isWordByte(_ b: UInt8) -> Bool { isAlnum(b) || b == 0x5F }
@inlinable @inline(__always) func lowerASCII(_ b: UInt8) -> UInt8 { isUpper(b) ? b + 32 : b }
@inlinable @inline(__always) func isPunctuation(_ b: UInt8) -> Bool {
    (b >= 0x21 && b <= 0x2F) || (b >= 0x3A && b <= 0x40) || (b >= 0x5B && b <= 0x60) || (b >= 0x7B && b <= 0x7E)
}
