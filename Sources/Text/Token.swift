/// One token: a byte range into the original UTF-8 text plus what kind of thing it is.
/// No `String` is made per token; ask `TokenizedText.text(of:)` when you need one.
public struct Token: Sendable, Equatable {
    public enum Kind: UInt8, Sendable {
        case word, number, money, identifier, url, email, handle, hashtag, emoticon, emoji, punctuation, ellipsis, symbol
    }

    public struct Flags: OptionSet, Sendable, Equatable {
        public let rawValue: UInt8
        @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }
        // Computed and inlinable rather than `static let`: a stored static is a lazily initialised global
        // that other modules reach through an accessor call, once per word in the scorer.
        /// Written in capitals (at least two letters), e.g. "TERRIBLE".
        @inlinable public static var allCaps: Flags { Flags(rawValue: 1) }
        /// A letter repeated three or more times, e.g. "sooo".
        @inlinable public static var elongated: Flags { Flags(rawValue: 2) }
        /// Holds non-ASCII bytes.
        @inlinable public static var nonASCII: Flags { Flags(rawValue: 4) }
        /// No flag. Spelled out rather than `[]`: the array literal of an `OptionSet` builds (and releases) an
        /// empty array wherever it is not optimised away, once per token in the scanner.
        @inlinable public static var none: Flags { Flags(rawValue: 0) }
        /// An ASCII word with no capital letter: already its own lookup key (a token without the flag may
        /// still be lowercase: hashtags and emoticons never get it).
        @inlinable public static var lowercase: Flags { Flags(rawValue: 8) }
    }

    /// Byte offsets into the text's UTF-8 view.
    public var start: Int
    public var end: Int
    public var kind: Kind
    public var flags: Flags

    @inlinable
    public init(start: Int, end: Int, kind: Kind, flags: Flags = .none) {
        self.start = start
        self.end = end
        self.kind = kind
        self.flags = flags
    }

    @inlinable public var byteCount: Int { end - start }
}

/// A text with its tokens and sentences (ranges of token indices).
public struct TokenizedText: Sendable {
    public internal(set) var bytes: [UInt8]
    public var text: String { String(decoding: bytes, as: UTF8.self) }
    public var tokens: [Token]
    public var sentences: [Range<Int>]

    public init(bytes: [UInt8] = [], tokens: [Token] = [], sentences: [Range<Int>] = []) {
        self.bytes = bytes
        self.tokens = tokens
        self.sentences = sentences
    }

    public func text(of token: Token) -> String { String(decoding: bytes[token.start..<token.end], as: UTF8.self) }

    /// Byte range of a sentence in the original text.
    public func byteRange(ofSentence index: Int) -> Range<Int> {
        let range = sentences[index]
        guard let first = range.first, let last = range.last else { return 0..<0 }
        return tokens[first].start..<tokens[last].end
    }

    public func text(ofSentence index: Int) -> String {
        String(decoding: bytes[byteRange(ofSentence: index)], as: UTF8.self)
    }
}
