/// English stemming for theme terms: the Porter2 ("English") algorithm as published with Snowball (Porter
/// 2001, snowballstem.org/algorithms/english/stemmer.html), written here from its description. It joins
/// derived forms a customer writes ("activate", "activation" → "activ"; "cancelled", "cancellation" →
/// "cancel") that the plural/-ing/-ed stemmer it replaced kept apart: BANKING77 test, k = 77, mean NMI
/// over seeds 0–26 0.658 → 0.663 (docs/themes.md). Stems need not read as words: labels show the most
/// common written form of each stem.
public enum Stemmer {
    /// The stems of a phrase's words (runs of letters and digits, lowercased) of at least `minimumLength`
    /// characters: how a keyphrase or a label is compared with other words.
    public static func stems(of phrase: String, minimumLength: Int = 1) -> [String] {
        phrase.lowercased().split { !$0.isLetter && !$0.isNumber }.filter { $0.count >= minimumLength }.map { stem(String($0)) }
    }

    /// The stem of a lowercase word. Words with anything but a–z and apostrophes (digits, other scripts,
    /// capitals) are returned as they are, as are words the algorithm leaves alone.
    public static func stem(_ word: String) -> String {
        var contiguous = word
        let stemmed: String? = contiguous.withUTF8 { bytes in
            guard bytes.count > 2, bytes.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x27 }) else { return nil }
            var porter = Porter2(bytes)
            porter.run()
            guard !porter.word.elementsEqual(bytes) else { return nil }
            return String(decoding: porter.word, as: UTF8.self)
        }
        return stemmed ?? word
    }
}

/// One word being stemmed, on its bytes. `p1` and `p2` are the starts of the regions R1 and R2, fixed
/// before the suffix steps as the algorithm defines them; every step only changes the end of the word.
struct Porter2 {
    var word: [UInt8]
    var p1 = 0
    var p2 = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { word = Array(bytes) }

    static let capitalY = UInt8(ascii: "Y")

    static func isVowel(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "u"), UInt8(ascii: "y"): true
        default: false
        }
    }

    /// Whole words the algorithm lists as exceptions, before any rule (bytes: a String and a hash per word
    /// made the stemmer the slowest part of building theme documents).
    static let exceptions: [([UInt8], [UInt8])] = [
        ("skis", "ski"), ("skies", "sky"), ("dying", "die"), ("lying", "lie"), ("tying", "tie"), ("idly", "idl"), ("gently", "gentl"),
        ("ugly", "ugli"), ("early", "earli"), ("only", "onli"), ("singly", "singl"), ("sky", "sky"), ("news", "news"), ("howe", "howe"),
        ("atlas", "atlas"), ("cosmos", "cosmos"), ("bias", "bias"), ("andes", "andes"),
    ].map { (Array($0.utf8), Array($1.utf8)) }
    /// Words left as step 1a leaves them.
    static let afterStep1a: [[UInt8]] = ["inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed"].map { Array($0.utf8) }

    mutating func run() {
        if word.count <= 6, let exception = Self.exceptions.first(where: { $0.0 == word }) {
            word = exception.1
            return
        }
        guard word.count > 2 else { return }
        prelude()
        markRegions()
        step0()
        step1a()
        if word.count <= 7, Self.afterStep1a.contains(word) { return finish() }
        step1b()
        step1c()
        step2()
        step3()
        step4()
        step5()
        finish()
    }

    /// A leading apostrophe goes; a y at the start or after a vowel is a consonant (Y).
    mutating func prelude() {
        if word.first == UInt8(ascii: "'") { word.removeFirst() }
        guard !word.isEmpty else { return }
        if word[0] == UInt8(ascii: "y") { word[0] = Self.capitalY }
        for i in word.indices.dropFirst() where word[i] == UInt8(ascii: "y") && Self.isVowel(word[i - 1]) { word[i] = Self.capitalY }
    }

    /// R1: after the first non-vowel that follows a vowel (after "gener", "commun" or "arsen" for words
    /// starting so); R2: the same rule applied inside R1.
    mutating func markRegions() {
        func afterVowelThenConsonant(from start: Int) -> Int {
            var i = start
            while i < word.count, !Self.isVowel(word[i]) { i += 1 }
            while i < word.count, Self.isVowel(word[i]) { i += 1 }
            return min(i + 1, word.count)
        }
        let prefix = Self.r1Prefixes.first { word.starts(with: $0) }
        p1 = prefix?.count ?? afterVowelThenConsonant(from: 0)
        p2 = afterVowelThenConsonant(from: p1)
    }

    func ends(_ suffix: [UInt8]) -> Bool {
        guard word.count >= suffix.count else { return false }
        let offset = word.count - suffix.count
        for i in suffix.indices where word[offset + i] != suffix[i] { return false }
        return true
    }

    /// The index in `suffixes` of the longest one the word ends with.
    func longest(_ suffixes: [[UInt8]]) -> Int? {
        var best: Int?
        for (i, s) in suffixes.enumerated() where s.count > (best.map { suffixes[$0].count } ?? 0) && ends(s) { best = i }
        return best
    }

    mutating func replace(last count: Int, with replacement: [UInt8]) {
        word.removeLast(count)
        word += replacement
    }

    /// (a) a vowel followed by a non-vowel other than w, x or Y and preceded by a non-vowel, or (b) a vowel
    /// at the start of the word followed by a non-vowel: the syllable ending at `end`.
    func endsInShortSyllable(_ end: Int) -> Bool {
        if end >= 3 {
            let (a, b, c) = (word[end - 3], word[end - 2], word[end - 1])
            if !Self.isVowel(a), Self.isVowel(b), !Self.isVowel(c), c != UInt8(ascii: "w"), c != UInt8(ascii: "x"), c != Self.capitalY {
                return true
            }
        }
        return end == 2 && Self.isVowel(word[0]) && !Self.isVowel(word[1])
    }

    static func table(_ suffixes: String...) -> [[UInt8]] { suffixes.map { Array($0.utf8) } }
    static let r1Prefixes = table("gener", "commun", "arsen")
    static let step0Suffixes = table("'", "'s", "'s'")
    static let step1aSuffixes = table("sses", "ied", "ies", "s", "us", "ss")
    static let step1bSuffixes = table("eed", "eedly", "ed", "edly", "ing", "ingly")
    static let step1bLengthen = table("at", "bl", "iz")
    static let step2Suffixes = table(
        "tional", "enci", "anci", "abli", "entli", "izer", "ization", "ational", "ation", "ator", "alism", "aliti", "alli",
        "fulness", "ousli", "ousness", "iveness", "iviti", "biliti", "bli", "ogi", "fulli", "lessli", "li")
    static let step2Replacements = table(
        "tion", "ence", "ance", "able", "ent", "ize", "ize", "ate", "ate", "ate", "al", "al", "al",
        "ful", "ous", "ous", "ive", "ive", "ble", "ble", "og", "ful", "less", "")
    static let step3Suffixes = table("tional", "ational", "alize", "icate", "iciti", "ical", "ful", "ness", "ative")
    static let step3Replacements = table("tion", "ate", "al", "ic", "ic", "ic", "", "", "")
    static let step4Suffixes = table(
        "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ism", "ate", "iti", "ous", "ive", "ize", "ion")

    mutating func step0() {
        if let s = longest(Self.step0Suffixes) { word.removeLast(Self.step0Suffixes[s].count) }
    }

    mutating func step1a() {
        guard let s = longest(Self.step1aSuffixes) else { return }
        let length = Self.step1aSuffixes[s].count
        switch s {
        case 0: replace(last: length, with: [UInt8(ascii: "s"), UInt8(ascii: "s")])  // sses → ss
        case 1, 2: replace(last: length, with: word.count - length > 1 ? [UInt8(ascii: "i")] : [UInt8(ascii: "i"), UInt8(ascii: "e")])
        case 3:
            // Delete if a vowel comes before the letter preceding the s ("gaps" → "gap", "gas" stays).
            if word.count >= 3, word[..<(word.count - 2)].contains(where: Self.isVowel) { word.removeLast() }
        default: break  // us, ss
        }
    }

    mutating func step1b() {
        guard let s = longest(Self.step1bSuffixes) else { return }
        let length = Self.step1bSuffixes[s].count
        if s < 2 {  // eed, eedly
            if word.count - length >= p1 { replace(last: length, with: [UInt8(ascii: "e"), UInt8(ascii: "e")]) }
            return
        }
        guard word[..<(word.count - length)].contains(where: Self.isVowel) else { return }
        word.removeLast(length)
        if Self.step1bLengthen.contains(where: ends) {
            word.append(UInt8(ascii: "e"))
        } else if let last = word.last, word.count >= 2, word[word.count - 2] == last, "bdfgmnprt".utf8.contains(last) {
            word.removeLast()
        } else if p1 >= word.count, endsInShortSyllable(word.count) {
            word.append(UInt8(ascii: "e"))
        }
    }

    /// A final y or Y after a non-vowel that is not the first letter becomes i ("cry" → "cri", "by" stays).
    mutating func step1c() {
        guard word.count > 2, let last = word.last, last == UInt8(ascii: "y") || last == Self.capitalY,
            !Self.isVowel(word[word.count - 2])
        else { return }
        word[word.count - 1] = UInt8(ascii: "i")
    }

    mutating func step2() {
        guard let s = longest(Self.step2Suffixes) else { return }
        let length = Self.step2Suffixes[s].count
        let start = word.count - length
        guard start >= p1 else { return }
        let before = start > 0 ? word[start - 1] : 0
        switch s {
        case 20: if before == UInt8(ascii: "l") { replace(last: length, with: Self.step2Replacements[s]) }  // ogi
        case 23: if "cdeghkmnrt".utf8.contains(before) { word.removeLast(length) }  // li after a valid li-ending
        default: replace(last: length, with: Self.step2Replacements[s])
        }
    }

    mutating func step3() {
        guard let s = longest(Self.step3Suffixes) else { return }
        let length = Self.step3Suffixes[s].count
        let start = word.count - length
        guard start >= p1, s != 8 || start >= p2 else { return }  // ative: in R2
        replace(last: length, with: Self.step3Replacements[s])
    }

    mutating func step4() {
        guard let s = longest(Self.step4Suffixes) else { return }
        let length = Self.step4Suffixes[s].count
        let start = word.count - length
        guard start >= p2 else { return }
        if s == Self.step4Suffixes.count - 1 {  // ion, after s or t
            if start > 0, word[start - 1] == UInt8(ascii: "s") || word[start - 1] == UInt8(ascii: "t") { word.removeLast(length) }
        } else {
            word.removeLast(length)
        }
    }

    mutating func step5() {
        guard let last = word.last else { return }
        let i = word.count - 1
        if last == UInt8(ascii: "e"), i >= p2 || (i >= p1 && !endsInShortSyllable(i)) {
            word.removeLast()
        } else if last == UInt8(ascii: "l"), i >= p2, i > 0, word[i - 1] == UInt8(ascii: "l") {
            word.removeLast()
        }
    }

    mutating func finish() {
        for i in word.indices where word[i] == Self.capitalY { word[i] = UInt8(ascii: "y") }
    }
}
