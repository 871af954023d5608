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

    /// Each marker word with the languages it marks, as bits (bit i: `markers[i]`): one lookup per word.
    static let table: [String: UInt8] = {
        var table: [String: UInt8] = [:]
        for (i, marker) in markers.enumerated() { for word in marker.1 { table[word, default: 0] |= 1 << i } }
        return table
    }()
    static let longestMarker = markers.flatMap(\.1).map(\.utf8.count).max()!

    /// ISO 639-1 code of the most likely language, `en` when English is at least as likely, `und` for no words.
    public static func language(of text: String) -> String {
        var counts = [Int](repeating: 0, count: markers.count)
        var words = 0
        // The first 80 words are plenty; split on bytes (letters, apostrophes and non-ASCII are word bytes).
        var word: [UInt8] = []
        word.reserveCapacity(32)
        func flush() {
            guard !word.isEmpty else { return }
            words += 1
            if word.count <= longestMarker, let languages = table[String(decoding: word, as: UTF8.self)] {
                for i in counts.indices where languages & (1 << i) != 0 { counts[i] += 1 }
            }
            word.removeAll(keepingCapacity: true)
        }
        for byte in text.utf8 {
            if words >= 80 { break }
            switch byte {
            case 0x41...0x5A: word.append(byte + 32)
            case 0x61...0x7A, 0x27, 0x80...0xFF: word.append(byte)
            default: flush()
            }
        }
        flush()
        if words == 0 { return "und" }
        let best = counts.indices.max { counts[$0] < counts[$1] }!
        if best == 0 || counts[best] < 2 || counts[best] <= counts[0] { return "en" }
        return markers[best].0
    }
}
