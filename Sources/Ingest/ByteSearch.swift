import Foundation

extension UnsafeBufferPointer<UInt8> {
    /// True when every byte is ASCII: the byte paths of the readers and the redactor take only such text,
    /// and leave the rest to their Character paths.
    var isASCII: Bool {
        // Eight bytes at a time: the byte iterator was 1.5% of mail ingest (every header name and value asks).
        guard let base = baseAddress else { return true }
        var i = 0
        while i &+ 8 <= count {
            if UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            i &+= 8
        }
        while i < count {
            if base[i] >= 0x80 { return false }
            i &+= 1
        }
        return true
    }
}

/// Substring search on UTF-8 bytes. With Foundation imported, `String.contains(_:)` and `range(of:)` are
/// NSString's: on Linux each call bridges to UTF-16 and was a tenth of mail ingest. Byte search gives the
/// same answer for the literal, case-sensitive needles used here.
extension StringProtocol {
    /// True when the byte occurs in the text's UTF-8, found with memchr on the contiguous bytes: the UTF-8
    /// view's generic `contains` checked the string's form at every byte (1.3% of mail ingest).
    func containsByte(_ byte: UInt8) -> Bool {
        let found: Bool? = utf8.withContiguousStorageIfAvailable { bytes in
            guard let base = bytes.baseAddress else { return false }
            return memchr(base, Int32(byte), bytes.count) != nil
        }
        return found ?? utf8.contains(byte)
    }

    /// True when `needle` (lowercase ASCII) occurs in the text with its ASCII letters in either case.
    func containsFolded(_ needle: StaticString) -> Bool {
        let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        let found: Bool? = utf8.withContiguousStorageIfAvailable { text in
            guard let first = pattern.first, pattern.count <= text.count else { return pattern.isEmpty }
            var start = 0
            search: while start <= text.count - pattern.count {
                defer { start += 1 }
                guard text[start].asciiLowercased == first else { continue }
                for k in 1..<pattern.count where text[start + k].asciiLowercased != pattern[k] { continue search }
                return true
            }
            return false
        }
        if let found { return found }
        var contiguous = String(self)
        contiguous.makeContiguousUTF8()
        return contiguous.containsFolded(needle)
    }

    /// True when the text's bytes start with those of `prefix`.
    func startsWithBytes(of prefix: String) -> Bool {
        utf8.withContiguousStorageIfAvailable { text in
            let pattern = prefix.utf8
            return text.count >= pattern.count && zip(text, pattern).allSatisfy { $0 == $1 }
        } ?? utf8.starts(with: prefix.utf8)
    }

    /// True when `needle` occurs in the text.
    func containsBytes(_ needle: String) -> Bool { firstRange(ofBytes: needle) != nil }

    /// The first occurrence of `needle` as a range of this text's indices.
    func firstRange(ofBytes needle: String) -> Range<Index>? {
        var needle = needle
        let found: Int?? = utf8.withContiguousStorageIfAvailable { haystack in
            needle.withUTF8 { pattern in
                guard !pattern.isEmpty, pattern.count <= haystack.count, let base = haystack.baseAddress else { return nil }
                // memchr to each candidate first byte, then compare the rest (Glibc's memmem is not exported).
                let last = haystack.count - pattern.count
                var i = 0
                while i <= last, let hit = memchr(base + i, Int32(pattern[0]), last - i + 1) {
                    i = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + i, pattern.baseAddress!, pattern.count) == 0 { return i }
                    i += 1
                }
                return nil
            }
        }
        let offset: Int
        if let found {
            guard let found else { return nil }
            offset = found
        } else {
            // Not contiguous (a bridged string): a plain scan of the bytes.
            let bytes = Array(utf8), pattern = Array(needle.utf8)
            guard !pattern.isEmpty, pattern.count <= bytes.count,
                  let start = (0...(bytes.count - pattern.count)).first(where: { bytes[$0..<($0 + pattern.count)].elementsEqual(pattern) })
            else { return nil }
            offset = start
        }
        let start = utf8.index(utf8.startIndex, offsetBy: offset)
        return start..<utf8.index(start, offsetBy: needle.utf8.count)
    }
}

extension Collection<UInt8> {
    /// Whether the bytes, their ASCII letters lowercased, begin with `prefix` (lowercase ASCII). For rules
    /// whose words hold no letter a non-ASCII one lowercases to.
    func startsFolded(with prefix: StaticString) -> Bool {
        let pattern = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
        return count >= pattern.count && zip(self, pattern).allSatisfy { $0.asciiLowercased == $1 }
    }

    /// Whether the bytes, their ASCII letters lowercased, are `word` (lowercase ASCII).
    func equalsFolded(_ word: some Collection<UInt8>) -> Bool {
        count == word.count && zip(self, word).allSatisfy { $0.asciiLowercased == $1 }
    }

    func equalsFolded(_ word: StaticString) -> Bool {
        equalsFolded(UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
    }
}

extension UInt8 {
    /// The byte with an ASCII capital made small; every other byte as it is.
    @inline(__always) var asciiLowercased: UInt8 { self &- 0x41 < 26 ? self | 0x20 : self }
}

extension StringProtocol {
    /// `lowercased()`, on the bytes when the text is ASCII (nearly every header, id, name and query): the
    /// standard call takes its Unicode path for every string, about 50 instructions a byte (5.6% of mail
    /// ingest). The result is always the standard call's (`TrimmingTests` checks every scalar).
    func lowercasedOnBytes() -> String {
        let ascii: String?? = utf8.withContiguousStorageIfAvailable { bytes -> String? in
            var hasCapital = false
            for b in bytes {
                if b >= 0x80 { return nil }
                if b &- 0x41 < 26 { hasCapital = true }
            }
            guard hasCapital else { return String(self) }
            return String(unsafeUninitializedCapacity: bytes.count) { out in
                for i in 0..<bytes.count { out[i] = bytes[i].asciiLowercased }
                return bytes.count
            }
        }
        if let ascii, let ascii { return ascii }
        // Other text scalar by scalar with each scalar's own lowercase mapping, as the standard call does, but
        // its ASCII scalars folded in place: the standard call looks every scalar up, about 30,000
        // instructions for a line of mail with one emoji in it.
        var lowered: [UInt8] = []
        lowered.reserveCapacity(utf8.count)
        for scalar in unicodeScalars {
            if scalar.isASCII {
                lowered.append(UInt8(truncatingIfNeeded: scalar.value).asciiLowercased)
            } else {
                lowered.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
            }
        }
        return String(decoding: lowered, as: UTF8.self)
    }
}
