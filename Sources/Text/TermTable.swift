/// Interns terms (byte strings, lowercased) to dense integer ids, and finds them again from a byte range
/// without allocating: the lookup lowercases ASCII on the fly and maps the curly apostrophe to `'`.
public struct TermTable: Sendable {
    private var arena: [UInt8] = []
    private var offsets: [Int] = [0]
    /// Open addressing; a slot holds the upper half of the key's hash and id + 1 (0 when empty), so a probe
    /// that meets another term is told apart without reading that term's bytes (those reads were cache
    /// misses, most of a lookup's time).
    private var slots: [UInt64]
    private var mask: Int
    /// One bit per 16-bit hash fragment, set for every term: 8 KB that stay in the first-level cache and
    /// answer "not a term" for most words of a message without touching `slots`.
    private var present = [UInt64](repeating: 0, count: 1 << 10)

    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    @inline(__always) private static func presenceBit(_ hash: UInt64) -> (word: Int, bit: UInt64) {
        let fragment = Int(truncatingIfNeeded: hash >> 40) & 0xFFFF
        return (fragment >> 6, 1 << UInt64(fragment & 63))
    }

    @inline(__always) private static func entry(hash: UInt64, id: Int) -> UInt64 { hash & 0xFFFF_FFFF_0000_0000 | UInt64(id + 1) }

    public var count: Int { offsets.count - 1 }

    /// The bytes of term `id`.
    public func term(_ id: Int32) -> String {
        String(decoding: arena[offsets[Int(id)]..<offsets[Int(id) + 1]], as: UTF8.self)
    }

    /// Id of a term given as a string (normalised like any lookup), adding it when new.
    @discardableResult
    public mutating func intern(_ term: String) -> Int32 {
        let key = TermTable.normalize(Array(term.utf8))
        return key.withUnsafeBufferPointer { intern(normalizedKey: $0) }
    }

    /// Id of an already normalised key, adding it when new.
    public mutating func intern(normalizedKey key: UnsafeBufferPointer<UInt8>) -> Int32 {
        let hash = TermTable.hash(key)
        let (slot, found) = probe(key, hash: hash, lowercasing: false)
        if let found { return found }
        let id = Int32(count)
        arena.append(contentsOf: key)
        offsets.append(arena.count)
        slots[slot] = TermTable.entry(hash: hash, id: Int(id))
        let (word, bit) = TermTable.presenceBit(hash)
        present[word] |= bit
        if count * 2 > slots.count { grow() }
        return id
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

    @inline(__always)
    private func find(_ key: UnsafeBufferPointer<UInt8>, lowercasing: Bool) -> Int32? {
        guard !key.isEmpty else { return nil }
        let hash = TermTable.hash(key, lowercasing: lowercasing)
        let (word, bit) = TermTable.presenceBit(hash)
        guard present.withUnsafeBufferPointer({ $0[word] & bit }) != 0 else { return nil }
        return probe(key, hash: hash, lowercasing: lowercasing).id
    }

    /// The slot holding `key` (ASCII-lowercased first when `lowercasing`), or the empty slot where it would go.
    /// A flag, not a closure: inlined with a constant it costs nothing, where a closure was 40% slower.
    @inline(__always)
    private func probe(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64, lowercasing: Bool) -> (slot: Int, id: Int32?) {
        @inline(__always) func byte(_ b: UInt8) -> UInt8 { lowercasing ? lowerASCII(b) : b }
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var slot = Int(truncatingIfNeeded: hash) & mask
        return slots.withUnsafeBufferPointer { slots in
            offsets.withUnsafeBufferPointer { offsets in
                arena.withUnsafeBufferPointer { arena in
                    while slots[slot] != 0 {
                        let entry = slots[slot]
                        if entry & 0xFFFF_FFFF_0000_0000 == tag {
                            let id = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                            let start = offsets[id]
                            if offsets[id + 1] - start == key.count {
                                var same = true
                                for k in 0..<key.count where arena[start + k] != byte(key[k]) {
                                    same = false
                                    break
                                }
                                if same { return (slot, Int32(id)) }
                            }
                        }
                        slot = (slot + 1) & mask
                    }
                    return (slot, nil)
                }
            }
        }
    }

    public func find(_ term: String) -> Int32? {
        TermTable.normalize(Array(term.utf8)).withUnsafeBufferPointer { find(normalizedKey: $0) }
    }

    private mutating func grow() {
        var size = slots.count << 1
        if size < 16 { size = 16 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
        arena.withUnsafeBufferPointer { arena in
            for id in 0..<count {
                let hash = TermTable.hash(UnsafeBufferPointer(rebasing: arena[offsets[id]..<offsets[id + 1]]))
                var slot = Int(truncatingIfNeeded: hash) & mask
                while slots[slot] != 0 { slot = (slot + 1) & mask }
                slots[slot] = TermTable.entry(hash: hash, id: id)
            }
        }
    }

    /// FNV-1a, 64-bit (over the ASCII-lowercased bytes when `lowercasing`): simple and good enough for short keys.
    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>, lowercasing: Bool = false) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key {
            h ^= UInt64(lowercasing ? lowerASCII(b) : b)
            h = h &* 0x100_0000_01b3
        }
        return h ^ (h >> 29)
    }

    /// Lowercases (ASCII fast path, Unicode otherwise) and maps ’ to '.
    public static func normalize(_ bytes: [UInt8]) -> [UInt8] {
        if bytes.allSatisfy({ $0 < 0x80 }) { return bytes.map(lowerASCII) }
        let text = String(decoding: bytes, as: UTF8.self).lowercased().replacingApostrophes()
        return Array(text.utf8)
    }
}

/// Builds normalised lookup keys for tokens into a reusable buffer.
public struct KeyBuilder: Sendable {
    public private(set) var buffer: [UInt8] = []

    public init() { buffer.reserveCapacity(128) }

    /// Key of one token (lowercased); `collapseRuns` squeezes letters repeated 3+ times down to `maxRun`.
    public mutating func set(_ text: TokenizedText, _ token: Token, collapseRunsTo maxRun: Int = 0) {
        buffer.removeAll(keepingCapacity: true)
        append(text, token, collapseRunsTo: maxRun)
    }

    private mutating func append(_ text: TokenizedText, _ token: Token, collapseRunsTo maxRun: Int) {
        if token.flags.contains(.nonASCII) {
            var key = TermTable.normalize(Array(text.bytes[token.start..<token.end]))
            if token.kind == .emoji { key = stripEmojiModifiers(key) }
            buffer.append(contentsOf: key)
            return
        }
        var run = 0
        var previous: UInt8 = 0
        for k in token.start..<token.end {
            let b = lowerASCII(text.bytes[k])
            run = b == previous ? run + 1 : 1
            previous = b
            if maxRun > 0, run > maxRun, isLetter(b) { continue }
            buffer.append(b)
        }
    }

    /// Drops variation selectors and skin-tone modifiers so one entry covers every variant of an emoji.
    func stripEmojiModifiers(_ key: [UInt8]) -> [UInt8] {
        let scalars = String(decoding: key, as: UTF8.self).unicodeScalars.filter {
            !($0.value == 0xFE0F || $0.value == 0xFE0E || (0x1F3FB...0x1F3FF).contains($0.value))
        }
        guard let first = scalars.first else { return key }
        // A ZWJ sequence is looked up by its first emoji (a facepalming person is a facepalm).
        return Array(String(first).utf8)
    }

    public func withKey<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R { buffer.withUnsafeBufferPointer(body) }
}

extension String {
    /// Maps the typographic apostrophe (U+2019) to `'`, as customers' phones and keyboards mix both.
    public func replacingApostrophes() -> String {
        guard contains("\u{2019}") else { return self }
        return String(map { $0 == "\u{2019}" ? "'" : $0 })
    }
}
