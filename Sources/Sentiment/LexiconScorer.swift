public import Text

/// The Sentiment stage's role: tokens in, a score (with its evidence) out.
public protocol SentimentScorer: Sendable {
    func score(_ text: TokenizedText) -> SentimentScore
}

/// A word position in a sentence, with what the lexicons know about it: 48 bytes (flags as bits, the word's
/// byte range rather than its token), as every word of a message gets one.
struct WordSlot {
    /// The term's valence (NaN when none; `flags` mirrors which).
    let valence: Double
    /// Its role; the rules that only ask which kind of role it is read the bits that mirror it.
    var role: Lexicons.Role {
        get { storedRole }
        set {
            storedRole = newValue
            bits = bits & ~WordSlot.roleBits | WordSlot.bits(of: newValue)
        }
    }
    private var storedRole: Lexicons.Role
    /// Byte range of the word (a hashtag's without its #).
    var start: Int
    var end: Int
    var id: Int32
    /// How long a multi-word entry, and a multi-word booster or negator, starting here may be.
    var longestPhrase: UInt8
    var longestRolePhrase: UInt8
    private var bits: UInt16
    /// The flags as bits, for the sentence's tally, which ors them together (`SlotTally`).
    var flags: UInt16 { bits }

    static let allCapsBit: UInt16 = 1, startsClauseBit: UInt16 = 2, clauseInitialOnlyBit: UInt16 = 4
    static let irrealisBit: UInt16 = 8, consumedBit: UInt16 = 16
    /// The kind of the role, as bits: telling it from the enum (a payload and a tag) on every word of every
    /// sentence, in three passes, was a tenth of the hit finder's instructions.
    static let boosterBit: UInt16 = 32, contrastBit: UInt16 = 64, negatorBit: UInt16 = 128
    static let roleBits = boosterBit | contrastBit | negatorBit
    /// The term has a valence; three places above `boosterBit`, so one shift lines the two up.
    static let valenceBit: UInt16 = 256
    /// A verb of fixing, which takes a negation for itself (`Negation.remedyVerbs`).
    static let remedyVerbBit: UInt16 = 512
    /// A comparative (`Unsurpassed`).
    static let comparativeBit: UInt16 = 1024
    /// "More", "any" (`Unsurpassed`).
    static let degreeBit: UInt16 = 2048
    /// "Or" (`Negation.coordinators`).
    static let coordinatorBit: UInt16 = 4096
    /// A negator with a valence of its own ("no"), which scores it when it negates nothing (`Negation.saysNo`):
    /// or-ed in the sentence's tally, it tells the few sentences where that is to be looked for. Left set if
    /// the role is rewritten (the word is then used up, and the look finds nothing).
    static let ratedNegatorBit: UInt16 = 8192
    /// "Again" (`Churn`): with a negator in the sentence's tally, the rule looks for "never … again".
    static let againBit: UInt16 = 16384
    /// A verb of taking time (`Delay`): in the sentence's tally, it tells the few sentences to look at.
    static let takesTimeBit: UInt16 = 32768

    private static func bits(of role: Lexicons.Role) -> UInt16 {
        switch role {
        case .booster: boosterBit
        case .contrast: contrastBit
        case .negator: negatorBit
        case .none, .politeness: 0
        }
    }

    /// The slot of term `id` (-1: none) before it is placed in a sentence.
    init(entry: Lexicons.Entry, id: Int32) {
        valence = entry.valence
        storedRole = entry.role
        start = 0
        end = 0
        self.id = id
        longestPhrase = entry.longestPhrase
        longestRolePhrase = entry.longestRolePhrase
        bits = WordSlot.markerBits.reduce(0) { entry.markers.contains($1.marker) ? $0 | $1.bit : $0 } | WordSlot.bits(of: entry.role)
            | (entry.valence.isNaN ? 0 : WordSlot.valenceBit)
            | (entry.role == .negator && !entry.valence.isNaN ? WordSlot.ratedNegatorBit : 0)
    }

    /// The lexicon markers a slot's bits mirror, for the rules that ask them of every word.
    private static let markerBits: [(marker: Lexicons.Markers, bit: UInt16)] = [
        (.clauseInitialOnly, clauseInitialOnlyBit), (.irrealis, irrealisBit), (.remedyVerb, remedyVerbBit),
        (.comparative, comparativeBit), (.degree, degreeBit), (.coordinator, coordinatorBit), (.again, againBit),
        (.takesTime, takesTimeBit),
    ]

    /// Places the slot at a word of the sentence.
    @inline(__always)
    mutating func place(start: Int, end: Int, allCaps: Bool, startsClause: Bool) {
        self.start = start
        self.end = end
        bits |= (allCaps ? WordSlot.allCapsBit : 0) | (startsClause ? WordSlot.startsClauseBit : 0)
    }

    @inline(__always) private func bit(_ b: UInt16) -> Bool { bits & b != 0 }

    /// Whether the slot's term is flagged in `flags` (flags by term id; a word no lexicon lists is in none).
    @inline(__always) func isListed(in flags: [Bool]) -> Bool { id >= 0 && flags[Int(id)] }

    var allCaps: Bool { bit(WordSlot.allCapsBit) }
    /// First word of the sentence or right after a comma, semicolon, colon or dash.
    var startsClause: Bool { bit(WordSlot.startsClauseBit) }
    /// "yet", "though", "while": contrast words only when they start a clause.
    var clauseInitialOnly: Bool { bit(WordSlot.clauseInitialOnlyBit) }
    /// A wish or condition marker ("would", "if", "wish").
    var irrealis: Bool { bit(WordSlot.irrealisBit) }
    var isBooster: Bool { bit(WordSlot.boosterBit) }
    var isContrast: Bool { bit(WordSlot.contrastBit) }
    var isNegator: Bool { bit(WordSlot.negatorBit) }
    var isRemedyVerb: Bool { bit(WordSlot.remedyVerbBit) }
    var isComparative: Bool { bit(WordSlot.comparativeBit) }
    var isDegree: Bool { bit(WordSlot.degreeBit) }
    var isCoordinator: Bool { bit(WordSlot.coordinatorBit) }
    /// "Again" (`Churn`).
    var isAgain: Bool { bit(WordSlot.againBit) }
    /// "Took", "take", "takes", "taking" (`Delay`).
    var takesTime: Bool { bit(WordSlot.takesTimeBit) }
    /// A negator, booster or contrast word: context for other words, never a hit of its own.
    var isContext: Bool { bit(WordSlot.roleBits) }
    /// Part of a multi-word entry already matched (a phrase hit or a multi-word booster).
    var consumed: Bool {
        get { bit(WordSlot.consumedBit) }
        set { bits = newValue ? bits | WordSlot.consumedBit : bits & ~WordSlot.consumedBit }
    }

    /// The kind of contrast this word makes here: "but" anywhere, "yet", "though", "while" only starting a clause.
    var makesContrast: Bool { isContrast && (!clauseInitialOnly || startsClause) }

    var contrastKind: Lexicons.ContrastKind? {
        guard case .contrast(let kind) = role, !clauseInitialOnly || startsClause else { return nil }
        return kind
    }
}

/// A sentence's word slots, in the scorer's reusable storage; the rules read and mark them in place.
typealias WordSlots = UnsafeMutableBufferPointer<WordSlot>

/// What the hit finder needs of a sentence's words as a whole, tallied as each is placed (`add`): the
/// flags or-ed together, never branching on a word's. Which words are listed, boost, or start a phrase
/// cannot be predicted, and passes over the sentence branching on each cost a mispredicted branch for
/// about every word, besides a mispredicted exit per pass.
struct SlotTally {
    /// Every word's flags, or-ed.
    var all: UInt16 = 0
    /// The longest multi-word booster or negator any word may start, or-ed (above 1: there may be one).
    var rolePhrases: UInt8 = 0
    /// Of the first 64 words, those that may be hits: a listed word that is no negator, booster or contrast
    /// word, or the start of a multi-word entry, and not already used up.
    var candidates: UInt64 = 0
    /// Of the first 64 words, those any lexicon lists (an id): a phrase is a run of them.
    var listed: UInt64 = 0

    init() {}

    /// The tally of `slots` as they now are.
    init(_ slots: WordSlots) {
        for k in slots.indices { add(slots[k], at: k) }
    }

    @inline(__always)
    mutating func add(_ slot: WordSlot, at k: Int) {
        let flags = slot.flags
        all |= flags
        rolePhrases |= slot.longestRolePhrase
        let place = UInt64(k & 63), inRange: UInt64 = k < 64 ? ~0 : 0
        candidates |= SlotTally.candidate(slot) << place & inRange
        listed |= UInt64(truncatingIfNeeded: ~slot.id >> 31) & 1 << place & inRange
    }

    /// Whether the sentence mixes capitals with small letters (some words, not all, in capitals), and where a
    /// question's last clause starts (`questionClause`; the sentence's length when it asks nothing). Worked out
    /// only for a sentence with a word in capitals or a question mark: kept in the tally as each word was
    /// placed, they cost every word of every sentence.
    @inline(never)
    func caseAndQuestion(_ slots: WordSlots, question: Bool) -> (mixedCase: Bool, questionClause: Int) {
        var capsWords = 0
        if all & WordSlot.allCapsBit != 0 {
            for k in slots.indices { capsWords &+= Int(slots[k].flags & WordSlot.allCapsBit) }
        }
        return (capsWords > 0 && capsWords < slots.count, question ? SlotTally.questionClause(in: slots) : slots.count)
    }

    /// The last word that starts a clause or makes a contrast (0: none): a question's clause starts there, as
    /// the irrealis window stops there (in "lovely crew but is the lounge open?" only the words after "but" ask).
    private static func questionClause(in slots: WordSlots) -> Int {
        for k in slots.indices.reversed() {
            // "but" anywhere; "yet", "though", "while" (clause-initial only) already start a clause.
            let flags = slots[k].flags
            let contrastAnywhere = flags & (WordSlot.contrastBit | WordSlot.clauseInitialOnlyBit) == WordSlot.contrastBit
            if flags & WordSlot.startsClauseBit != 0 || contrastAnywhere { return k }
        }
        return 0
    }

    /// How many listed words run from word `p` on (word `p` included), counted up to `PhraseKey.maxWords`
    /// from the mask when they lie in it, word by word past it.
    @inline(__always)
    func listedRun(from p: Int, in slots: WordSlots) -> Int {
        if p <= 64 - PhraseKey.maxWords { return (~(listed >> UInt64(p))).trailingZeroBitCount }
        var run = 0
        while p + run < slots.count, slots[p + run].id >= 0 { run += 1 }
        return run
    }

    /// 1 when the word may be a hit, else 0.
    @inline(__always)
    static func candidate(_ slot: WordSlot) -> UInt64 {
        let flags = slot.flags
        let listed = flags & (WordSlot.valenceBit | WordSlot.roleBits | WordSlot.consumedBit) == WordSlot.valenceBit
        let startsPhrase = (slot.longestPhrase > 1 ? 1 : 0) & (flags & WordSlot.consumedBit == 0 ? 1 : 0)
        return UInt64((listed ? 1 : 0) | startsPhrase)
    }

    /// The candidates among `range` (at most 64 words), bit 0 for its first.
    static func candidates(_ slots: WordSlots, _ range: Range<Int>) -> UInt64 {
        var bits: UInt64 = 0
        for k in range { bits |= candidate(slots[k]) << UInt64(k - range.lowerBound) }
        return bits
    }
}

/// A lexicon hit being scored; text and rule names are only built when an explanation is asked for.
struct ScoredWord {
    var slot: Int
    var span: Int
    var start: Int
    var end: Int
    var id: Int32
    var base: Double
    var value: Double
    var rules: AppliedRules
    var contrastWeight: Double = 1
    var politeness: Lexicons.PolitenessKind?
}

/// The rules applied to a hit, as bits (no allocation on the hot path).
struct AppliedRules: OptionSet {
    let rawValue: UInt16
    static let caps = AppliedRules(rawValue: 1)
    static let booster = AppliedRules(rawValue: 2)
    static let dampener = AppliedRules(rawValue: 4)
    static let irrealis = AppliedRules(rawValue: 8)
    static let negated = AppliedRules(rawValue: 16)
    static let politenessInComplaint = AppliedRules(rawValue: 32)
    static let requestNotPraise = AppliedRules(rawValue: 64)
    static let courtesy = AppliedRules(rawValue: 128)
    static let question = AppliedRules(rawValue: 256)
    static let negatedRemedy = AppliedRules(rawValue: 512)
    static let unsurpassed = AppliedRules(rawValue: 1024)
    static let churn = AppliedRules(rawValue: 2048)
    static let delay = AppliedRules(rawValue: 4096)
    static let emphasis = AppliedRules(rawValue: 8192)
    static let greeting = AppliedRules(rawValue: 16384)
    static let opposedByContrast = AppliedRules(rawValue: 32768)

    func names(contrastWeight: Double) -> [String] {
        var out: [String] = []
        if contains(.caps) { out.append("ALL-CAPS") }
        if contains(.booster) { out.append("booster") }
        if contains(.dampener) { out.append("dampener") }
        if contains(.irrealis) { out.append("irrealis: wish or condition, not praise") }
        if contains(.question) { out.append("irrealis: a question asks, it does not praise") }
        if contains(.negated) { out.append("negated") }
        if contains(.negatedRemedy) { out.append("negated remedy: it did not come, still a complaint") }
        if contains(.unsurpassed) { out.append("unsurpassed: could not be more so") }
        if contains(.churn) { out.append("never ... again") }
        if contains(.delay) { out.append("a delay: how long it took") }
        if contains(.emphasis) { out.append("\"even\" stresses the negation") }
        if contains(.politenessInComplaint) { out.append("politeness in a complaint") }
        if contains(.requestNotPraise) { out.append("request, not praise") }
        if contains(.greeting) { out.append("a greeting, not praise") }
        if contains(.courtesy) { out.append("thanks closing a question or request: courtesy, not praise") }
        if contains(.opposedByContrast) { out.append("contrast: the unrated main clause opposes the praise it concedes") }
        if contrastWeight > 1 { out.append("contrast: main clause x\(contrastWeight.formatted2)") }
        if contrastWeight < 1 { out.append("contrast: conceded x\(contrastWeight.formatted2)") }
        return out
    }
}

/// Lexicon-and-rules sentiment for customer-service language (after the rule families described by
/// Hutto and Gilbert 2014; each rule is a small function in `Rules/`, each constant names its origin).
/// Scores each sentence, then averages sentence compounds weighted by their strength, so a long message
/// is not pushed to the extremes the way a saturating sum would push it.
public struct LexiconScorer: SentimentScorer {
    /// The lexicons and the rules' word lists, shared by reference.
    let engine: Engine
    public var lexicons: Lexicons { engine.lexicons }
    /// Keep every hit with its rules (for `--explain` and drill-down); off, scoring allocates far less.
    public var explains: Bool
    /// Keep each sentence's score (theme mentions need them); off, a score is built without allocating,
    /// for callers that only want the message's figures (`voc score --format tsv`).
    public var keepsSentences = true
    /// Normalisation constant of compound = s / sqrt(s^2 + alpha), as in Hutto and Gilbert (2014).
    static let alpha = 15.0

    /// Takes the lexicons over: the engine marks rule words in them, and a copy still held by the caller made
    /// that a copy of every entry at each start of `voc score`.
    public init(lexicons: consuming Lexicons, explains: Bool = false) {
        self.explains = explains
        engine = Engine(lexicons: consume lexicons)
    }

    init(engine: Engine, explains: Bool) {
        self.explains = explains
        self.engine = engine
    }

    /// Buffers one scorer reuses from text to text (`voc score` keeps one per chunk of lines): allocating
    /// them per text was a visible share of its time. Made empty without allocating.
    public struct Workspace {
        var key = KeyBuilder()
        private var storage: SlotStorage?
        /// Every sentence's hits, in sentence order.
        var words: [ScoredWord] = []
        var sentences: [SentenceTally] = []
        /// Whether a hit of the text being scored is a word of politeness: looking for one among every text's
        /// hits, a loop whose length cannot be predicted, was 1.7% of `voc score`'s time.
        var holdsPoliteness = false

        public init() {}

        /// The slot storage's slots and capacity; the storage is made on first use, and a copied workspace
        /// gets its own on first use too, so two copies never write into the same slots. The builder holds
        /// the pointer, not a reference (a retain and a release of it for every text).
        mutating func slotBuffer() -> (slots: UnsafeMutablePointer<WordSlot>, capacity: Int) {
            if storage == nil || !isKnownUniquelyReferenced(&storage!) { storage = SlotStorage() }
            return (storage.unsafelyUnwrapped.slots, storage.unsafelyUnwrapped.capacity)
        }

        /// Doubles the slot storage that `slotBuffer` handed out (kept for the next texts), keeping its first
        /// `count` slots.
        mutating func growSlots(keeping count: Int) -> (slots: UnsafeMutablePointer<WordSlot>, capacity: Int) {
            let storage = storage.unsafelyUnwrapped
            storage.grow(keeping: count)
            return (storage.slots, storage.capacity)
        }
    }

    /// What aggregation needs of one sentence besides its hits.
    struct SentenceTally {
        /// End of the sentence's hits in `Workspace.words`.
        var wordsEnd: Int
        var exclamations: Int
        var questions: Int
        var wordCount: Int
        /// Byte range of the sentence in the message.
        var range: Range<Int>
    }

    public func score(_ text: TokenizedText) -> SentimentScore {
        var workspace = Workspace()
        return score(text, in: &workspace)
    }

    /// Scores a tokenized text: its tokens are replayed, sentence by sentence, into the same builder the
    /// scanner feeds in `score(utf8:in:)`.
    public func score(_ text: TokenizedText, in workspace: inout Workspace) -> SentimentScore {
        withUnsafePointer(to: text) { tokenized in
            text.bytes.withUnsafeBufferPointer { bytes in
                score(bytes, tokenized: tokenized, in: &workspace) { builder in
                    text.tokens.withUnsafeBufferPointer { tokens in
                        for range in text.sentences {
                            for index in range { builder.token(tokens[index]) }
                            builder.endSentence()
                        }
                    }
                }
            }
        }
    }

    /// Scores UTF-8 text straight from the scanner, which hands each token to the sentence builder as it
    /// reads it: no token list is written and read back (`voc score`). The same score as tokenizing first.
    public func score(utf8 bytes: UnsafeBufferPointer<UInt8>, in workspace: inout Workspace) -> SentimentScore {
        score(bytes, tokenized: nil, in: &workspace) { builder in Tokenizer.scan(bytes, into: &builder) }
    }

    @inline(__always)
    private func score(
        _ bytes: UnsafeBufferPointer<UInt8>, tokenized: UnsafePointer<TokenizedText>?, in workspace: inout Workspace,
        feed: (inout SentenceBuilder) -> Void
    ) -> SentimentScore {
        // A text's hits and sentences are those past where it began; the lists are emptied only now and then,
        // as emptying them for every text went through the generic `replaceSubrange` (1.4% of `voc score`).
        if workspace.words.count > 256 || workspace.sentences.count > 256 {
            workspace.words.removeAll(keepingCapacity: true)
            workspace.sentences.removeAll(keepingCapacity: true)
        }
        let firstWord = workspace.words.count, firstSentence = workspace.sentences.count
        workspace.holdsPoliteness = false
        withUnsafeMutablePointer(to: &workspace) { workspace in
            var builder = SentenceBuilder(engine: engine, bytes: bytes, tokenized: tokenized, workspace: workspace)
            feed(&builder)
        }
        if workspace.holdsPoliteness {
            let asks = workspace.sentences[firstSentence...].contains { $0.questions > 0 }
            Politeness.neutralise(&workspace.words, from: firstWord, asks: asks)
        }
        return aggregate(bytes, workspace.words, from: firstWord, workspace.sentences, from: firstSentence)
    }
}

extension LexiconScorer {
    /// What scoring reads, immutable and shared by reference: the sentence builder calls into it for every
    /// token, where a copy of the scorer per call retained and released each of its arrays.
    final class Engine: Sendable {
        let lexicons: Lexicons
        /// The negation rule's words ("never", "least" and their exceptions, needs, linking verbs) by term id.
        /// (Clause-initial contrast words and irrealis markers are flagged in the lexicon entries themselves:
        /// they are asked of every word.)
        private let negationWords: Negation.Words
        /// The "never again" entry whose valence a churn takes (`Churn`; nil: no lexicon lists it).
        private let churnEntry: Int32?
        /// The "took ages" entry whose valence a delay takes (`Delay`; nil: no lexicon lists it).
        private let delayEntry: Int32?
        private let delayWords: Delay.Words
        /// The irrealis rule's exceptions (verdicts, well-wishes) as flags by term id.
        private let irrealisWords: Irrealis.Words
        /// The words of "couldn't be better" as flags by term id (`Unsurpassed`).
        private let unsurpassedWords: Unsurpassed.Words
        /// Flags by term id: request words that can be what is thanked for (`Politeness.thankedRequests`).
        private let thankedRequestIDs: [Bool]
        /// Flags by term id: words whose usual spelling is in capitals ("OK", "LOL"), never emphasised by them.
        private let conventionalCapitalIDs: [Bool]
        /// Each term's slot as far as the lexicons make it, by id + 1 (0: a word no lexicon lists): a word's
        /// slot is then one copy and its position, where building it field by field from the entry was a
        /// third of the cost of reading a word.
        let templates: [WordSlot]
        /// The same slots for terms of up to eight bytes, and of nine to sixteen, found by the word's bytes.
        let shortTerms: ShortTerms
        let mediumTerms: ShortTerms

        convenience init(lexicons: consuming Lexicons) {
            Engine.prepare(&lexicons)
            let templates = Engine.templates(of: lexicons)
            let keys = ShortTerms.keys(of: lexicons.terms)
            self.init(
                prepared: lexicons, templates: templates, shortTerms: ShortTerms(keys: keys, slots: templates, lengths: 1...8),
                mediumTerms: ShortTerms(keys: keys, slots: templates, lengths: 9...16))
        }

        /// Gives the rules' words ids and marks the words rules look for in their entries: what the engine
        /// adds to the lexicons, kept in a compiled image of them (`CompiledLexicons`).
        static func prepare(_ lexicons: inout Lexicons) {
            let rulesWords = [
                Irrealis.Words.all, Unsurpassed.Words.all, Negation.Words.all, Negation.remedyVerbs, Negation.coordinators, Churn.words,
                Delay.words,
            ]
            for word in rulesWords.joined() { lexicons.ensure(word) }
            for (terms, marker) in [
                (Contrast.clauseInitialOnly, Lexicons.Markers.clauseInitialOnly), (Irrealis.markers, .irrealis), (Negation.remedies, .remedy),
                (Negation.remedyVerbs, .remedyVerb), (Unsurpassed.degrees, .degree),
                (Negation.coordinators, .coordinator), ([Churn.closing], .again), (Delay.verbs, .takesTime),
            ] {
                for id in terms.compactMap({ lexicons.terms.find($0) }) { lexicons.entries[Int(id)].markers.insert(marker) }
            }
            for file in lexicons.files {
                for row in file.rows where Unsurpassed.isComparative(row.term) {
                    if let id = lexicons.terms.find(row.term) { lexicons.entries[Int(id)].markers.insert(.comparative) }
                }
            }
        }

        /// Each term's slot by id + 1, the unlisted slot first. Written once, in place: a list joined to a
        /// mapped one was two arrays of slots in fresh pages.
        static func templates(of lexicons: Lexicons) -> [WordSlot] {
            var templates: [WordSlot] = []
            templates.reserveCapacity(lexicons.entries.count + 1)
            templates.append(WordSlot(entry: Lexicons.Entry(), id: -1))
            for (id, entry) in lexicons.entries.enumerated() { templates.append(WordSlot(entry: entry, id: Int32(id))) }
            return templates
        }

        /// An engine over lexicons that `prepare` has seen, with the slot tables made from `templates`.
        init(prepared lexicons: Lexicons, templates: [WordSlot], shortTerms: ShortTerms, mediumTerms: ShortTerms) {
            self.lexicons = lexicons
            func flags(_ terms: some Sequence<String>) -> [Bool] {
                var flags = [Bool](repeating: false, count: lexicons.terms.count)
                for id in terms.compactMap({ lexicons.terms.find($0) }) { flags[Int(id)] = true }
                return flags
            }
            negationWords = Negation.Words(flags, id: { lexicons.terms.find($0) ?? -1 })
            churnEntry = lexicons.phrases[PhraseKey(a: negationWords.never, b: lexicons.terms.find(Churn.closing) ?? -1, c: -1, d: -1)]
                .flatMap { lexicons.entries[Int($0)].valence.isNaN ? nil : $0 }
            delayEntry = lexicons.terms.find(Delay.reference).flatMap { lexicons.entries[Int($0)].valence.isNaN ? nil : $0 }
            delayWords = Delay.Words(flags, id: { lexicons.terms.find($0) ?? -1 })
            irrealisWords = Irrealis.Words(flags)
            unsurpassedWords = Unsurpassed.Words(flags)
            thankedRequestIDs = flags(Politeness.thankedRequests)
            conventionalCapitalIDs = flags(Emphasis.conventionalCapitals)
            self.templates = templates
            self.shortTerms = shortTerms
            self.mediumTerms = mediumTerms
        }


        /// The slot of a word token: its lexicon entry (ASCII lowercased on the fly, other words by their
        /// normalised key; elongations tried squeezed) and what the rules need of it.
        @inline(__always)
        func slot(_ bytes: UnsafeBufferPointer<UInt8>, _ token: Token, _ key: inout KeyBuilder, startsClause: Bool) -> WordSlot {
            if !token.flags.contains(.nonASCII) { return asciiSlot(bytes, token, &key, startsClause: startsClause) }
            var id = find(bytes, token, &key)
            if id < 0, token.flags.contains(.elongated) { id = findSqueezed(bytes, token, &key) }
            return slot(id, token, startsClause: startsClause)
        }

        /// `slot` for an ASCII word the scanner did not read in registers (sixteen letters or more, joined by an
        /// apostrophe or hyphen, a hashtag's body, or a word replayed from a token list). Apart, so the scanner's
        /// loop stays small.
        @inline(never)
        private func asciiSlot(_ bytes: UnsafeBufferPointer<UInt8>, _ token: Token, _ key: inout KeyBuilder, startsClause: Bool) -> WordSlot {
            if let (low, high) = TermTable.key16(asciiLowercasingIn: bytes, from: token.start, to: token.end) {
                return slot(bytes, token, low: low, high: high, &key, startsClause: startsClause)
            }
            var id = lexicons.terms.find(asciiLowercasingIn: bytes, from: token.start, to: token.end) ?? -1
            if id < 0, token.flags.contains(.elongated) { id = findSqueezed(bytes, token, &key) }
            return slot(id, token, startsClause: startsClause)
        }

        /// What the lexicons say of a part of a hashtag (ASCII, no flags): its valence and whether it negates,
        /// or nil when no lexicon lists it. Read from the short-term tables without making a slot: a tag is
        /// split by trying every cut, a lookup each.
        func hashtagPart(_ bytes: UnsafeBufferPointer<UInt8>, _ part: Token, _ key: inout KeyBuilder) -> (valence: Double, negator: Bool)? {
            guard let (low, high) = TermTable.key16(asciiLowercasingIn: bytes, from: part.start, to: part.end) else {
                let found = slot(bytes, part, &key, startsClause: false)
                return found.id >= 0 ? (found.valence, found.isNegator) : nil
            }
            let found = listed(low: low, high: high)
            return found.pointee.id >= 0 ? (found.pointee.valence, found.pointee.isNegator) : nil
        }

        /// `slot` for an ASCII word of up to sixteen bytes whose lowercased bytes are `low` and `high` (the
        /// scanner hands them over for words it read in registers; `high` is 0 up to eight bytes).
        @inline(__always)
        func slot(_ bytes: UnsafeBufferPointer<UInt8>, _ token: Token, low: UInt64, high: UInt64, _ key: inout KeyBuilder, startsClause: Bool)
            -> WordSlot
        {
            var slot = listed(low: low, high: high).pointee
            if token.flags.contains(.elongated), slot.id < 0 { slot = squeezedSlot(bytes, token, &key) }
            slot.place(start: token.start, end: token.end, allCaps: token.flags.contains(.allCaps), startsClause: startsClause)
            return slot
        }

        /// The unplaced slot of an elongated word with its runs squeezed (`findSqueezed`; id -1: none).
        func squeezedSlot(_ bytes: UnsafeBufferPointer<UInt8>, _ token: Token, _ key: inout KeyBuilder) -> WordSlot {
            templates.withUnsafeBufferPointer { $0[Int(findSqueezed(bytes, token, &key)) &+ 1] }
        }

        /// The unplaced slot of the term whose lowercased bytes are `low` and `high` (id -1: none), from the
        /// table of its length (no term holds a zero byte, so `high` is 0 exactly for terms of up to eight bytes).
        @inline(__always)
        func listed(low: UInt64, high: UInt64) -> UnsafePointer<WordSlot> {
            high == 0 ? shortTerms.slot(low: low) : mediumTerms.slot(low: low, high: high)
        }

        @inline(__always)
        private func slot(_ id: Int32, _ token: Token, startsClause: Bool) -> WordSlot {
            var slot = templates.withUnsafeBufferPointer { $0[Int(id) &+ 1] }
            slot.place(start: token.start, end: token.end, allCaps: token.flags.contains(.allCaps), startsClause: startsClause)
            return slot
        }

        /// The id of a token with non-ASCII bytes, looked up by its normalised key (-1: none).
        @inline(never)
        private func find(_ bytes: UnsafeBufferPointer<UInt8>, _ token: Token, _ key: inout KeyBuilder) -> Int32 {
            key.set(bytes, token)
            return key.withKey { lexicons.terms.find(normalizedKey: $0) } ?? -1
        }

        /// The id of an elongated word ("sooo", "loooove") with its runs squeezed to two letters, then one.
        @inline(never)
        private func findSqueezed(_ bytes: UnsafeBufferPointer<UInt8>, _ token: Token, _ key: inout KeyBuilder) -> Int32 {
            for run in [2, 1] {
                key.set(bytes, token, collapseRunsTo: run)
                if let found = key.withKey({ lexicons.terms.find(normalizedKey: $0) }) { return found }
            }
            return -1
        }

        /// The multi-word entry made of the words at `p..<p+length`, if any (matched on ids).
        private func phrase(_ slots: WordSlots, _ p: Int, _ length: Int) -> Int32? {
            guard length <= PhraseKey.maxWords else { return nil }
            for k in 0..<length where slots[p + k].id < 0 { return nil }
            return listedPhrase(slots, p, length)
        }

        /// `phrase` for words known to be listed.
        @inline(__always)
        private func listedPhrase(_ slots: WordSlots, _ p: Int, _ length: Int) -> Int32? {
            phrase(length) { slots[p + $0].id }
        }

        /// The multi-word entry of `length` words whose k-th word is `word(k)` (k < length), if any.
        @inline(__always)
        private func phrase(_ length: Int, _ word: (Int) -> Int32) -> Int32? {
            func id(_ k: Int) -> Int32 { k < length ? word(k) : -1 }
            return lexicons.phrases[PhraseKey(a: id(0), b: id(1), c: id(2), d: id(3))]
        }

        /// Multi-word boosters ("kind of", "a bit") act as one booster on their last word, and multi-word negators
        /// ("far from") as one negator there, so the negation window counts from it; their words score nothing.
        /// Returns whether it marked any.
        private func markMultiWordRoles(_ slots: WordSlots) -> Bool {
            var marked = false
            var p = 0
            while p < slots.count {
                guard slots[p].longestRolePhrase > 1 else {
                    p += 1
                    continue
                }
                var matched = 1
                for length in stride(from: min(Int(slots[p].longestRolePhrase), slots.count - p), to: 1, by: -1) {
                    guard let found = phrase(slots, p, length) else { continue }
                    let role = lexicons.entries[Int(found)].role
                    // A booster's words are all used up; a negator's but its last, as negation looks for it unused.
                    let usedUp: Int
                    switch role {
                    case .booster: usedUp = length
                    case .negator: usedUp = length - 1
                    default: continue
                    }
                    for k in p..<(p + usedUp) {
                        slots[k].consumed = true
                        slots[k].role = .none
                    }
                    slots[p + length - 1].role = role
                    matched = length
                    marked = true
                    break
                }
                p += matched
            }
            return marked
        }

        /// Appends the sentence's hits to `out`; marks the slots it uses up (the next sentence writes over them).
        /// `question`: the sentence holds a question mark; the positive words of its last clause are irrealis (`Irrealis`).
        /// Returns whether a hit it appended is a word of politeness (`Politeness.neutralise` has work).
        func appendHits(_ slots: WordSlots, _ tally: SlotTally, question: Bool, to out: inout [ScoredWord]) -> Bool {
            var tally = tally
            // The passes that rewrite roles run only for sentences that have what they look for, and the tally is
            // taken again when they rewrote one; so it is for a sentence of more than 64 words, whose later words
            // it leaves out.
            let multiWordRoles = tally.rolePhrases > 1 && markMultiWordRoles(slots)
            // A booster and a word with a valence in the sentence: maybe a degree word ("pretty", "super"), which
            // the rule then looks for. (Asked of each word instead, the tally cost more than the rule it saved.)
            let degreeWords = tally.all & (tally.all >> 3) & WordSlot.boosterBit != 0
            var rewritten = multiWordRoles
            if multiWordRoles || degreeWords { rewritten = Boosters.resolveDegreeWords(slots) || rewritten }
            if rewritten || slots.count > 64 { tally = SlotTally(slots) }
            let first = out.count
            let contrasts = tally.all & WordSlot.contrastBit != 0
            let (mixedCase, questionClause) = question || tally.all & WordSlot.allCapsBit != 0
                ? tally.caseAndQuestion(slots, question: question) : (false, slots.count)
            var next = 0  // past the last hit's words
            var window = 0
            var candidates = tally.candidates
            var polite = false
            while true {
                while candidates != 0 {
                    let p = window + candidates.trailingZeroBitCount
                    candidates &= candidates &- 1
                    if p < next { continue }
                    let span = appendHit(at: p, slots, tally, questionClause: questionClause, mixedCase: mixedCase, sentenceFirst: first, to: &out)
                    if span > 0 {
                        next = p + span
                        polite = polite || out[out.count - 1].politeness != nil
                    }
                }
                window += 64
                guard window < slots.count else { break }
                candidates = SlotTally.candidates(slots, window..<min(window + 64, slots.count))
            }
            if tally.all & WordSlot.ratedNegatorBit != 0 { appendUnusedNegators(slots, mixedCase: mixedCase, sentenceFirst: first, to: &out) }
            if tally.all & (WordSlot.negatorBit | WordSlot.againBit) == WordSlot.negatorBit | WordSlot.againBit, let churnEntry { appendChurns(slots, entry: churnEntry, sentenceFirst: first, to: &out) }
            if tally.all & WordSlot.takesTimeBit != 0, let delayEntry { appendDelays(slots, entry: delayEntry, sentenceFirst: first, to: &out) }
            guard contrasts, out.count > first else { return polite }
            Contrast.withContrastWords(in: slots) { contrastWords in
                var strongestConceded = 0.0, onlyConcededPraise = true
                for k in first..<out.count {
                    let weight = contrastWords.weight(at: out[k].slot)
                    if out[k].value != 0, !(weight < 1 && out[k].value > 0) { onlyConcededPraise = false }
                    strongestConceded = max(strongestConceded, out[k].value)
                    guard weight != 1 else { continue }
                    out[k].value *= weight
                    out[k].contrastWeight = weight
                }
                guard onlyConcededPraise, strongestConceded > 0, !question, let p = Contrast.opposingAt(slots, contrastWords) else { return }
                Self.insertInWordOrder(
                    ScoredWord(
                        slot: p, span: 1, start: slots[p].start, end: slots[p].end, id: slots[p].id, base: -strongestConceded,
                        value: -strongestConceded, rules: .opposedByContrast, politeness: nil),
                    sentenceFirst: first, into: &out)
            }
            return polite
        }

        /// "Never … again" with words between (`Churn`), as hits in word order.
        private func appendChurns(_ slots: WordSlots, entry: Int32, sentenceFirst: Int, to out: inout [ScoredWord]) {
            for p in slots.indices where slots[p].id == negationWords.never {
                guard let end = Churn.again(after: p, in: slots) else { continue }
                // A phrase that starts at "never" ("never use", -2.2) already says it.
                if out[sentenceFirst...].contains(where: { $0.slot == p }) { continue }
                insertRuleHit(from: p, to: end, entry: entry, rule: .churn, slots, sentenceFirst: sentenceFirst, into: &out)
            }
        }

        /// The entry of the phrase the negator at `p` starts when it is read past the "even" after it ("never
        /// even arrived": `Negation.emphasis`), and how many words it spans with "even"; nil when none matches.
        private func stressedPhrase(at p: Int, _ slots: WordSlots) -> (entry: Int32, span: Int)? {
            var length = min(Int(slots[p].longestPhrase), PhraseKey.maxWords, slots.count - p - 1)
            while length > 1 {
                // The phrase's k-th word: the negator, then the words after "even".
                if let entry = phrase(length, { $0 == 0 ? slots[p].id : slots[p + 1 + $0].id }), !lexicons.entries[Int(entry)].valence.isNaN {
                    return (entry, length + 1)
                }
                length -= 1
            }
            return nil
        }

        /// "Took them 3 weeks" (`Delay`), as hits in word order. A verb already in a hit ("took forever") is left.
        private func appendDelays(_ slots: WordSlots, entry: Int32, sentenceFirst: Int, to out: inout [ScoredWord]) {
            for p in slots.indices where slots[p].takesTime && !slots[p].consumed {
                guard let end = Delay.unit(after: p, in: slots, delayWords) else { continue }
                insertRuleHit(from: p, to: end, entry: entry, rule: .delay, slots, sentenceFirst: sentenceFirst, into: &out)
            }
        }

        /// A hit a rule found over words `p...end` after the hit finder (a churn, a delay), valued as `entry`,
        /// in word order among the sentence's hits. (No ALL-CAPS emphasis: as for any hit of several words.)
        private func insertRuleHit(
            from p: Int, to end: Int, entry: Int32, rule: AppliedRules, _ slots: WordSlots, sentenceFirst: Int, into out: inout [ScoredWord]
        ) {
            let valence = lexicons.entries[Int(entry)].valence
            Self.insertInWordOrder(
                ScoredWord(
                    slot: p, span: end - p + 1, start: slots[p].start, end: slots[end].end, id: entry, base: valence, value: valence,
                    rules: rule, politeness: nil),
                sentenceFirst: sentenceFirst, into: &out)
        }

        /// Inserts a hit a pass after the hit finder found among the sentence's hits (from `sentenceFirst` on),
        /// which stay in word order.
        private static func insertInWordOrder(_ hit: ScoredWord, sentenceFirst: Int, into out: inout [ScoredWord]) {
            out.insert(hit, at: out[sentenceFirst...].firstIndex { $0.slot > hit.slot } ?? out.count)
        }

        /// The negators with a valence of their own that negated nothing (`Negation.saysNo`), as hits in word order.
        private func appendUnusedNegators(_ slots: WordSlots, mixedCase: Bool, sentenceFirst: Int, to out: inout [ScoredWord]) {
            for p in slots.indices where Negation.saysNo(slots[p]) {
                var value = slots[p].valence
                var rules: AppliedRules = []
                if mixedCase, slots[p].allCaps {
                    value += value > 0 ? Emphasis.capsIncrement : -Emphasis.capsIncrement
                    rules.insert(.caps)
                }
                Self.insertInWordOrder(
                    ScoredWord(
                        slot: p, span: 1, start: slots[p].start, end: slots[p].end, id: slots[p].id, base: slots[p].valence, value: value,
                        rules: rules, politeness: nil),
                    sentenceFirst: sentenceFirst, into: &out)
                slots[p].consumed = true
            }
        }

        /// The question, irrealis and negation rules for the hit at `p` (value and rules updated in place).
        @inline(__always)
        private func applyIrrealisAndNegation(
            at p: Int, span: Int, id: Int32, _ slots: WordSlots, _ tally: SlotTally, questionClause: Int, to value: inout Double,
            _ rules: inout AppliedRules
        ) {
            if value > 0, p >= questionClause {
                value = 0
                rules.insert(.question)
            } else if value > 0, tally.all & WordSlot.irrealisBit != 0, Irrealis.blocks(at: p, in: slots, irrealisWords) {
                value = 0
                rules.insert(.irrealis)
            }
            guard tally.all & WordSlot.negatorBit != 0 else { return }
            if let negator = Negation.negator(at: p, in: slots, negationWords) {
                if value < 0, span == 1, lexicons.entries[Int(id)].markers.contains(.remedy),
                    Negation.remedyWithheld(negator: negator, at: p, in: slots, need: negationWords.need)
                {
                    rules.insert(.negatedRemedy)
                } else {
                    value *= Negation.scalar
                    rules.insert(.negated)
                }
                if !slots[p].isListed(in: negationWords.linkingVerbs) { slots[negator].consumed = true }
            } else if value > 0, let subject = Negation.subject(of: p, in: slots, negationWords) {
                value *= Negation.scalar
                rules.insert(.negated)
                slots[subject].consumed = true  // "no" of "no one" says nothing more on its own
            }
        }

        /// Scores the word at `p` (or the multi-word entry starting there) and appends the hit: returns how many
        /// words the hit spans, 0 when there is none (an unmatched phrase start, or a word that is context).
        @inline(__always)
        private func appendHit(
            at p: Int, _ slots: WordSlots, _ tally: SlotTally, questionClause: Int, mixedCase: Bool, sentenceFirst: Int, to out: inout [ScoredWord]
        ) -> Int {
            let slot = slots.baseAddress.unsafelyUnwrapped + p
            var span = 1
            var found: (Double, Int32)?
            if slot.pointee.longestPhrase > 1, p &+ 1 < slots.count, lexicons.phrases.mayStart(slot.pointee.id, slots[p &+ 1].id) {
                // A phrase is made of listed words only: the lengths past the first unlisted word cannot match.
                var length = min(Int(slot.pointee.longestPhrase), slots.count - p, tally.listedRun(from: p, in: slots))
                while length > 1, found == nil {
                    if let id = listedPhrase(slots, p, length) {
                        let entry = lexicons.entries[Int(id)]
                        if !entry.valence.isNaN {
                            found = (entry.valence, id)
                            span = length
                        } else if case .booster = entry.role {
                            break  // a multi-word booster ("kind of") is context, not a hit
                        }
                    }
                    length -= 1
                }
            }
            var rules: AppliedRules = []
            // A negator that starts phrases, with "even" after it and no phrase matched: asked only here, where
            // a phrase start is already being looked at, so other sentences pay nothing for the rule.
            if found == nil, slot.pointee.isNegator, p + 2 < slots.count, slots[p + 1].id == negationWords.even,
                let (entry, length) = stressedPhrase(at: p, slots)
            {
                found = (lexicons.entries[Int(entry)].valence, entry)
                span = length
                rules.insert(.emphasis)
            }
            if found == nil {
                if slot.pointee.isContext { return 0 }
                if !slot.pointee.valence.isNaN { found = (slot.pointee.valence, slot.pointee.id) }
            }
            guard let (base, id) = found else { return 0 }
            var value = base
            if mixedCase, slot.pointee.allCaps, span == 1, !conventionalCapitalIDs[Int(id)] {
                value += value > 0 ? Emphasis.capsIncrement : -Emphasis.capsIncrement
                rules.insert(.caps)
            }
            // The look-back rules run only in sentences that hold a word of their kind (the tally's flags, or-ed
            // over every word, and taken again after roles were rewritten): most sentences hold none.
            let boost = tally.all & WordSlot.boosterBit == 0 ? 0 : Boosters.adjustment(at: p, in: slots, mixedCase: mixedCase)
            if boost != 0 {
                value += value > 0 ? boost : -boost
                rules.insert(boost > 0 ? .booster : .dampener)
            }
            if tally.all & WordSlot.negatorBit != 0, Unsurpassed.mayEnd(at: p, in: slots),
                let negator = Unsurpassed.negator(at: p, in: slots, unsurpassedWords)
            {
                value += value > 0 ? Unsurpassed.increment : -Unsurpassed.increment
                rules.insert(.unsurpassed)
                slots[negator].consumed = true
            } else {
                applyIrrealisAndNegation(at: p, span: span, id: id, slots, tally, questionClause: questionClause, to: &value, &rules)
                if tally.all & WordSlot.negatorBit != 0, !rules.contains(.negated), out.count > sentenceFirst,
                    Negation.carriesOver(from: out[out.count - 1], to: p, base: base, in: slots)
                {
                    value *= Negation.scalar
                    rules.insert(.negated)
                }
            }
            slot.pointee.consumed = true
            if span > 1 { for k in p + 1..<(p + span) { slots[k].consumed = true } }
            out.append(ScoredWord(
                slot: p, span: span, start: slots[p].start, end: slots[p + span - 1].end, id: id, base: base, value: value, rules: rules,
                politeness: { () -> Lexicons.PolitenessKind? in
                    // A single word's role is in its slot; reading the entry for every hit missed the cache.
                    guard case .politeness(let kind) = span == 1 ? slot.pointee.role : lexicons.entries[Int(id)].role else { return nil }
                    if kind == .request, span == 1, thankedRequestIDs[Int(id)], Politeness.isThanked(at: p, in: slots) { return .gratitude }
                    return kind
                }()))
            return span
        }
    }
}

extension LexiconScorer {
    /// Read through buffers rather than a slice per sentence: each slice retained and released the arrays.
    /// The text's hits and sentences start at `firstWord` and `firstSentence` of the workspace's lists.
    private func aggregate(
        _ bytes: UnsafeBufferPointer<UInt8>, _ allWords: [ScoredWord], from firstWord: Int, _ sentences: [SentenceTally], from firstSentence: Int
    ) -> SentimentScore {
        var scores: [SentenceScore] = []
        if keepsSentences { scores.reserveCapacity(sentences.count - firstSentence) }
        var weighted = 0.0, weights = 0.0
        var pos = 0.0, neg = 0.0, neu = 0.0
        allWords.withUnsafeBufferPointer { allWords in
            sentences.withUnsafeBufferPointer { sentences in
                var wordsStart = firstWord
                for sentence in sentences[firstSentence...] {
                    let words = wordsStart..<sentence.wordsEnd
                    wordsStart = sentence.wordsEnd
                    // One pass, and the sign of a hit chosen without a branch (it cannot be predicted).
                    var sum = 0.0, p = 0.0, n = 0.0
                    for k in words {
                        let value = allWords[k].value
                        sum += value
                        p += value > 0 ? value + 1 : 0
                        n += value < 0 ? value - 1 : 0
                    }
                    if sum != 0 {
                        let emphasis = Emphasis.punctuation(exclamations: sentence.exclamations, questions: sentence.questions)
                        sum += sum > 0 ? emphasis : -emphasis
                    }
                    let compound = sum == 0 ? 0 : max(-1, min(1, sum / (sum * sum + LexiconScorer.alpha).squareRoot()))
                    let neutralWords = Double(max(0, sentence.wordCount - words.count))
                    pos += p
                    neg += -n
                    neu += neutralWords
                    weighted += compound * abs(compound)
                    weights += abs(compound)
                    guard keepsSentences else { continue }
                    let hits: [Hit] = !explains ? [] : words.map { k in
                        let word = allWords[k]
                        return Hit(
                            text: String(decoding: UnsafeBufferPointer(rebasing: bytes[word.start..<word.end]), as: UTF8.self),
                            lexicon: engine.lexicons.source[Int(word.id)], base: word.base, value: word.value,
                            rules: word.rules.names(contrastWeight: word.contrastWeight))
                    }
                    scores.append(SentenceScore(compound: compound, hits: hits, range: sentence.range))
                }
            }
        }
        let compound = weights > 0 ? weighted / weights : 0
        let total = pos + neg + neu
        return SentimentScore(
            compound: compound, positive: total > 0 ? pos / total : 0, neutral: total > 0 ? neu / total : 1,
            negative: total > 0 ? neg / total : 0, label: SentimentScore.label(for: compound), sentences: scores)
    }
}
