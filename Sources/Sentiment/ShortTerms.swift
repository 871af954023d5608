import Text

/// The word slot of every term whose length is in a range of up to sixteen bytes, found by the word's bytes:
/// key and slot side by side in one 64-byte entry, so a word's lookup reads one cache line where the term
/// table, its arena (past eight bytes) and the slot templates took up to three, each waiting on the one
/// before. Misses are answered by a presence bit first. No term holds a zero byte, so the zero-padded key
/// also tells the length. The scorer keeps one table for terms of up to eight bytes and one for nine to
/// sixteen: one table for both was twice the size and slowed every short word's lookup.
final class ShortTerms: @unchecked Sendable {
    /// A term's bytes (little-endian, zero above them; `low` is 0 in an empty entry), and its slot.
    struct Entry {
        var low: UInt64
        var high: UInt64
        var slot: WordSlot
    }

    private let entries: UnsafeMutablePointer<Entry>
    private let mask: Int
    /// Two bits per term in one of 1,024 words (8 KB, `presenceBits`).
    private let present: [UInt64]

    /// A term of up to sixteen bytes as its key words (`ShortTerms.keys`), its length and id.
    struct Key {
        var low: UInt64, high: UInt64
        var length: Int
        var id: Int
    }

    /// The keys of every term of up to sixteen bytes, read once for both of the scorer's tables. A term
    /// holding a zero byte is left out: its key would be ambiguous, and no word token holds one.
    static func keys(of terms: TermTable) -> [Key] {
        var keys: [Key] = []
        keys.reserveCapacity(terms.count)
        terms.forEachTerm(ofAtMost16Bytes: { low, high, length, id in
            if !holdsZero(low, in: min(length, 8)), !holdsZero(high, in: max(0, length - 8)) {
                keys.append(Key(low: low, high: high, length: length, id: Int(id)))
            }
        })
        return keys
    }

    /// Whether one of the first `count` bytes of `word` is zero. The borrow trick flags the lowest zero byte
    /// exactly (bytes above it may be flagged falsely), so its place answers.
    static func holdsZero(_ word: UInt64, in count: Int) -> Bool {
        let flagged = (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
        return flagged != 0 && flagged.trailingZeroBitCount >> 3 < count
    }

    /// `slots[id + 1]` is term `id`'s slot; `lengths` (within 1...16) picks the keys this table holds.
    init(keys: [Key], slots: [WordSlot], lengths: ClosedRange<Int>) {
        // The frequent words first, so they take their home entries and are found without the probing loop:
        // terms without a valence of their own (the words of phrases and the rules' words: "your", "have",
        // "get", "service", "hold", "don't") before the valence words, which are each rarer in text, and
        // shorter before longer within each. In length order alone, structural words displaced by a valence
        // word took the loop at every use: 17,300 lookups on 20,000 tweets, 7,600 in this order.
        var groups = [[Key]](repeating: [], count: 34)  // by length, structural words' then valence words'
        for key in keys where lengths.contains(key.length) {
            groups[key.length + (slots[key.id + 1].valence.isNaN ? 0 : 17)].append(key)
        }
        let listed = groups.joined()
        var size = 16
        while size < listed.count * 2 { size <<= 1 }
        mask = size - 1
        precondition(MemoryLayout<Entry>.offset(of: \Entry.slot) == 16, "the lookup reads the slot 16 bytes into an entry")
        // One entry more than the mask reaches: the empty one a word without a presence bit is sent to.
        let raw = UnsafeMutableRawPointer.allocate(byteCount: (size + 1) * MemoryLayout<Entry>.stride, alignment: 64)
        entries = raw.bindMemory(to: Entry.self, capacity: size + 1)
        entries.initialize(repeating: Entry(low: 0, high: 0, slot: slots[0]), count: size + 1)
        var present = [UInt64](repeating: 0, count: 1 << 10)
        for term in listed {
            let hash = ShortTerms.hash(low: term.low, high: term.high)
            let (word, bits) = ShortTerms.presenceBits(hash)
            present[word] |= bits
            var index = Int(truncatingIfNeeded: hash) & mask
            while entries[index].low != 0 { index = (index + 1) & mask }
            entries[index] = Entry(low: term.low, high: term.high, slot: slots[term.id + 1])
        }
        self.present = present
    }

    /// The table as plain numbers, for a compiled image: each entry's key words and term id (-1: empty), the
    /// spare entry past the mask included, and the presence bitmap.
    var storage: (keys: [UInt64], ids: [Int32], present: [UInt64]) {
        var keys: [UInt64] = [], ids: [Int32] = []
        keys.reserveCapacity(2 * (mask + 2))
        ids.reserveCapacity(mask + 2)
        for k in 0...(mask + 1) {
            keys.append(entries[k].low)
            keys.append(entries[k].high)
            ids.append(entries[k].low == 0 ? -1 : entries[k].slot.id)
        }
        return (keys, ids, present)
    }

    /// The table `storage` describes, its slots taken from `slots` (as in `init(keys:slots:lengths:)`), or nil
    /// when the parts do not make one: an id out of range, a key on an empty entry, or a table over half full
    /// (the probing loop stops only at an empty entry).
    init?(storage keys: UnsafeBufferPointer<UInt64>, ids: UnsafeBufferPointer<Int32>, present: [UInt64], slots: [WordSlot]) {
        let size = ids.count - 1
        guard size >= 16, size & (size - 1) == 0, keys.count == 2 * ids.count, present.count == 1 << 10,
            keys[2 * size] == 0, ids[size] == -1
        else { return nil }
        var listed = 0
        for k in 0..<ids.count {
            let id = Int(ids[k])
            guard id >= -1, id + 1 < slots.count, (keys[2 * k] == 0) == (id == -1), id >= 0 || keys[2 * k + 1] == 0 else { return nil }
            if id >= 0 { listed += 1 }
        }
        guard listed * 2 <= size else { return nil }
        mask = size - 1
        let raw = UnsafeMutableRawPointer.allocate(byteCount: (size + 1) * MemoryLayout<Entry>.stride, alignment: 64)
        entries = raw.bindMemory(to: Entry.self, capacity: size + 1)
        for k in 0...size {
            (entries + k).initialize(to: Entry(low: keys[2 * k], high: keys[2 * k + 1], slot: slots[Int(ids[k]) + 1]))
        }
        self.present = present
    }

    deinit { entries.deallocate() }

    /// Where a term's two presence bits lie: a word of the filter and two bits in it, from hash bits the
    /// table's index does not use. One bit per term (`TermTable.presenceBit`) let 6% of unlisted words
    /// through to the probing loop, a mispredicted branch and a read of the table each; two in the same word
    /// let about 2% through for one more shift and or.
    @inline(__always)
    private static func presenceBits(_ hash: UInt64) -> (word: Int, bits: UInt64) {
        let word = Int(truncatingIfNeeded: hash >> 24) & 1023
        return (word, 1 << ((hash >> 34) & 63) | 1 << ((hash >> 40) & 63))
    }

    /// One multiply for a word of up to eight bytes (`high` is then a constant zero), two past that.
    @inline(__always)
    private static func hash(low: UInt64, high: UInt64) -> UInt64 {
        let m = (low ^ high &* 0xC2B2_AE3D_27D4_EB4F) &* 0x9E37_79B9_7F4A_7C15
        return m ^ (m >> 32)
    }

    /// The slot of the term whose bytes are `low` and `high` (zero above them), or an unlisted slot (id -1).
    /// Whether a word is listed cannot be predicted, so the common answers come without a branch on it: a
    /// word without a presence bit is sent, as the key zero, to the spare empty entry past the table's end
    /// (an empty entry holds the unlisted slot), and a listed word is mostly found where its hash points.
    /// Only a word that is not there (a false presence bit or a displaced entry) takes the probing loop.
    @inline(__always)
    func slot(low: UInt64, high: UInt64 = 0) -> UnsafePointer<WordSlot> {
        let hash = ShortTerms.hash(low: low, high: high)
        let (word, bits) = ShortTerms.presenceBits(hash)
        let present = present.withUnsafeBufferPointer { $0[word] & bits } == bits
        let index = present ? Int(truncatingIfNeeded: hash) & mask : mask &+ 1
        let keyLow = present ? low : 0, keyHigh = present ? high : 0
        let entry = entries + index
        if (entry.pointee.low ^ keyLow) | (entry.pointee.high ^ keyHigh) == 0 { return slotPointer(entry) }
        return probe(low: low, high: high, after: index)
    }

    /// The rest of a lookup whose first entry held another term.
    @inline(never)
    private func probe(low: UInt64, high: UInt64, after first: Int) -> UnsafePointer<WordSlot> {
        var index = (first &+ 1) & mask
        while true {
            let entry = entries + index
            if entry.pointee.low == 0 || (entry.pointee.low == low && entry.pointee.high == high) { return slotPointer(entry) }
            index = (index &+ 1) & mask
        }
    }

    @inline(__always)
    private func slotPointer(_ entry: UnsafeMutablePointer<Entry>) -> UnsafePointer<WordSlot> {
        UnsafePointer(UnsafeRawPointer(entry).advanced(by: 16).assumingMemoryBound(to: WordSlot.self))
    }
}
