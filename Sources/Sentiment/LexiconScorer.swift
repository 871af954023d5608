public import Text

/// The Sentiment stage's role: tokens in, a score (with its evidence) out.
public protocol SentimentScorer: Sendable {
    func score(_ text: TokenizedText) -> SentimentScore
}

/// A word position in a sentence, with what the lexicons know about it: 48 bytes (flags as bits, the word's
/// byte range rather than its token), as every word of a message gets one.
struct WordSlot {
    /// The term's valence (NaN when none).
    var valence: Double
    var role: Lexicons.Role
    /// Byte range of the word (a hashtag's without its #).
    var start: Int
    var end: Int
    var id: Int32
    /// How long a multi-word entry or booster starting here may be.
    var longestPhrase: UInt8
    var longestBoosterPhrase: UInt8
    private var bits: UInt8

    private static let allCapsBit: UInt8 = 1, startsClauseBit: UInt8 = 2, clauseInitialOnlyBit: UInt8 = 4
    private static let irrealisBit: UInt8 = 8, consumedBit: UInt8 = 16

    init(entry: Lexicons.Entry, id: Int32, start: Int, end: Int, allCaps: Bool, startsClause: Bool) {
        valence = entry.valence
        role = entry.role
        self.start = start
        self.end = end
        self.id = id
        longestPhrase = entry.longestPhrase
        longestBoosterPhrase = entry.longestBoosterPhrase
        bits = (allCaps ? WordSlot.allCapsBit : 0) | (startsClause ? WordSlot.startsClauseBit : 0)
            | (entry.markers.contains(.clauseInitialOnly) ? WordSlot.clauseInitialOnlyBit : 0)
            | (entry.markers.contains(.irrealis) ? WordSlot.irrealisBit : 0)
    }

    @inline(__always) private func bit(_ b: UInt8) -> Bool { bits & b != 0 }

    var allCaps: Bool { bit(WordSlot.allCapsBit) }
    /// First word of the sentence or right after a comma, semicolon, colon or dash.
    var startsClause: Bool { bit(WordSlot.startsClauseBit) }
    /// "yet", "though", "while": contrast words only when they start a clause.
    var clauseInitialOnly: Bool { bit(WordSlot.clauseInitialOnlyBit) }
    /// A wish or condition marker ("would", "if", "wish").
    var irrealis: Bool { bit(WordSlot.irrealisBit) }
    /// Part of a multi-word entry already matched (a phrase hit or a multi-word booster).
    var consumed: Bool {
        get { bit(WordSlot.consumedBit) }
        set { bits = newValue ? bits | WordSlot.consumedBit : bits & ~WordSlot.consumedBit }
    }

    /// A slot not yet written (storage is sized before a sentence's words are read into it).
    static let unused = WordSlot(entry: Lexicons.Entry(), id: -1, start: 0, end: 0, allCaps: false, startsClause: false)

    /// The kind of contrast this word makes here: "but" anywhere, "yet", "though", "while" only starting a clause.
    var contrastKind: Lexicons.ContrastKind? {
        guard case .contrast(let kind) = role, !clauseInitialOnly || startsClause else { return nil }
        return kind
    }
}

/// A sentence's word slots, in the scorer's reusable storage; the rules read and mark them in place.
typealias WordSlots = UnsafeMutableBufferPointer<WordSlot>

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

    func names(contrastWeight: Double) -> [String] {
        var out: [String] = []
        if contains(.caps) { out.append("ALL-CAPS") }
        if contains(.booster) { out.append("booster") }
        if contains(.dampener) { out.append("dampener") }
        if contains(.irrealis) { out.append("irrealis: wish or condition, not praise") }
        if contains(.question) { out.append("irrealis: a question asks, it does not praise") }
        if contains(.negated) { out.append("negated") }
        if contains(.negatedRemedy) { out.append("negated remedy: it did not come, still a complaint") }
        if contains(.politenessInComplaint) { out.append("politeness in a complaint") }
        if contains(.requestNotPraise) { out.append("request, not praise") }
        if contains(.courtesy) { out.append("thanks closing a question or request: courtesy, not praise") }
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
    public let lexicons: Lexicons
    /// Keep every hit with its rules (for `--explain` and drill-down); off, scoring allocates far less.
    public var explains: Bool
    /// Keep each sentence's score (theme mentions need them); off, a score is built without allocating,
    /// for callers that only want the message's figures (`voc score --format tsv`).
    public var keepsSentences = true
    /// Normalisation constant of compound = s / sqrt(s^2 + alpha), as in Hutto and Gilbert (2014).
    static let alpha = 15.0
    /// Term id of "never" and flags of the words that make "never" exclamatory (`Negation.exclamatory`).
    /// (Clause-initial contrast words and irrealis markers are flagged in the lexicon entries themselves:
    /// they are asked of every word.)
    private let neverID: Int32
    private let exclamatoryIDs: [Bool]
    /// Flags by term id of the words that make a negated remedy an unneeded one (`Negation.need`).
    private let needIDs: [Bool]

    public init(lexicons: Lexicons, explains: Bool = false) {
        self.explains = explains
        var lexicons = lexicons
        for marker in Irrealis.markers.union(Negation.exclamatory).union(Negation.need).union(["never"]) { lexicons.ensure(marker) }
        for (terms, marker) in [
            (Contrast.clauseInitialOnly, Lexicons.Markers.clauseInitialOnly), (Irrealis.markers, .irrealis), (Negation.remedies, .remedy),
        ] {
            for id in terms.compactMap({ lexicons.terms.find($0) }) { lexicons.entries[Int(id)].markers.insert(marker) }
        }
        self.lexicons = lexicons
        func flags(_ terms: some Sequence<String>) -> [Bool] {
            var flags = [Bool](repeating: false, count: lexicons.terms.count)
            for id in terms.compactMap({ lexicons.terms.find($0) }) { flags[Int(id)] = true }
            return flags
        }
        neverID = lexicons.terms.find("never") ?? -1
        exclamatoryIDs = flags(Negation.exclamatory)
        needIDs = flags(Negation.need)
    }

    /// Buffers one scorer reuses from text to text (`voc score` keeps one per chunk of lines): allocating
    /// them per text was a visible share of its time.
    public struct Workspace {
        var key = KeyBuilder()
        var slots: [WordSlot] = []
        /// Every sentence's hits, in sentence order.
        var words: [ScoredWord] = []
        var sentences: [SentenceTally] = []

        public init() {}
    }

    /// What aggregation needs of one sentence besides its hits.
    struct SentenceTally {
        /// End of the sentence's hits in `Workspace.words`.
        var wordsEnd: Int
        var exclamations: Int
        var questions: Int
        var wordCount: Int
    }

    public func score(_ text: TokenizedText) -> SentimentScore {
        var workspace = Workspace()
        return score(text, in: &workspace)
    }

    public func score(_ text: TokenizedText, in workspace: inout Workspace) -> SentimentScore {
        workspace.words.removeAll(keepingCapacity: true)
        workspace.sentences.removeAll(keepingCapacity: true)
        // Whether the message is in Title Case is only asked when a positive word looks like a name (rare),
        // so it is worked out then: a pass over every token for each text was 3% of `voc score`.
        var titleCase: Bool?
        func isTitleCase() -> Bool {
            if let titleCase { return titleCase }
            let answer = ProperNoun.isTitleCase(text)
            titleCase = answer
            return answer
        }
        for range in text.sentences {
            // Slots are written in place into storage sized for the sentence: appending them one by one, with
            // the array's checks, was a quarter of the scorer's own instructions.
            let capacity = LexiconScorer.slotsNeeded(by: range, of: text)
            if workspace.slots.count < capacity {
                workspace.slots.append(contentsOf: repeatElement(WordSlot.unused, count: capacity - workspace.slots.count))
            }
            var exclamations = 0, questions = 0
            var clauseStart = true
            var count = 0
            workspace.slots.withUnsafeMutableBufferPointer { storage in
                text.tokens.withUnsafeBufferPointer { tokens in
                    for index in range {
                        let token = tokens[index]
                        switch token.kind {
                        case .word, .emoji, .emoticon:
                            var wordSlot = slot(text, token, &workspace.key, startsClause: clauseStart)
                            if count > 0, wordSlot.valence > 0, ProperNoun.looksLikeName(token, in: text), !isTitleCase() {
                                wordSlot.consumed = true  // "United", "Virgin", "Best Buy": a name, not praise
                            }
                            storage[count] = wordSlot
                            count += 1
                            clauseStart = false
                        case .hashtag:
                            // "#fail", "#not happy": a hashtag whose body is a negator or a negative word counts as
                            // that word. Positive bodies do not: they are mostly names ("#united", "#virgin").
                            var body = token
                            body.start += 1
                            body.kind = .word
                            let hashtagSlot = slot(text, body, &workspace.key, startsClause: clauseStart)
                            let id = Int(hashtagSlot.id)
                            if id >= 0, hashtagSlot.role == .negator || hashtagSlot.valence < 0 {
                                storage[count] = hashtagSlot
                                count += 1
                                clauseStart = false
                            } else if id < 0 {
                                // Run-together hashtags: "#brandfail", "#notimpressed" (Hashtags rule).
                                let parts = Hashtags.split(body) { part in
                                    let found = slot(text, part, &workspace.key, startsClause: clauseStart)
                                    return found.id >= 0 ? (found.valence, found.role == .negator) : nil
                                }
                                for part in parts {
                                    storage[count] = slot(text, part, &workspace.key, startsClause: clauseStart)
                                    count += 1
                                    clauseStart = false
                                }
                            }
                        case .punctuation:
                            let first = text.bytes[token.start]
                            if first == 0x21 || first == 0x3F {
                                for k in token.start..<token.end {
                                    if text.bytes[k] == 0x21 { exclamations += 1 } else { questions += 1 }
                                }
                            }
                            if first == 0x2C || first == 0x3B || first == 0x3A || first == 0x2D { clauseStart = true }
                        default:
                            continue  // handles, URLs, emails, numbers carry no sentiment: "@united" is not "united"
                        }
                    }
                }
                appendHits(WordSlots(rebasing: storage[0..<count]), question: questions > 0, to: &workspace.words)
            }
            workspace.sentences.append(
                SentenceTally(wordsEnd: workspace.words.count, exclamations: exclamations, questions: questions, wordCount: count))
        }
        Politeness.neutralise(&workspace.words, asks: workspace.sentences.contains { $0.questions > 0 })
        return aggregate(text, workspace.words, workspace.sentences)
    }

    /// Room for the word slots of a sentence: two per token (a hashtag can give two words) for sentences of
    /// up to `largeSentence` tokens; past that, counted, so a 10 MB line of words and stops does not get
    /// room for twice its stops as well (384 MB for "http:" two million times, not 96).
    static func slotsNeeded(by range: Range<Int>, of text: TokenizedText) -> Int {
        guard range.count > largeSentence else { return 2 * range.count }
        var needed = 0
        for index in range {
            switch text.tokens[index].kind {
            case .word, .emoji, .emoticon: needed += 1
            case .hashtag: needed += 2
            default: continue
            }
        }
        return needed
    }

    static let largeSentence = 4_096

    private func slot(_ text: TokenizedText, _ token: Token, _ key: inout KeyBuilder, startsClause: Bool) -> WordSlot {
        var id: Int32
        if token.flags.contains(.nonASCII) {
            key.set(text, token)
            id = key.withKey { lexicons.terms.find(normalizedKey: $0) } ?? -1
        } else {
            id = text.bytes.withUnsafeBufferPointer {
                let word = UnsafeBufferPointer(rebasing: $0[token.start..<token.end])
                return token.flags.contains(.lowercase) ? lexicons.terms.find(normalizedKey: word) : lexicons.terms.find(asciiLowercasing: word)
            } ?? -1
        }
        if id < 0, token.flags.contains(.elongated) {
            for run in [2, 1] {
                key.set(text, token, collapseRunsTo: run)
                if let found = key.withKey({ lexicons.terms.find(normalizedKey: $0) }) {
                    id = found
                    break
                }
            }
        }
        let entry = id >= 0 ? lexicons.entries[Int(id)] : Lexicons.Entry()
        return WordSlot(
            entry: entry, id: id, start: token.start, end: token.end, allCaps: token.flags.contains(.allCaps), startsClause: startsClause)
    }

    /// The multi-word entry made of the words at `p..<p+length`, if any (matched on ids).
    private func phrase(_ slots: WordSlots, _ p: Int, _ length: Int) -> Int32? {
        guard length <= PhraseKey.maxWords else { return nil }
        for k in 0..<length where slots[p + k].id < 0 { return nil }
        func id(_ k: Int) -> Int32 { k < length ? slots[p + k].id : -1 }
        return lexicons.phrases[PhraseKey(a: id(0), b: id(1), c: id(2), d: id(3))]
    }

    /// Multi-word boosters ("kind of", "a bit") act as one booster on their last word; their words score nothing.
    private func markMultiWordBoosters(_ slots: WordSlots) {
        var p = 0
        while p < slots.count {
            guard slots[p].longestBoosterPhrase > 1 else {
                p += 1
                continue
            }
            var matched = 1
            for length in stride(from: min(Int(slots[p].longestBoosterPhrase), slots.count - p), to: 1, by: -1) {
                if let found = phrase(slots, p, length), case .booster(let w) = lexicons.entries[Int(found)].role {
                    for k in p..<(p + length) {
                        slots[k].consumed = true
                        slots[k].role = .none
                    }
                    slots[p + length - 1].role = .booster(w)
                    matched = length
                    break
                }
            }
            p += matched
        }
    }

    /// Appends the sentence's hits to `out`; marks the slots it uses up (the next sentence writes over them).
    /// `question`: the sentence holds a question mark; the positive words of its last clause are irrealis (`Irrealis`).
    private func appendHits(_ slots: WordSlots, question: Bool, to out: inout [ScoredWord]) {
        // The passes that rewrite roles run only for sentences that have what they look for; what the rest
        // needs of the whole sentence is then read in one pass (five passes over every sentence were a
        // fifth of this function's work).
        var multiWordBoosters = false, degreeWords = false
        for slot in slots {
            if slot.longestBoosterPhrase > 1 { multiWordBoosters = true }
            if case .booster = slot.role, !slot.valence.isNaN { degreeWords = true }
        }
        if multiWordBoosters { markMultiWordBoosters(slots) }
        if multiWordBoosters || degreeWords { Boosters.resolveDegreeWords(slots) }
        let first = out.count
        // The question's clause starts at the last clause break or contrast word, as the irrealis window
        // stops at them: in "lovely crew but is the lounge open?" only the words after "but" ask.
        var capsWords = 0, questionClause = 0, contrasts = false
        for k in 0..<slots.count {
            let slot = slots[k]
            if slot.allCaps { capsWords += 1 }
            if slot.startsClause || slot.contrastKind != nil { questionClause = k }
            if case .contrast = slot.role { contrasts = true }
        }
        let mixedCase = capsWords > 0 && capsWords < slots.count
        var p = 0
        while p < slots.count {
            let slot = slots[p]
            var span = 1
            var found: (Double, Int32)?
            if slot.consumed {
                p += 1
                continue
            }
            if slot.longestPhrase > 1 {
                let longest = min(Int(slot.longestPhrase), slots.count - p)
                var length = longest
                while length > 1, found == nil {
                    if let id = phrase(slots, p, length) {
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
            if found == nil {
                switch slot.role {
                case .negator, .booster, .contrast:
                    p += 1
                    continue
                default:
                    if !slot.valence.isNaN { found = (slot.valence, slot.id) }
                }
            }
            guard let (base, id) = found else {
                p += 1
                continue
            }
            var value = base
            var rules: AppliedRules = []
            if mixedCase, slot.allCaps, span == 1 {
                value += value > 0 ? Emphasis.capsIncrement : -Emphasis.capsIncrement
                rules.insert(.caps)
            }
            let boost = Boosters.adjustment(at: p, in: slots, mixedCase: mixedCase)
            if boost != 0 {
                value += value > 0 ? boost : -boost
                rules.insert(boost > 0 ? .booster : .dampener)
            }
            if value > 0, question, p >= questionClause {
                value = 0
                rules.insert(.question)
            } else if value > 0, Irrealis.blocks(at: p, in: slots) {
                value = 0
                rules.insert(.irrealis)
            }
            if let negator = Negation.negator(at: p, in: slots, never: neverID, exclamatory: exclamatoryIDs) {
                if value < 0, span == 1, lexicons.entries[Int(id)].markers.contains(.remedy),
                    Negation.remedyWithheld(negator: negator, at: p, in: slots, need: needIDs)
                {
                    rules.insert(.negatedRemedy)
                } else {
                    value *= Negation.scalar
                    rules.insert(.negated)
                }
                slots[negator].consumed = true
            }
            for k in p..<(p + span) { slots[k].consumed = true }
            out.append(ScoredWord(
                slot: p, span: span, start: slots[p].start, end: slots[p + span - 1].end, id: id, base: base, value: value, rules: rules,
                politeness: { if case .politeness(let kind) = lexicons.entries[Int(id)].role { kind } else { nil } }()))
            p += span
        }
        guard contrasts else { return }
        let weights = Contrast.weights(for: slots)
        for k in first..<out.count where weights[out[k].slot] != 1 {
            out[k].value *= weights[out[k].slot]
            out[k].contrastWeight = weights[out[k].slot]
        }
    }

    private func aggregate(_ text: TokenizedText, _ allWords: [ScoredWord], _ sentences: [SentenceTally]) -> SentimentScore {
        var scores: [SentenceScore] = []
        if keepsSentences { scores.reserveCapacity(sentences.count) }
        var weighted = 0.0, weights = 0.0
        var pos = 0.0, neg = 0.0, neu = 0.0
        var wordsStart = 0
        for (s, sentence) in sentences.enumerated() {
            let words = allWords[wordsStart..<sentence.wordsEnd]
            wordsStart = sentence.wordsEnd
            var sum = words.reduce(0) { $0 + $1.value }
            if sum != 0 {
                let emphasis = Emphasis.punctuation(exclamations: sentence.exclamations, questions: sentence.questions)
                sum += sum > 0 ? emphasis : -emphasis
            }
            let compound = sum == 0 ? 0 : max(-1, min(1, sum / (sum * sum + LexiconScorer.alpha).squareRoot()))
            var p = 0.0, n = 0.0
            for word in words {
                if word.value > 0 { p += word.value + 1 } else if word.value < 0 { n += word.value - 1 }
            }
            let neutralWords = Double(max(0, sentence.wordCount - words.count))
            pos += p
            neg += -n
            neu += neutralWords
            weighted += compound * abs(compound)
            weights += abs(compound)
            let hits = !explains ? [] : words.map {
                Hit(text: String(decoding: text.bytes[$0.start..<$0.end], as: UTF8.self), lexicon: lexicons.source[Int($0.id)],
                    base: $0.base, value: $0.value, rules: $0.rules.names(contrastWeight: $0.contrastWeight))
            }
            if keepsSentences { scores.append(SentenceScore(compound: compound, hits: hits, range: text.byteRange(ofSentence: s))) }
        }
        let compound = weights > 0 ? weighted / weights : 0
        let total = pos + neg + neu
        return SentimentScore(
            compound: compound, positive: total > 0 ? pos / total : 0, neutral: total > 0 ? neu / total : 1,
            negative: total > 0 ? neg / total : 0, label: SentimentScore.label(for: compound), sentences: scores)
    }
}
