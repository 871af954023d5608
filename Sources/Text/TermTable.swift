/// Interns terms (byte strings, lowercased) to dense integer ids, and finds them again from a byte range
/// without allocating: the lookup lowercases ASCII on the fly and maps the curly apostrophe to `'`.
public struct TermTable: Sendable {
    private var arena: [UInt8] = []
    private var offsets: [Int] = [0]
    /// Open addressing. A slot holds a term's first eight bytes (zero-padded) beside its hash tag, length and
    /// id, so a lookup of a term of up to eight bytes (most words) reads one slot and no other memory; the
    /// arena is read only to confirm longer terms. (Reading the term's offsets and bytes for every hit was
    /// most of a lookup's time: two more cache misses.)
    private var slots: [Slot]
    private var mask: Int
    /// One bit per 16-bit hash fragment, set for every term: 8 KB that stay in the first-level cache and
    /// answer "not a term" for most words of a message without touching `slots`.
    private var present = [UInt64](repeating: 0, count: 1 << 10)

    struct Slot {
        /// The term's first eight bytes, little-endian, zero-padded.
        var prefix: UInt64 = 0
        /// Bits 40–63: the top of the hash; 32–39: the length (255 for 255 and over); 0–31: id + 1 (0: empty).
        var entry: UInt64 = 0

        @inline(__always) static func entry(hash: UInt64, length: Int, id: Int) -> UInt64 {
            hash & tagMask | UInt64(min(length, 255)) << 32 | UInt64(id + 1)
        }
        static let tagMask: UInt64 = 0xFFFF_FF00_0000_0000
        static let tagAndLengthMask: UInt64 = 0xFFFF_FFFF_0000_0000
    }

    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Slot](repeating: Slot(), count: size)
        mask = size - 1
        // Room for the terms a caller sizes the table for (most are words of under eight bytes): grown from
        // empty, the lexicons' arena was copied a dozen times at every start.
        arena.reserveCapacity(capacity * 8)
        offsets.reserveCapacity(capacity + 1)
    }

    /// Where a hash falls in a presence bitmap of 1,024 words (8 KB): the word and the bit. Shared with the
    /// scorer's table of short terms, which keeps a bitmap of its own the same way.
    @inlinable @inline(__always)
    public static func presenceBit(_ hash: UInt64) -> (word: Int, bit: UInt64) {
        let fragment = Int(truncatingIfNeeded: hash >> 24) & 0xFFFF
        return (fragment >> 6, 1 << UInt64(fragment & 63))
    }

    public var count: Int { offsets.count - 1 }

    /// The table's storage as plain numbers, for a compiled image of the lexicons: the terms' bytes, where
    /// each ends, the slots as prefix and entry words side by side, and the presence bitmap.
    public var storage: (arena: [UInt8], ends: [Int], slots: [UInt64], present: [UInt64]) {
        let words = slots.withUnsafeBytes { Array($0.bindMemory(to: UInt64.self)) }
        return (arena, Array(offsets.dropFirst()), words, present)
    }

    /// A table from `storage` of another, or nil when the parts do not make a table: every slot's id and
    /// length checked against the terms, so a damaged image is refused rather than read out of bounds.
    public init?(storage arena: [UInt8], ends: [Int], slots words: UnsafeBufferPointer<UInt64>, present: [UInt64]) {
        let size = words.count / 2
        guard size >= 16, size & (size - 1) == 0, words.count == size * 2, present.count == 1 << 10, ends.count * 2 <= size else { return nil }
        var previous = 0
        for end in ends {
            guard end >= previous else { return nil }
            previous = end
        }
        guard previous == arena.count else { return nil }
        var used = 0
        for k in 0..<size {
            let entry = words[2 * k + 1]
            guard entry != 0 else { continue }
            let id = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
            guard id >= 0, id < ends.count else { return nil }
            let length = ends[id] - (id == 0 ? 0 : ends[id - 1])
            guard Int(truncatingIfNeeded: (entry >> 32) & 0xFF) == min(length, 255) else { return nil }
            used += 1
        }
        guard used == ends.count else { return nil }
        self.arena = arena
        offsets = [0] + ends
        slots = [Slot](unsafeUninitializedCapacity: size) { buffer, count in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(words))
            count = size
        }
        mask = size - 1
        self.present = present
    }

    /// The bytes of term `id`.
    public func term(_ id: Int32) -> String {
        String(decoding: arena[offsets[Int(id)]..<offsets[Int(id) + 1]], as: UTF8.self)
    }

    /// Id of a term given as a string (normalised like any lookup), adding it when new.
    @discardableResult
    public mutating func intern(_ term: String) -> Int32 {
        var key = TermTable.normalized(term)
        return key.withUTF8 { intern(normalizedKey: $0) }
    }

    /// Id of an already normalised key, adding it when new.
    public mutating func intern(normalizedKey key: UnsafeBufferPointer<UInt8>) -> Int32 {
        let prefix = TermTable.prefix(key, lowercasing: false)
        let hash = TermTable.hash(key, prefix: prefix, lowercasing: false)
        let (slot, found) = probe(key, prefix: prefix, hash: hash, lowercasing: false)
        if let found { return found }
        let id = Int32(count)
        arena.append(contentsOf: key)
        offsets.append(arena.count)
        slots[slot] = Slot(prefix: prefix, entry: Slot.entry(hash: hash, length: key.count, id: Int(id)))
        let (word, bit) = TermTable.presenceBit(hash)
        present[word] |= bit
        if count * 2 > slots.count { grow() }
        return id
    }

    /// Every term of up to sixteen bytes, as its bytes in two little-endian words (zero above them), with
    /// its length and id, in id order.
    public func forEachTerm(ofAtMost16Bytes body: (_ low: UInt64, _ high: UInt64, _ length: Int, _ id: Int32) -> Void) {
        arena.withUnsafeBufferPointer { arena in
            offsets.withUnsafeBufferPointer { offsets in
                for id in 0..<count {
                    let start = offsets[id], length = offsets[id + 1] - start
                    guard length <= 16 else { continue }
                    var low: UInt64 = 0, high: UInt64 = 0
                    for k in 0..<min(length, 8) { low |= UInt64(arena[start + k]) << UInt64(k * 8) }
                    for k in min(length, 8)..<length { high |= UInt64(arena[start + k]) << UInt64((k - 8) * 8) }
                    body(low, high, length, Int32(id))
                }
            }
        }
    }

    /// The ASCII bytes `start..<end` of `text`, lowercased, as two little-endian words (zero above them), the
    /// form `forEachTerm(ofAtMost16Bytes:)` lists terms in; nil past sixteen bytes. Two loads (from the word's
    /// start, or ending with it near the text's end), byte by byte only in a text under sixteen bytes.
    @inlinable @inline(__always)
    public static func key16(asciiLowercasingIn text: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> (low: UInt64, high: UInt64)? {
        let count = end &- start
        guard count > 0, count <= 16, let base = text.baseAddress else { return nil }
        var low: UInt64 = 0, high: UInt64 = 0
        if start &+ 16 <= text.count {
            low = UnsafeRawPointer(base + start).loadUnaligned(as: UInt64.self)
            high = UnsafeRawPointer(base + start).loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            if count < 8 {
                low &= UInt64.max &>> UInt64(truncatingIfNeeded: (8 &- count) &* 8)
                high = 0
            } else {
                high &= count == 8 ? 0 : UInt64.max &>> UInt64(truncatingIfNeeded: (16 &- count) &* 8)
            }
        } else if end >= 16 {
            // The sixteen bytes that end with the word, shifted down onto it.
            let last = UnsafeRawPointer(base + (end &- 16))
            let below = last.loadUnaligned(as: UInt64.self), above = last.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            let shift = UInt64(truncatingIfNeeded: (16 &- count) &* 8)
            if shift >= 64 {
                low = above &>> (shift &- 64)
            } else if shift > 0 {
                low = below &>> shift | above &<< (64 &- shift)
                high = above &>> shift
            } else {
                low = below
                high = above
            }
        } else {
            for k in 0..<count {
                let byte = UInt64(text[start &+ k]) &<< UInt64(truncatingIfNeeded: (k & 7) &* 8)
                if k < 8 { low |= byte } else { high |= byte }
            }
        }
        return (lowerASCII8(low), lowerASCII8(high))
    }

    /// Id of an already normalised key, or nil.
    public func find(normalizedKey key: UnsafeBufferPointer<UInt8>) -> Int32? {
        find(key, lowercasing: false)
    }

    /// Id of ASCII bytes once lowercased, or nil; lowercases while hashing and comparing, so the scorer needs
    /// no key buffer for the common case (building keys and looking them up were a fifth of `voc score`).
    public func find(asciiLowercasing key: UnsafeBufferPointer<UInt8>) -> Int32? {
        find(key, lowercasing: true)
    }

    /// Id of the ASCII bytes `start..<end` of `text` once lowercased, or nil. (The scorer reads words of up
    /// to sixteen bytes in registers and its own tables; this serves the longer ones.)
    public func find(asciiLowercasingIn text: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int32? {
        find(UnsafeBufferPointer(rebasing: text[start..<end]), lowercasing: true)
    }

    @inline(__always)
    private func find(_ key: UnsafeBufferPointer<UInt8>, lowercasing: Bool) -> Int32? {
        guard !key.isEmpty else { return nil }
        let prefix = TermTable.prefix(key, lowercasing: lowercasing)
        let hash = TermTable.hash(key, prefix: prefix, lowercasing: lowercasing)
        let (word, bit) = TermTable.presenceBit(hash)
        guard present.withUnsafeBufferPointer({ $0[word] & bit }) != 0 else { return nil }
        return probe(key, prefix: prefix, hash: hash, lowercasing: lowercasing).id
    }

    /// The slot holding `key` (ASCII-lowercased first when `lowercasing`), or the empty slot where it would go.
    /// A flag, not a closure: inlined with a constant it costs nothing, where a closure was 40% slower.
    @inline(__always)
    private func probe(_ key: UnsafeBufferPointer<UInt8>, prefix: UInt64, hash: UInt64, lowercasing: Bool) -> (slot: Int, id: Int32?) {
        @inline(__always) func byte(_ b: UInt8) -> UInt8 { lowercasing ? lowerASCII(b) : b }
        let tagAndLength = Slot.entry(hash: hash, length: key.count, id: -1)
        var slot = Int(truncatingIfNeeded: hash) & mask
        return slots.withUnsafeBufferPointer { slots in
            while slots[slot].entry != 0 {
                let entry = slots[slot].entry
                if entry & Slot.tagAndLengthMask == tagAndLength, slots[slot].prefix == prefix {
                    let id = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                    if key.count <= 8 { return (slot, Int32(id)) }
                    let same = offsets.withUnsafeBufferPointer { offsets in
                        arena.withUnsafeBufferPointer { arena in
                            let start = offsets[id]
                            guard offsets[id + 1] - start == key.count else { return false }
                            for k in 8..<key.count where arena[start + k] != byte(key[k]) { return false }
                            return true
                        }
                    }
                    if same { return (slot, Int32(id)) }
                }
                slot = (slot + 1) & mask
            }
            return (slot, nil)
        }
    }

    public func find(_ term: String) -> Int32? {
        var key = TermTable.normalized(term)
        return key.withUTF8 { find(normalizedKey: $0) }
    }

    private mutating func grow() {
        let old = slots
        var size = slots.count << 1
        if size < 16 { size = 16 }
        slots = [Slot](repeating: Slot(), count: size)
        mask = size - 1
        arena.withUnsafeBufferPointer { arena in
            for item in old where item.entry != 0 {
                let id = Int(truncatingIfNeeded: item.entry & 0xFFFF_FFFF) - 1
                let key = UnsafeBufferPointer(rebasing: arena[offsets[id]..<offsets[id + 1]])
                let hash = TermTable.hash(key, prefix: item.prefix, lowercasing: false)
                var slot = Int(truncatingIfNeeded: hash) & mask
                while slots[slot].entry != 0 { slot = (slot + 1) & mask }
                slots[slot] = item
            }
        }
    }

    /// The key's first eight bytes (ASCII-lowercased when `lowercasing`), little-endian and zero-padded,
    /// read as whole words: a key of 4 to 7 bytes is its first four bytes and its last four moved down.
    @inline(__always)
    static func prefix(_ key: UnsafeBufferPointer<UInt8>, lowercasing: Bool) -> UInt64 {
        let count = key.count
        guard let base = key.baseAddress, count > 0 else { return 0 }
        let raw = UnsafeRawPointer(base)
        var w: UInt64
        if count >= 8 {
            w = raw.loadUnaligned(as: UInt64.self)
        } else if count >= 4 {
            let low = UInt64(raw.loadUnaligned(as: UInt32.self))
            let high = UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
            w = low | (high >> UInt64((8 - count) * 8)) << 32
        } else {
            w = UInt64(base[0])
            if count > 1 { w |= UInt64(base[1]) << 8 }
            if count > 2 { w |= UInt64(base[2]) << 16 }
        }
        return lowercasing ? lowerASCII8(w) : w
    }

    /// Hash of the key (of its ASCII-lowercased bytes when `lowercasing`) from its `prefix` and, past eight
    /// bytes, the rest eight bytes at a time: a word of up to eight bytes is one multiply, whose high half
    /// is folded onto the low one, so the slot index, presence fragment and tag each depend on every byte.
    /// Byte-at-a-time FNV-1a was a chain of one multiply per byte; MurmurHash3's final avalanche after the
    /// multiply was 4% of `voc score` and bought no fewer probes on the lexicons' terms.
    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>, prefix: UInt64, lowercasing: Bool) -> UInt64 {
        @inline(__always) func mix(_ h: UInt64, _ w: UInt64) -> UInt64 {
            let m = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
            return m ^ (m >> 32)
        }
        let count = key.count
        var h = hash(count: count, prefix: prefix)
        if count > 8, let base = key.baseAddress {
            let raw = UnsafeRawPointer(base)
            var offset = 8
            while offset + 8 <= count {
                let w = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                h = mix(h, lowercasing ? lowerASCII8(w) : w)
                offset += 8
            }
            if offset < count {
                let w = raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
                h = mix(h, lowercasing ? lowerASCII8(w) : w)
            }
        }
        return h
    }

    /// The hash of a key of up to eight bytes, all of them in `prefix` (the first step for longer keys).
    @inline(__always)
    static func hash(count: Int, prefix: UInt64) -> UInt64 {
        let m = (UInt64(truncatingIfNeeded: count) &* 0xC2B2_AE3D_27D4_EB4F ^ prefix) &* 0x9E37_79B9_7F4A_7C15
        return m ^ (m >> 32)
    }

    /// ASCII-lowercases the eight bytes of `w` at once (bytes 0x80 and above are left alone).
    @inlinable @inline(__always)
    static func lowerASCII8(_ w: UInt64) -> UInt64 {
        let low7 = w & 0x7F7F_7F7F_7F7F_7F7F
        let atLeastA = low7 &+ 0x3F3F_3F3F_3F3F_3F3F  // high bit set where the byte is >= "A"
        let aboveZ = low7 &+ 0x2525_2525_2525_2525  // high bit set where the byte is > "Z"
        let upper = atLeastA & ~aboveZ & ~w & 0x8080_8080_8080_8080
        return w | (upper >> 2)
    }

    /// A term in its normal form (`normalize`). Lowercase ASCII, every lexicon term once its file is read, is
    /// its own normal form and comes back as it is, without the copies `voc score`'s start-up made for each.
    public static func normalized(_ term: String) -> String {
        term.containsByte(where: changesWhenNormalized) ? String(decoding: normalize(Array(term.utf8)), as: UTF8.self) : term
    }

    /// Whether a term holding this byte may differ from its normal form: a capital or a non-ASCII byte. A term
    /// without one is its own normal form.
    @inlinable
    public static func changesWhenNormalized(_ b: UInt8) -> Bool { b >= 0x80 || isUpper(b) }

    /// Lowercases (ASCII fast path, Unicode otherwise) and maps ’ to '. Scalar by scalar, as
    /// `String.lowercased()` maps them, but only the scalars that change: its mapping makes a String for every
    /// scalar, and each emoji and accented word a text is scored for came through here (1.2% of `voc score`'s
    /// instructions on tweets, with the grapheme breaking `replacingApostrophes` did).
    public static func normalize(_ bytes: [UInt8]) -> [UInt8] {
        if bytes.allSatisfy({ $0 < 0x80 }) { return bytes.map(lowerASCII) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            if scalar == "\u{2019}" {
                out.append(0x27)
            } else if scalar.properties.changesWhenLowercased {
                out += scalar.properties.lowercaseMapping.utf8
            } else {
                UTF8.encode(scalar) { out.append($0) }
            }
        }
        return out
    }
}

/// Builds normalised lookup keys for tokens into a reusable buffer.
public struct KeyBuilder: Sendable {
    public private(set) var buffer: [UInt8] = []

    /// Empty, without allocating: most texts never need a key built (only non-ASCII and elongated words do).
    public init() {}

    /// Key of one token (lowercased); `collapseRuns` squeezes letters repeated 3+ times down to `maxRun`.
    public mutating func set(_ text: TokenizedText, _ token: Token, collapseRunsTo maxRun: Int = 0) {
        text.bytes.withUnsafeBufferPointer { set($0, token, collapseRunsTo: maxRun) }
    }

    /// `set` for a token of `bytes`, the text it was scanned from.
    public mutating func set(_ bytes: UnsafeBufferPointer<UInt8>, _ token: Token, collapseRunsTo maxRun: Int = 0) {
        buffer.removeAll(keepingCapacity: true)
        if token.flags.contains(.nonASCII) {
            // Emoji and words whose only non-ASCII is ’ (don’t) are most of them: their keys are built in
            // place. Through `normalize`, each was some 3,000 instructions of arrays, Strings and Unicode
            // property tables (2% of `voc score`'s instructions on tweets).
            if token.kind == .emoji ? setEmojiKey(bytes, token) : setApostropheKey(bytes, token) { return }
            var key = TermTable.normalize(Array(bytes[token.start..<token.end]))
            if token.kind == .emoji { key = stripEmojiModifiers(key) }
            buffer.append(contentsOf: key)
            return
        }
        var run = 0
        var previous: UInt8 = 0
        for k in token.start..<token.end {
            let b = lowerASCII(bytes[k])
            run = b == previous ? run + 1 : 1
            previous = b
            if maxRun > 0, run > maxRun, isLetter(b) { continue }
            buffer.append(b)
        }
    }

    /// The key of an emoji token (`stripEmojiModifiers` of its normal form) when its first scalar past the
    /// modifiers has no case (so is its own normal form); false, with nothing written, otherwise.
    private mutating func setEmojiKey(_ bytes: UnsafeBufferPointer<UInt8>, _ token: Token) -> Bool {
        var k = token.start
        while k < token.end {
            guard let (scalar, length) = KeyBuilder.scalar(in: bytes, at: k, end: token.end) else { return false }
            if KeyBuilder.isEmojiModifier(scalar.value) {
                k += length
                continue
            }
            guard KeyBuilder.isCaseless(scalar.value) else { return false }
            buffer.append(contentsOf: bytes[k..<(k + length)])
            return true
        }
        return false
    }

    /// The key of a word whose bytes are ASCII but for the typographic apostrophe: lowercased, ’ as '.
    /// False, with nothing written, for any other non-ASCII byte.
    private mutating func setApostropheKey(_ bytes: UnsafeBufferPointer<UInt8>, _ token: Token) -> Bool {
        var k = token.start
        while k < token.end {
            let b = bytes[k]
            if b < 0x80 {
                buffer.append(lowerASCII(b))
                k += 1
            } else if b == 0xE2, k + 2 < token.end, bytes[k + 1] == 0x80, bytes[k + 2] == 0x99 {
                buffer.append(0x27)
                k += 3
            } else {
                buffer.removeAll(keepingCapacity: true)
                return false
            }
        }
        return true
    }

    /// The well-formed scalar of two to four bytes at `k` (before `end`), or nil.
    private static func scalar(in bytes: UnsafeBufferPointer<UInt8>, at k: Int, end: Int) -> (Unicode.Scalar, Int)? {
        var decoder = UTF8()
        var iterator = UnsafeBufferPointer(rebasing: bytes[k..<min(end, k + 4)]).makeIterator()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator), scalar.value >= 0x80 else { return nil }
        return (scalar, UTF8.width(scalar))
    }

    /// Variation selectors and skin tones: part of an emoji, never its own (`Scanner.scanEmojiSequence`).
    static func isEmojiModifier(_ value: UInt32) -> Bool {
        value == 0xFE0F || value == 0xFE0E || (0x1F3FB...0x1F3FF).contains(value)
    }

    /// Scalars no lowercase mapping changes, in the ranges emoji start in: U+2190 to U+2BFF but the circled
    /// Latin letters (Ⓜ), and all of U+1F000 and above. (The next cased scalars are Glagolitic, U+2C00, and
    /// Adlam, up to U+1E943.) A test holds the claim against the Unicode tables.
    static func isCaseless(_ value: UInt32) -> Bool {
        value >= 0x1F000 || (value >= 0x2190 && value < 0x2C00 && !(0x24B6...0x24E9).contains(value))
    }

    /// Drops variation selectors and skin-tone modifiers so one entry covers every variant of an emoji.
    func stripEmojiModifiers(_ key: [UInt8]) -> [UInt8] {
        let scalars = String(decoding: key, as: UTF8.self).unicodeScalars.filter { !KeyBuilder.isEmojiModifier($0.value) }
        guard let first = scalars.first else { return key }
        // A ZWJ sequence is looked up by its first emoji (a facepalming person is a facepalm).
        return Array(String(first).utf8)
    }

    public func withKey<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R { buffer.withUnsafeBufferPointer(body) }
}

extension String {
    /// Whether any of the string's UTF-8 bytes passes `test`, read on its contiguous bytes: the UTF-8 view's
    /// generic `contains` cost some 700 instructions a lexicon term, a tenth of `voc score`'s start-up.
    public func containsByte(where test: (UInt8) -> Bool) -> Bool {
        var string = self
        return string.withUTF8 { $0.contains(where: test) }
    }

    /// Maps the typographic apostrophe (U+2019) to `'`, as customers' phones and keyboards mix both.
    /// Scalar by scalar: asked of Characters, the test broke the text into graphemes first.
    public func replacingApostrophes() -> String {
        guard unicodeScalars.contains("\u{2019}") else { return self }
        return String(String.UnicodeScalarView(unicodeScalars.map { $0 == "\u{2019}" ? "'" : $0 }))
    }
}
