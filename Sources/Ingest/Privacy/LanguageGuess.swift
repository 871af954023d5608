/// Tells English from the other languages customers commonly write in: by script first (a message whose
/// letters are mostly Cyrillic, Greek, Arabic, Hebrew, CJK, Hangul, Thai, ... is not English, whatever its
/// words), then, for Latin script, by counting marker words and letters English does not write (`markers`,
/// `accents`). Crude on purpose: later stages only need to know what not to score with English lexicons.
public enum LanguageGuess {
    /// Function words of each language, and for the languages most often met the commonest words of a
    /// complaint or a thank-you: a short message ("Paket immer noch nicht da") holds few function words. Those
    /// words were each looked up in a large English word list (`/usr/share/dict`'s american-english-large)
    /// and left out when found ("encore", "sin", "nada", "week", "dat", "del"), as common names and
    /// abbreviations were. English has its own list: its words outvote a foreign name or two.
    static let markers: [(String, Set<String>)] = [
        ("en", ["the", "and", "is", "was", "my", "i", "to", "it", "not", "for", "you", "of", "this", "with", "have", "on", "no", "a",
                "your", "me", "order", "please", "are", "be", "but", "at", "in", "from", "just", "they", "we", "our", "been", "still",
                "again", "thanks", "thank", "can't", "don't", "i'm", "im", "you're", "it's", "what", "why", "how", "where", "when",
                "will", "would", "get", "got", "an", "that", "so", "if", "all", "has", "had", "did", "as", "or", "can", "there",
                "their", "them", "out", "up", "about", "now"]),
        ("es", ["el", "la", "los", "las", "que", "de", "y", "es", "mi", "no", "por", "para", "con", "una", "pedido", "muy", "pero", "está",
                "todavía", "llegó", "llegado", "otra", "vez", "veces", "dónde", "gracias", "qué", "hace", "semana", "reembolso",
                "atención", "nadie", "tarde", "roto", "paquete", "entrega", "cobraron", "respuesta", "talla", "equivocada", "enviada",
                "también", "dinero", "días", "cuando"]),
        ("fr", ["le", "la", "les", "et", "est", "je", "pas", "mon", "ma", "des", "une", "pour", "avec", "commande", "très", "mais", "vous",
                "colis", "remboursement", "merci", "pourquoi", "toujours", "aucune", "aucun", "reçu", "reçue", "fois", "deux", "trois",
                "depuis", "été", "suis", "j'ai", "c'est", "n'est", "rien", "jamais", "produit", "arrivé", "arrivée", "cassé",
                "mauvaise", "mauvais", "beaucoup", "qui", "dans", "cette", "avez", "envoyé", "réponse", "jours", "semaine",
                "aujourd'hui", "hier"]),
        ("de", ["der", "die", "das", "und", "ist", "ich", "nicht", "mein", "meine", "ein", "eine", "mit", "für", "bestellung", "sehr", "aber", "sie",
                "zu", "noch", "immer", "kein", "keine", "keinen", "schon", "wieder", "leider", "bitte", "danke", "warum", "habe", "hatte",
                "wurde", "wird", "seit", "auf", "auch", "alles", "nichts", "paket", "lieferung", "geliefert", "bestellt",
                "kundenservice", "rückerstattung", "erstattung", "wir", "uns", "dass", "wenn", "zwei", "woche", "tage", "angekommen",
                "antwort", "bekommen", "erhalten", "zurück", "heute", "gestern", "jetzt", "falsche", "falsch", "geklappt", "dauert",
                "lange"]),
        ("it", ["il", "lo", "la", "e", "è", "non", "mio", "mia", "che", "per", "con", "una", "ordine", "molto", "ma",
                "ancora", "arrivato", "arrivata", "rimborso", "grazie", "perché", "tutto", "volte", "ritardo", "nuovo", "pacco",
                "consegna", "rotto", "risponde", "così", "sono", "nessuna", "nessun", "ordinato", "addebitato", "assistenza", "clienti",
                "risposta", "giorni", "settimana", "oggi", "ieri", "soldi", "perfetto"]),
        ("pt", ["o", "os", "as", "e", "é", "não", "meu", "minha", "que", "para", "com", "uma", "pedido", "muito", "mas",
                "ainda", "chegou", "encomenda", "atrasada", "atrasado", "outra", "vez", "vezes", "reembolso", "produto", "quebrado", "fui",
                "cobrado", "duas", "obrigado", "obrigada", "tudo", "cadê", "ninguém", "já", "até", "foi", "entrega", "resposta",
                "semana", "hoje", "ontem", "dinheiro", "perfeito"]),
        ("nl", ["de", "het", "een", "en", "is", "ik", "niet", "mijn", "van", "voor", "met", "bestelling", "heel", "maar",
                "ontvangen", "laat", "waar", "blijft", "terugbetaling", "kapot", "aangekomen", "klantenservice", "reageert", "keer",
                "bedankt", "alles", "geen", "wel", "pakket", "besteld", "afgeschreven", "antwoord", "dagen", "vandaag", "gisteren"]),
        // Function words that English does not use: none is also an English word, name or abbreviation
        // common in complaints ("van", "care", "af", "til", "AZ", "Ada" were left out for that).
        ("sv", ["och", "är", "inte", "jag", "att", "för", "beställning", "mycket", "på", "också", "varför", "hur"]),
        ("da", ["og", "ikke", "jeg", "mit", "mig", "på", "bestilling", "meget", "også", "hvorfor", "hvad", "kan"]),
        ("pl", ["nie", "się", "jest", "że", "jak", "mój", "moje", "moja", "zamówienie", "bardzo", "ale", "czy", "jestem", "już", "przez", "mnie", "tylko"]),
        ("tr", ["ve", "bir", "bu", "çok", "değil", "sipariş", "siparişim", "için", "ile", "benim", "hala", "neden", "gelmedi"]),
        ("id", ["dan", "yang", "tidak", "saya", "ini", "itu", "dengan", "untuk", "pesanan", "sangat", "tapi", "belum", "sudah"]),
        ("ro", ["și", "este", "comanda", "mea", "meu", "foarte", "dar", "pentru", "sunt", "încă", "nu"]),
        ("cs", ["je", "není", "jsem", "moje", "objednávka", "velmi", "ale", "se", "že", "už", "ještě", "proč", "jsou"]),
        ("fi", ["ja", "ei", "minun", "tilaus", "tilaukseni", "mutta", "ole", "vielä", "miksi", "kiitos", "olen", "hyvin"]),
        ("hu", ["és", "nem", "egy", "hogy", "rendelésem", "nagyon", "még", "miért", "vagyok", "köszönöm"]),
    ]

    /// Each marker word with the languages it marks, as bits (bit i: `markers[i]`), in a small open-addressing
    /// table keyed by the word's bytes packed into two words: one probe per word of a message, with no String
    /// made and none hashed (a String and a dictionary lookup per word were a tenth of chat ingest).
    struct MarkerTable {
        private var keys: [(low: UInt64, high: UInt64)]
        private var languages: [UInt16]
        private static let size = 2048

        init(_ markers: [(String, Set<String>)]) {
            precondition(markers.count <= 16, "a word's languages are sixteen bits")
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

        /// The key of the word's first `length` bytes.
        @inline(__always) static func truncate(_ key: inout (low: UInt64, high: UInt64), to length: Int) {
            if length < 8 {
                key = (length == 0 ? 0 : key.low & (1 << UInt64(length * 8) - 1), 0)
            } else if length < 16 {
                key.high = length == 8 ? 0 : key.high & (1 << UInt64((length - 8) * 8) - 1)
            }
        }

        @inline(__always) static func slot(_ key: (low: UInt64, high: UInt64)) -> Int {
            Int(truncatingIfNeeded: ((key.low ^ (key.high &* 0xC2B2_AE3D_27D4_EB4F)) &* 0x9E37_79B9_7F4A_7C15) >> 53)
        }

        /// The languages the word marks (0: none).
        @inline(__always) func languages(of key: (low: UInt64, high: UInt64)) -> UInt16 {
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
    /// (Languages 0–7 in one word of counts, 8–15 in another: `lanes` is indexed by eight bits at a time.)
    static let lanes: [UInt64] = (0..<256).map { (bits: Int) -> UInt64 in
        var lanes: UInt64 = 0
        for i in 0..<8 where bits & (1 << i) != 0 { lanes |= 1 << UInt64(8 * i) }
        return lanes
    }
    static let longestMarker = markers.flatMap(\.1).map(\.utf8.count).max()!

    /// Scripts told apart by their letters, with the code a message mostly in them gets: ISO 639-1 where a
    /// script is written for one language, BCP 47 `und-` and the ISO 15924 script where it serves several
    /// (Cyrillic, Arabic, Devanagari). Index 0 is Latin; Han (index 13) becomes `ja` when the message also
    /// holds kana, else `zh`.
    static let scripts = ["Latn", "el", "und-Cyrl", "hy", "he", "und-Arab", "und-Deva", "bn", "ta", "th", "ka", "ko", "ja", "zh"]
    static let han = 13, kana = 12

    /// The script (an index into `scripts`) of a letter outside ASCII, or nil for anything else: other
    /// scripts, punctuation, symbols, emoji, marks. Code-point blocks, not Unicode properties: this runs
    /// on every non-ASCII letter ingested.
    @inline(__always)
    static func script(of scalar: UInt32) -> Int? {
        switch scalar {
        case 0x00C0...0x024F where scalar != 0xD7 && scalar != 0xF7, 0x1E00...0x1EFF: return 0
        case 0x0370...0x03FF, 0x1F00...0x1FFF: return 1
        case 0x0400...0x052F: return 2
        case 0x0531...0x058F: return 3
        case 0x05D0...0x05F2: return 4
        case 0x0620...0x064A, 0x066E...0x06D3, 0x06FA...0x06FF, 0x0750...0x077F, 0x08A0...0x08FF, 0xFB50...0xFDFF, 0xFE70...0xFEFC: return 5
        case 0x0904...0x0939, 0x0958...0x0961: return 6
        case 0x0985...0x09B9: return 7
        case 0x0B85...0x0BB9: return 8
        case 0x0E01...0x0E30, 0x0E40...0x0E46: return 9
        case 0x10A0...0x10FF: return 10
        case 0x1100...0x11FF, 0x3131...0x318E, 0xAC00...0xD7A3: return 11
        case 0x3041...0x3096, 0x30A1...0x30FA, 0x31F0...0x31FF, 0xFF66...0xFF9D: return 12
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F: return 13
        default: return nil
        }
    }

    /// 0 for a scalar that parts words though it is no ASCII byte (inverted "¿" "¡", guillemets, curly and
    /// low quotes, dashes, the ellipsis, a no-break space), "'" for a curly apostrophe; nil for the rest.
    @inline(__always)
    static func separatorOrApostrophe(_ scalar: UInt32) -> UInt8? {
        switch scalar {
        case 0x2019, 0x2018: return 0x27
        case 0xA0, 0xA1, 0xAB, 0xBB, 0xBF, 0x2013, 0x2014, 0x201A, 0x201C, 0x201D, 0x201E, 0x2026, 0x2039, 0x203A: return 0
        default: return nil
        }
    }

    /// Letters with a diacritic (and "¿" "¡") that English writes only in loanwords, with the languages that
    /// write them. A message holding one and no English marker word counts one more word for each of those
    /// languages, once: with one marker word that is enough ("Envío rápido, ¡gracias!": "gracias" and "í"),
    /// where a loanword alone ("café", "jalapeño") is not.
    static let accents: [(letters: String, languages: [String])] = [
        ("äÄ", ["de", "sv", "fi"]), ("öÖ", ["de", "sv", "fi", "tr", "hu"]), ("üÜ", ["de", "tr", "hu"]), ("ß", ["de"]),
        ("éÉ", ["es", "fr", "pt", "it", "cs", "hu"]), ("èÈùÙ", ["fr", "it"]), ("êÊôÔ", ["fr", "pt"]), ("ëËïÏ", ["fr", "nl"]),
        ("àÀ", ["fr", "it", "pt"]), ("âÂ", ["fr", "pt", "ro"]), ("çÇ", ["fr", "pt", "tr"]), ("îÎ", ["fr", "ro"]), ("ûÛœŒ", ["fr"]),
        ("ñÑ¿¡", ["es"]), ("áÁíÍ", ["es", "pt", "cs", "hu"]), ("óÓ", ["es", "pt", "pl", "cs", "hu"]), ("úÚ", ["es", "cs", "hu"]),
        ("ãÃõÕ", ["pt"]), ("ìÌòÒ", ["it"]), ("åÅ", ["sv", "da"]), ("øØæÆ", ["da"]), ("łŁąĄęĘśŚźŹżŻńŃćĆ", ["pl"]),
        ("ğĞıİ", ["tr"]), ("şŞ", ["tr", "ro"]), ("șȘțȚăĂţŢ", ["ro"]), ("ěĚšŠčČřŘžŽůŮďĎťŤňŇ", ["cs"]), ("őŐűŰ", ["hu"]),
    ]
    static let accentTable: [UInt32: UInt16] = {
        var table: [UInt32: UInt16] = [:]
        for (letters, languages) in accents {
            let bits = languages.reduce(UInt16(0)) { bits, code in bits | 1 << UInt16(markers.firstIndex { $0.0 == code }!) }
            for scalar in letters.unicodeScalars { table[scalar.value, default: 0] |= bits }
        }
        return table
    }()

    @inline(__always)
    static func accentLanguages(_ scalar: UInt32) -> UInt16 { scalar < 0x250 ? accentTable[scalar] ?? 0 : 0 }  // all Latin

    /// Non-ASCII letters counted per script before deciding: enough to outvote a few foreign names or words.
    static let scriptSample = 400

    /// Whether text of `language` (a code `language(of:)` gives) is read with the English lexicons: English,
    /// and text without words to tell by (`und`). The one rule the analysis and `voc score --english-only` share.
    public static func readsAsEnglish(_ language: String) -> Bool { language == "en" || language == "und" }

    /// `readsAsEnglish` of the language of `text`.
    public static func isEnglish(_ text: String) -> Bool { readsAsEnglish(language(of: text)) }

    /// ISO 639-1 code of the most likely language (or `und-` and a script, see `scripts`), `en` when English
    /// is at least as likely, `und` for no words.
    public static func language(of text: String) -> String {
        // One count per language in each byte of a word (at most 80 words are counted: no byte overflows).
        var counts: (UInt64, UInt64) = (0, 0)
        var words = 0
        // ASCII letters, and non-ASCII letters per script (index 0: Latin) up to `scriptSample` of them.
        var asciiLetters = 0
        var letters = SIMD16<UInt16>(repeating: 0)
        var lettersSeen = 0
        var accents: UInt16 = 0
        // The non-ASCII scalar being decoded, and how many continuation bytes it still needs.
        var scalar: UInt32 = 0
        var pending = 0
        var scalarStart = 0  // where the scalar's bytes start in the word
        let table = Self.table, longest = Self.longestMarker, lanes = Self.lanes
        // The first 80 words are plenty; split on bytes (letters, apostrophes and non-ASCII are word bytes).
        var key: (low: UInt64, high: UInt64) = (0, 0)
        var length = 0
        func flush() {
            guard length > 0 else { return }
            words += 1
            if length <= longest {
                let languages = Int(table.languages(of: key))
                counts.0 &+= lanes[languages & 0xFF]
                counts.1 &+= lanes[languages >> 8]
            }
            key = (0, 0)
            length = 0
        }
        // On the contiguous bytes: iterating the UTF-8 view checked the string's form at every byte.
        var text = text
        @inline(__always) func countLetter(_ script: Int) {
            guard lettersSeen < scriptSample else { return }
            letters[script] &+= 1
            lettersSeen &+= 1
        }
        // Handles, addresses and links are no language: "@SouthwestAir", "https://t.co/…" (whose "o" and "co"
        // read as Portuguese) are passed over to the next space.
        var skipping = false
        text.withUTF8 { bytes in
            for var byte in bytes {
                if words >= 80 { break }
                if skipping {
                    if byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D { skipping = false }
                    continue
                }
                switch byte {
                case 0x40:  // "@": a handle, or an address from here on
                    flush()
                    skipping = true
                    continue
                case 0x3A where length == 4 && key.low == 0x7074_7468 || length == 5 && key.low == 0x73_7074_7468,  // "http:", "https:"
                    0x2E where length == 3 && key.low == 0x77_7777:  // "www."
                    key = (0, 0)
                    length = 0
                    skipping = true
                    continue
                case 0x2D where length > 0 && pending == 0:
                    // A hyphen inside a word keeps it one word: the "de" of "de-icing" is no Dutch, and no
                    // marker holds a hyphen.
                    break
                case 0x41...0x5A:
                    byte += 32
                    asciiLetters &+= 1
                case 0x61...0x7A: asciiLetters &+= 1
                case 0x27: break
                case 0x80...0xBF:
                    // Latin-1 capitals (C3 80–9E but ×) to small letters, as ASCII ones are: "FÜR" is "für".
                    if pending == 1, scalar == 0x03, byte <= 0x9E, byte != 0x97 { byte += 0x20 }
                    if pending > 0 {
                        scalar = scalar << 6 | UInt32(byte & 0x3F)
                        pending -= 1
                        if pending == 0 {
                            if let script = script(of: scalar) { countLetter(script) }
                            accents |= accentLanguages(scalar)
                            // Opening "¿" "¡", guillemets and curly quotes part words ("¡gracias" is "gracias"),
                            // and a curly apostrophe is the straight one ("j’ai" is "j'ai").
                            if let replacement = Self.separatorOrApostrophe(scalar) {
                                length = scalarStart
                                MarkerTable.truncate(&key, to: length)
                                if replacement == 0 {
                                    flush()
                                } else {
                                    MarkerTable.pack(replacement, at: length, into: &key)
                                    length += 1
                                }
                                continue
                            }
                        }
                    }
                case 0xC0...0xFF:
                    // A lead byte of two, three or four (a malformed sequence starts a scalar never counted).
                    scalarStart = length
                    pending = byte >= 0xF0 ? 3 : byte >= 0xE0 ? 2 : 1
                    scalar = UInt32(byte & (byte >= 0xF0 ? 0x07 : byte >= 0xE0 ? 0x0F : 0x1F))
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
        // Mostly letters of another script: that script decides, whatever the words. Japanese writes kanji
        // (Han) among its kana, so Han and kana count as one group.
        let latin = asciiLetters + Int(letters[0])
        if lettersSeen - Int(letters[0]) > latin {
            var best = 1
            for i in 2..<scripts.count where letters[i] > letters[best] { best = i }
            if letters[han] + letters[kana] >= letters[best] { return letters[kana] > 0 ? "ja" : "zh" }
            return scripts[best]
        }
        return withUnsafeBytes(of: counts) { counts in
            // A letter counts only where no English word was seen: "Réclamation #861044. No complaints, quick
            // refund" (a French subject over an English mail) has "no", Spanish as well as English.
            let letters = counts[0] == 0 ? accents : 0
            let evidence = { (i: Int) in Int(counts[i]) + Int(letters >> UInt16(i) & 1) }
            var best = 0
            for i in 1..<markers.count where evidence(i) > evidence(best) { best = i }
            if best == 0 || evidence(best) < 2 || evidence(best) <= evidence(0) { return "en" }
            return markers[best].0
        }
    }
}
