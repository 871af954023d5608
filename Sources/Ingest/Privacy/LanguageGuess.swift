/// Tells English from the other languages customers commonly write in, by counting very frequent
/// function words. Crude on purpose: later stages only need to know what not to score with English lexicons.
public enum LanguageGuess {
    static let markers: [(String, Set<String>)] = [
        ("en", ["the", "and", "is", "was", "my", "i", "to", "it", "not", "for", "you", "of", "this", "with", "have", "on", "no", "a", "your", "me", "order", "please"]),
        ("es", ["el", "la", "los", "las", "que", "de", "y", "es", "mi", "no", "por", "para", "con", "una", "pedido", "muy", "pero", "está"]),
        ("fr", ["le", "la", "les", "et", "est", "je", "pas", "mon", "ma", "des", "une", "pour", "avec", "commande", "très", "mais", "vous"]),
        ("de", ["der", "die", "das", "und", "ist", "ich", "nicht", "mein", "meine", "ein", "eine", "mit", "für", "bestellung", "sehr", "aber", "sie"]),
        ("it", ["il", "lo", "la", "e", "è", "non", "mio", "mia", "che", "per", "con", "una", "ordine", "molto", "ma"]),
        ("pt", ["o", "os", "as", "e", "é", "não", "meu", "minha", "que", "para", "com", "uma", "pedido", "muito", "mas"]),
        ("nl", ["de", "het", "een", "en", "is", "ik", "niet", "mijn", "van", "voor", "met", "bestelling", "heel", "maar"]),
    ]

    /// Each marker word with the languages it marks, as bits (bit i: `markers[i]`), in a small open-addressing
    /// table keyed by the word's bytes packed into two words: one probe per word of a message, with no String
    /// made and none hashed (a String and a dictionary lookup per word were a tenth of chat ingest).
    struct MarkerTable {
        private var keys: [(low: UInt64, high: UInt64)]
        private var languages: [UInt8]
        private static let size = 512

        init(_ markers: [(String, Set<String>)]) {
            keys = Array(repeating: (0, 0), count: Self.size)
            languages = Array(repeating: 0, count: Self.size)
            for (i, marker) in markers.enumerated() {
                for word in marker.1 {
                    let key = Self.key(Array(word.utf8))
                    var slot = Self.slot(key)
                    while languages[slot] != 0, keys[slot] != key { slot = (slot + 1) & (Self.size - 1) }
                    keys[slot] = key
                    languages[slot] |= 1 << i
                }
            }
        }

        /// Up to sixteen bytes, little-endian; a marker word has no zero byte, so the packing is exact.
        static func key(_ word: [UInt8]) -> (low: UInt64, high: UInt64) {
            var key: (low: UInt64, high: UInt64) = (0, 0)
            for (i, byte) in word.enumerated() { pack(byte, at: i, into: &key) }
            return key
        }

        /// Puts the word's byte `i` in its place in the key (bytes past the sixteenth are left out).
        @inline(__always) static func pack(_ byte: UInt8, at i: Int, into key: inout (low: UInt64, high: UInt64)) {
            if i < 8 { key.low |= UInt64(byte) << UInt64(i * 8) } else if i < 16 { key.high |= UInt64(byte) << UInt64((i - 8) * 8) }
        }

        @inline(__always) static func slot(_ key: (low: UInt64, high: UInt64)) -> Int {
            Int(truncatingIfNeeded: ((key.low ^ (key.high &* 0xC2B2_AE3D_27D4_EB4F)) &* 0x9E37_79B9_7F4A_7C15) >> 55)
        }

        /// The languages the word marks (0: none).
        @inline(__always) func languages(of key: (low: UInt64, high: UInt64)) -> UInt8 {
            var slot = Self.slot(key)
            while languages[slot] != 0 {
                if keys[slot] == key { return languages[slot] }
                slot = (slot + 1) & (Self.size - 1)
            }
            return 0
        }
    }

    static let table = MarkerTable(markers)
    /// For each set of languages (as bits), a one in the byte of each: adding it counts a word for all of them
    /// at once, where a loop over the languages per marker word was half of the guess's time.
    static let lanes: [UInt64] = (0..<(1 << markers.count)).map { (bits: Int) -> UInt64 in
        var lanes: UInt64 = 0
        for i in 0..<markers.count where bits & (1 << i) != 0 { lanes |= 1 << UInt64(8 * i) }
        return lanes
    }
    static let longestMarker = markers.flatMap(\.1).map(\.utf8.count).max()!

    /// ISO 639-1 code of the most likely language, `en` when English is at least as likely, `und` for no words.
    public static func language(of text: String) -> String {
        // One count per language in each byte of a word (at most 80 words are counted: no byte overflows).
        var counts: UInt64 = 0
        var words = 0
        let table = Self.table, longest = Self.longestMarker, lanes = Self.lanes
        // The first 80 words are plenty; split on bytes (letters, apostrophes and non-ASCII are word bytes).
        var key: (low: UInt64, high: UInt64) = (0, 0)
        var length = 0
        func flush() {
            guard length > 0 else { return }
            words += 1
            if length <= longest {
                counts &+= lanes[Int(table.languages(of: key))]
            }
            key = (0, 0)
            length = 0
        }
        // On the contiguous bytes: iterating the UTF-8 view checked the string's form at every byte.
        var text = text
        text.withUTF8 { bytes in
            for var byte in bytes {
                if words >= 80 { break }
                switch byte {
                case 0x41...0x5A: byte += 32
                case 0x61...0x7A, 0x27, 0x80...0xFF: break
                default:
                    flush()
                    continue
                }
                MarkerTable.pack(byte, at: length, into: &key)
                length += 1
            }
        }
        flush()
        if words == 0 { return "und" }
        return withUnsafeBytes(of: counts) { counts in
            var best = 0
            for i in 1..<markers.count where counts[i] > counts[best] { best = i }
            if best == 0 || counts[best] < 2 || counts[best] <= counts[0] { return "en" }
            return markers[best].0
        }
    }
}
