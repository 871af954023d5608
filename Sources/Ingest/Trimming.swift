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
        // The sets are a few characters: a scan beats building and hashing into a Set on every call.
        trimmingScalars { characters.unicodeScalars.contains($0) }
    }

    func trimmingScalars(where isTrimmed: (Unicode.Scalar) -> Bool) -> String {
        // Most header values and lines have nothing to trim, which their first and last bytes tell when both
        // are ASCII (an ASCII byte is a whole scalar): the two generic searches over the scalar view were
        // 2.5% of mail ingest.
        let ends: (UInt8, UInt8)?? = utf8.withContiguousStorageIfAvailable { bytes in
            guard let first = bytes.first, let last = bytes.last else { return nil }
            return (first, last)
        }
        if let ends, let (first, last) = ends, first < 0x80, last < 0x80,
            !isTrimmed(Unicode.Scalar(first)), !isTrimmed(Unicode.Scalar(last))
        {
            return String(self)
        }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !isTrimmed($0) }) else { return "" }
        let end = scalars.index(after: scalars.lastIndex(where: { !isTrimmed($0) })!)
        // Most header values and lines have nothing to trim: a String comes back as it is, without a copy.
        if first == scalars.startIndex, end == scalars.endIndex { return String(self) }
        // One copy of the kept UTF-8 bytes: appending the scalars one by one was a fifth of mail ingest.
        return String(decoding: utf8[first..<end], as: UTF8.self)
    }
}

private func isSpace(_ scalar: Unicode.Scalar) -> Bool {
    scalar == " " || scalar == "\t" || scalar.value == 0x200B || (scalar.value >= 0x80 && scalar.properties.generalCategory == .spaceSeparator)
}

private func isNewline(_ scalar: Unicode.Scalar) -> Bool {
    (scalar.value >= 0x0A && scalar.value <= 0x0D) || scalar.value == 0x85 || scalar.value == 0x2028 || scalar.value == 0x2029
}
