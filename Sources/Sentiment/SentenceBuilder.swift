import Text

/// The one place a token meets the lexicons: it turns each token into word slots and scores a sentence
/// as soon as it ends. The scanner feeds it directly (`LexiconScorer.score(utf8:in:)`, no token list is
/// written), or a tokenized text is replayed into it (`score(_:in:)`); either way the same code runs.
struct SentenceBuilder: TokenSink {
    /// Not retained: the scorer that makes a builder holds its engine for the builder's whole life, and a
    /// retain and a release for every text were two atomic operations. Borrowed through `withEngine`.
    private let unretainedEngine: Unmanaged<LexiconScorer.Engine>
    let bytes: UnsafeBufferPointer<UInt8>
    /// The text's tokens when the caller has them (asked only whether the message is in Title Case).
    let tokenized: UnsafePointer<TokenizedText>?
    /// The caller's workspace, whose buffers are reused (the caller holds it for the builder's whole life).
    private let workspace: UnsafeMutablePointer<LexiconScorer.Workspace>
    /// The open sentence's slots, in the workspace's storage, written in place: appending them to an array,
    /// with its checks, was a quarter of the scorer's own instructions.
    private var slots: UnsafeMutablePointer<WordSlot>
    private var capacity: Int
    private var count = 0
    private var tally = SlotTally()
    private var exclamations = 0, questions = 0
    private var clauseStart = true
    /// Byte range of the open sentence, from its first token's start to its last token's end.
    private var sentenceStart = -1, sentenceEnd = 0
    /// Whether the message is in Title Case is only asked when a positive word looks like a name (rare), so
    /// it is worked out then: a pass over every token for each text was 3% of `voc score`.
    private var titleCase: Bool?

    init(engine: LexiconScorer.Engine, bytes: UnsafeBufferPointer<UInt8>, tokenized: UnsafePointer<TokenizedText>?,
         workspace: UnsafeMutablePointer<LexiconScorer.Workspace>) {
        unretainedEngine = .passUnretained(engine)
        self.bytes = bytes
        self.tokenized = tokenized
        self.workspace = workspace
        (slots, capacity) = workspace.pointee.slotBuffer()
    }

    /// The engine, borrowed for `body` without a retain.
    @inline(__always)
    private func withEngine<Result>(_ body: (LexiconScorer.Engine) -> Result) -> Result {
        unretainedEngine._withUnsafeGuaranteedRef(body)
    }

    /// Inlined into the scanner, which knows most tokens' kind where it makes them: the switch then folds
    /// away, and a word goes straight to its lookup.
    @inline(__always)
    mutating func token(_ token: Token) {
        extendSentence(to: token)
        switch token.kind {
        case .word, .emoji, .emoticon: word(token)
        case .hashtag: hashtag(token)
        case .punctuation: punctuation(token)
        default: return  // handles, URLs, emails, numbers carry no sentiment: "@united" is not "united"
        }
    }

    /// A short ASCII word, its lowercased bytes read by the scanner: looked up without reading it again.
    @inline(__always)
    mutating func word(_ token: Token, lowercased: UInt64) {
        word(token, low: lowercased, high: 0)
    }

    /// A word of eight to fifteen ASCII letters, its lowercased bytes read by the scanner.
    @inline(__always)
    mutating func word(_ token: Token, low: UInt64, high: UInt64) {
        extendSentence(to: token)
        var slot = withEngine { $0.listed(low: low, high: high).pointee }
        if token.flags.contains(.elongated), slot.id < 0 { slot = squeezed(token) }
        slot.place(start: token.start, end: token.end, allCaps: token.flags.contains(.allCaps), startsClause: clauseStart)
        place(slot, token)
    }

    /// The slot of an elongated word no lexicon lists as written ("sooo"): apart, so the words read in
    /// registers do not keep what it needs (the text, the key buffer) at hand.
    @inline(never)
    private mutating func squeezed(_ token: Token) -> WordSlot {
        withEngine { $0.squeezedSlot(bytes, token, &workspace.pointee.key) }
    }

    @inline(__always)
    private mutating func extendSentence(to token: Token) {
        if sentenceStart < 0 { sentenceStart = token.start }
        sentenceEnd = token.end
    }

    @inline(__always)
    private mutating func word(_ token: Token) {
        place(withEngine { $0.slot(bytes, token, &workspace.pointee.key, startsClause: clauseStart) }, token)
    }

    @inline(__always)
    private mutating func place(_ slot: WordSlot, _ token: Token) {
        var wordSlot = slot
        // Capitals first: the scanner knows them, where the valence waits on the word's lookup, and a
        // branch on it that is mispredicted waits with it.
        if !token.flags.contains(.lowercase), count > 0, wordSlot.valence > 0, ProperNoun.looksLikeName(token, in: bytes), !isTitleCase() {
            wordSlot.consumed = true  // "United", "Virgin", "Best Buy": a name, not praise
        }
        append(wordSlot)
        clauseStart = false
    }

    /// "#fail", "#not happy": a hashtag whose body is a negator or a negative word counts as that word.
    /// Positive bodies do not: they are mostly names ("#united", "#virgin").
    @inline(never)
    private mutating func hashtag(_ token: Token) {
        var body = token
        body.start += 1
        body.kind = .word
        // Taken (retained) rather than borrowed: hashtags are rare, and borrowed inside the splitting closure
        // the lookups were no longer inlined. A positive tag that repeats a handle ("@united ... #United")
        // names the addressee.
        let engine = unretainedEngine.takeUnretainedValue()
        let hashtagSlot = engine.slot(bytes, body, &workspace.pointee.key, startsClause: clauseStart)
        let id = Int(hashtagSlot.id)
        if id >= 0, hashtagSlot.role == .negator || hashtagSlot.valence < 0 || (hashtagSlot.valence > 0 && !Tokenizer.containsHandle(named: body.start..<body.end, in: bytes)) {
            append(hashtagSlot)
            clauseStart = false
        } else if id < 0 {
            // Run-together hashtags: "#brandfail", "#notimpressed" (Hashtags rule).
            let parts = Hashtags.split(body, in: bytes) { part in engine.hashtagPart(bytes, part, &workspace.pointee.key) }
            for part in parts {
                append(engine.slot(bytes, part, &workspace.pointee.key, startsClause: clauseStart))
                clauseStart = false
            }
        }
    }

    @inline(never)
    private mutating func punctuation(_ token: Token) {
        let first = bytes[token.start]
        if first == 0x21 || first == 0x3F {
            for k in token.start..<token.end {
                if bytes[k] == 0x21 { exclamations += 1 } else { questions += 1 }
            }
        }
        if first == 0x2C || first == 0x3B || first == 0x3A || first == 0x2D { clauseStart = true }
    }

    mutating func endSentence() {
        let polite = withEngine {
            $0.appendHits(WordSlots(start: slots, count: count), tally, question: questions > 0, to: &workspace.pointee.words)
        }
        workspace.pointee.holdsPoliteness = workspace.pointee.holdsPoliteness || polite
        workspace.pointee.sentences.append(LexiconScorer.SentenceTally(
            wordsEnd: workspace.pointee.words.count, exclamations: exclamations, questions: questions, wordCount: count,
            range: sentenceStart..<sentenceEnd))
        count = 0
        tally = SlotTally()
        exclamations = 0
        questions = 0
        clauseStart = true
        sentenceStart = -1
    }

    @inline(__always)
    private mutating func append(_ slot: WordSlot) {
        if count == capacity { grow() }
        slots[count] = slot
        tally.add(slot, at: count)
        count &+= 1
    }

    /// Doubles the slot storage (the workspace keeps the larger one for the next texts).
    @inline(never)
    private mutating func grow() {
        (slots, capacity) = workspace.pointee.growSlots(keeping: count)
    }

    private mutating func isTitleCase() -> Bool {
        if let titleCase { return titleCase }
        let answer = tokenized.map { ProperNoun.isTitleCase($0.pointee) }
            ?? ProperNoun.isTitleCase(bytes)
        titleCase = answer
        return answer
    }
}

/// Word slots a workspace keeps from text to text; grown by doubling, never shrunk.
final class SlotStorage {
    private(set) var slots: UnsafeMutablePointer<WordSlot>
    private(set) var capacity: Int

    init(capacity: Int = 64) {
        self.capacity = capacity
        slots = .allocate(capacity: capacity)
    }

    func grow(keeping count: Int) {
        let larger = UnsafeMutablePointer<WordSlot>.allocate(capacity: capacity * 2)
        larger.moveInitialize(from: slots, count: count)
        slots.deallocate()
        slots = larger
        capacity *= 2
    }

    deinit { slots.deallocate() }
}
