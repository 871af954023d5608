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

private func isSpace(_ scalar: Unicode.Scalar) -> Bool {
    scalar == " " || scalar == "\t" || scalar.value == 0x200B || (scalar.value >= 0x80 && scalar.properties.generalCategory == .spaceSeparator)
}

private func isNewline(_ scalar: Unicode.Scalar) -> Bool {
    (scalar.value >= 0x0A && scalar.value <= 0x0D) || scalar.value == 0x85 || scalar.value == 0x2028 || scalar.value == 0x2029
}
