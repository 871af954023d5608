import Text

/// The word slot of every term of up to eight bytes, found by the word itself: key and slot side by side in
/// one 64-byte entry, so a short word's lookup reads one cache line where the term table and the slot
/// templates took two, the second waiting on the first. Misses are answered by a presence bit first.
final class ShortTerms: @unchecked Sendable {
    /// A term's bytes (little-endian, zero above them) and length (0: an empty entry), and its slot.
    struct Entry {
        var key: UInt64
        var length: Int
        var slot: WordSlot
    }

    private let entries: UnsafeMutablePointer<Entry>
    private let mask: Int
    /// One bit per 16-bit fragment of the hash (`TermTable.presenceBit`; 8 KB, stays in the first-level cache).
    private let present: [UInt64]

    /// `slots[id + 1]` is term `id`'s slot; `terms` gives each term's bytes.
    init(terms: TermTable, slots: [WordSlot]) {
        var short: [(key: UInt64, length: Int, id: Int)] = []
        terms.forEachShortTerm { key, length, id in short.append((key, length, Int(id))) }
        var size = 16
        while size < short.count * 2 { size <<= 1 }
        mask = size - 1
        let raw = UnsafeMutableRawPointer.allocate(byteCount: size * MemoryLayout<Entry>.stride, alignment: 64)
        entries = raw.bindMemory(to: Entry.self, capacity: size)
        let empty = Entry(key: 0, length: 0, slot: slots[0])
        entries.initialize(repeating: empty, count: size)
        var present = [UInt64](repeating: 0, count: 1 << 10)
        for term in short {
            let hash = TermTable.hash(count: term.length, prefix: term.key)
            let (word, bit) = TermTable.presenceBit(hash)
            present[word] |= bit
            var index = Int(truncatingIfNeeded: hash) & mask
            while entries[index].length != 0 { index = (index + 1) & mask }
            entries[index] = Entry(key: term.key, length: term.length, slot: slots[term.id + 1])
        }
        self.present = present
    }

    deinit { entries.deallocate() }

    /// The slot of the term whose bytes are `key` (`length` of them, zero above), or nil.
    @inline(__always)
    func slot(key: UInt64, length: Int) -> WordSlot? {
        let hash = TermTable.hash(count: length, prefix: key)
        let (word, bit) = TermTable.presenceBit(hash)
        guard present.withUnsafeBufferPointer({ $0[word] & bit }) != 0 else { return nil }
        var index = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = entries + index
            if entry.pointee.length == 0 { return nil }
            if entry.pointee.key == key, entry.pointee.length == length { return entry.pointee.slot }
            index = (index &+ 1) & mask
        }
    }
}
