/// Trimming without Foundation's `CharacterSet` bridging, which was a fifth of mail ingest on Linux.
/// Same sets as Foundation (enumerated on this platform): `.whitespaces` is tab, the Unicode space
/// separators (Zs) and U+200B; newlines add U+000A-U+000D, U+0085, U+2028 and U+2029.
extension StringProtocol {
    /// As `trimmingCharacters(in: .whitespaces)`.
    func trimmingSpaces() -> String { trimmingScalars(where: isSpace) }

    /// As `trimmingCharacters(in: .whitespacesAndNewlines)`.
    func trimmingSpacesAndNewlines() -> String { trimmingScalars { isSpace($0) || isNewline($0) } }

    /// As `trimmingCharacters(in: CharacterSet(charactersIn: characters))`.
    func trimming(_ characters: String) -> String {
        // The sets are a few ASCII characters: two 64-bit masks, where scanning the set's scalars for every
        // scalar tested was 1% of the mail reader.
        var (low, high): (UInt64, UInt64) = (0, 0)
        for b in characters.utf8 {
            guard b < 0x80 else { return trimmingScalars { characters.unicodeScalars.contains($0) } }
            if b < 64 { low |= 1 << UInt64(b) } else { high |= 1 << UInt64(b - 64) }
        }
        return trimmingScalars { scalar in
            let v = UInt64(scalar.value)
            return v < 64 ? low >> v & 1 != 0 : v < 128 ? high >> (v - 64) & 1 != 0 : false
        }
    }

    func trimmingScalars(where isTrimmed: (Unicode.Scalar) -> Bool) -> String {
        // On the bytes while the ends are ASCII (an ASCII byte is a whole scalar): most header values and
        // lines have nothing to trim, and most of the rest only ASCII ("Thanks!" losing its "!"). The generic
        // searches over the scalar view were 2.5% of mail ingest. A non-ASCII byte met at either end leaves
        // the decision to the scalar path.
        let onBytes: String?? = utf8.withContiguousStorageIfAvailable { bytes -> String? in
            var (start, end) = (0, bytes.count)
            while start < end, bytes[start] < 0x80, isTrimmed(Unicode.Scalar(bytes[start])) { start += 1 }
            if start < end, bytes[start] >= 0x80 { return nil }
            while end > start, bytes[end - 1] < 0x80, isTrimmed(Unicode.Scalar(bytes[end - 1])) { end -= 1 }
            if end > start, bytes[end - 1] >= 0x80 { return nil }
            if start == 0, end == bytes.count { return String(self) }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
        if let onBytes, let onBytes { return onBytes }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !isTrimmed($0) }) else { return "" }
        let end = scalars.index(after: scalars.lastIndex(where: { !isTrimmed($0) })!)
        // Most header values and lines have nothing to trim: a String comes back as it is, without a copy.
        if first == scalars.startIndex, end == scalars.endIndex { return String(self) }
        // One copy of the kept UTF-8 bytes: appending the scalars one by one was a fifth of mail ingest.
        return String(decoding: utf8[first..<end], as: UTF8.self)
    }
}

/// The range of `bytes` (UTF-8) without the spaces `trimmingSpaces()` takes off its ends.
func spaceTrimmedRange(_ bytes: UnsafeBufferPointer<UInt8>) -> Range<Int> {
    var (start, end) = (0, bytes.count)
    while start < end {
        let (scalar, length) = scalarAndLength(bytes, at: start)
        guard isSpace(scalar) else { break }
        start += length
    }
    while end > start {
        var lead = end - 1
        while lead > start, bytes[lead] & 0xC0 == 0x80 { lead -= 1 }
        guard isSpace(scalarAndLength(bytes, at: lead).scalar) else { break }
        end = lead
    }
    return start..<end
}

/// The scalar whose UTF-8 starts at `position`, and its length; U+FFFD and 1 for a byte that starts none.
func scalarAndLength(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int) -> (scalar: Unicode.Scalar, length: Int) {
    let lead = bytes[position]
    if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
    let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
    guard length > 1, position + length <= bytes.count else { return ("\u{FFFD}", 1) }
    var value = UInt32(lead) & (0x7F >> UInt32(length))
    for k in 1..<length {
        let b = bytes[position + k]
        guard b & 0xC0 == 0x80 else { return ("\u{FFFD}", 1) }
        value = value << 6 | UInt32(b & 0x3F)
    }
    return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
}

private func isSpace(_ scalar: Unicode.Scalar) -> Bool {
    scalar == " " || scalar == "\t" || scalar.value == 0x200B || (scalar.value >= 0x80 && scalar.properties.generalCategory == .spaceSeparator)
}

private func isNewline(_ scalar: Unicode.Scalar) -> Bool {
    (scalar.value >= 0x0A && scalar.value <= 0x0D) || scalar.value == 0x85 || scalar.value == 0x2028 || scalar.value == 0x2029
}
