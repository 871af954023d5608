import Foundation

/// Street addresses in the signature of a message become `[ADDRESS]`, a line at a time.
///
/// Only in the signature: a house number beside a street word is common in what customers write ("the
/// store at 12 High Street"), and is what they complain about, not who they are; below a sign-off it is
/// who they are. The signature is what follows a `-- ` line or a sign-off line ("Regards,") among the last
/// lines, or else the message's last paragraph when it is short, as a name and address block often is
/// when it has no sign-off above it.
public enum SignatureAddresses {
    public static let placeholder = "[ADDRESS]"

    /// The text with the address lines of its signature replaced, or nil when it has none. `anywhere`: a
    /// sign-off counts wherever it stands, for a whole message as received, whose signature may sit above a
    /// quoted reply (the stored copy; the analysed text has lost its quotes and keeps the stricter rule).
    /// On the text's bytes, as every message's text and plain part comes here.
    public static func redact(_ text: String, anywhere: Bool = false) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            guard let base = bytes.baseAddress, bytes.contains(where: isDigit) else { return nil }  // every address rule needs a digit
            var lines: [Line] = []
            lines.reserveCapacity(16)
            var from = 0
            while from <= bytes.count {
                let newline = memchr(base + from, 0x0A, bytes.count - from).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? bytes.count
                var end = newline
                if end > from, bytes[end - 1] == 0x0D { end -= 1 }
                lines.append(Line(bytes: UnsafeBufferPointer(rebasing: bytes[from..<end])))
                from = newline + 1
            }
            let own = anywhere ? ownLines(lines) : lines.count
            guard let (start, trailingBlock) = signatureStart(lines[..<own], anywhere: anywhere) else { return nil }
            // A signature is a few lines; every address rule needs a digit, which most of its lines lack.
            let end = min(trailingBlock ? own : lines.count, start + maxSignatureLines)
            let addresses = (start..<max(start, end)).filter { k in
                lines[k].bytes.contains(where: isDigit) && looksLikeAddress(lines[k].bytes) && (!trailingBlock || lines[k].isShort)
            }
            guard !addresses.isEmpty else { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var copied = 0
            for k in addresses {
                let line = lines[k].bytes
                let lineStart = base.distance(to: line.baseAddress ?? base)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<lineStart]))
                out.append(contentsOf: placeholder.utf8)
                copied = lineStart + line.count
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// A line's bytes, without its line break (and carriage return).
    struct Line {
        var bytes: UnsafeBufferPointer<UInt8>

        var trimmed: UnsafeBufferPointer<UInt8> {
            var (start, end) = (0, bytes.count)
            while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
            while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
            return UnsafeBufferPointer(rebasing: bytes[start..<end])
        }
        var isBlank: Bool { trimmed.isEmpty }
        var text: String { String(decoding: trimmed, as: UTF8.self) }
        var wordCount: Int { trimmed.split(separator: 0x20).count }
        /// At most eight words and no sentence's closing "!" or "?".
        var isShort: Bool { wordCount <= 8 && trimmed.last != 0x21 && trimmed.last != 0x3F }
    }

    /// The first line of the signature, and whether it is a trailing block found without a delimiter or a
    /// sign-off (whose lines are then only taken when short: a last paragraph may be the complaint itself,
    /// "My parcel never came to 12 High Street!"). Nil when there is no signature to read.
    static func signatureStart(_ lines: ArraySlice<Line>, anywhere: Bool) -> (Int, Bool)? {
        if let delimiter = lines.firstIndex(where: { $0.bytes.elementsEqual("-- ".utf8) || $0.bytes.elementsEqual("--".utf8) }) {
            return (delimiter + 1, false)
        }
        let nonEmpty = lines.indices.filter { !lines[$0].isBlank }
        guard let last = nonEmpty.last else { return nil }
        // Sign-offs are short: longer lines are not made text to be looked up.
        for k in anywhere ? nonEmpty[...] : nonEmpty.suffix(10) where lines[k].bytes.count <= 24
            && ReplyStripper.isSignOffLine(lines[k].trimmed)
        {
            return (k + 1, false)
        }
        // A last paragraph of two to six lines opening with a name (a few words, no digit).
        var first = last
        while first > lines.startIndex, !lines[first - 1].isBlank { first -= 1 }
        guard first > lines.startIndex, (1...5).contains(last - first), lines[first].wordCount <= 4,
            !lines[first].bytes.contains(where: isDigit)
        else { return nil }
        return (first + 1, true)
    }

    static let maxSignatureLines = 12

    /// The lines of a whole message before its quoted reply ("On ... wrote:", "> ...", Outlook's
    /// "-----Original Message-----"): the customer's own, where a signature without a sign-off ends.
    static func ownLines(_ lines: [Line]) -> Int {
        lines.firstIndex { line in
            let trimmed = line.trimmed
            guard let first = trimmed.first, first == 0x3E || first | 0x20 == 0x6F || first == 0x2D else { return false }
            let lower = line.text.lowercasedOnBytes()
            return first == 0x3E || (lower.hasPrefix("on ") && lower.hasSuffix("wrote:")) || lower.hasPrefix("-----original message")
        } ?? lines.count
    }

    /// A street line ("221B Baker Street", "Hauptstraße 5", "Suite 400, 1 Main St."), a post office box, or
    /// a postal code with its town ("London NW1 6XE", "San Francisco, CA 94105", "10115 Berlin"). Words are
    /// runs of ASCII letters and digits and of any byte above ASCII; addresses are short lines.
    static func looksLikeAddress(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard line.count <= 80 else { return false }
        // Words as ranges, compared without making Strings (a String per word was 9,000 instructions a line).
        var words: [Range<Int>] = []
        words.reserveCapacity(12)
        var k = 0
        while k < line.count, words.count <= 12 {
            guard isWordByte(line[k]) else {
                k += 1
                continue
            }
            let start = k
            while k < line.count, isWordByte(line[k]) { k += 1 }
            words.append(start..<k)
        }
        guard words.count >= 2, words.count <= 12 else { return false }
        func word(_ range: Range<Int>, is text: [UInt8]) -> Bool {
            range.count == text.count && zip(line[range], text).allSatisfy { $0.asciiLowercased == $1 }
        }
        func ends(_ range: Range<Int>, with text: [UInt8]) -> Bool {
            range.count >= text.count && zip(line[(range.upperBound - text.count)..<range.upperBound], text).allSatisfy { $0.asciiLowercased == $1 }
        }
        if words.contains(where: { isDigit(line[$0.lowerBound]) }) {
            for range in words where range.count >= 2 && !isDigit(line[range.lowerBound]) {
                if streetWords.contains(where: { word(range, is: $0) }) || germanStreetEndings.contains(where: { ends(range, with: $0) }) {
                    return true
                }
            }
        }
        if word(words[0], is: po), word(words[1], is: box) { return true }
        if words.count >= 3, word(words[0], is: p), word(words[1], is: o), word(words[2], is: box) { return true }
        return hasPostalCode(line)
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    @inline(__always) static func isUpper(_ b: UInt8) -> Bool { b >= 0x41 && b <= 0x5A }
    @inline(__always) static func isWordByte(_ b: UInt8) -> Bool { isDigit(b) || b | 0x20 >= 0x61 && b | 0x20 <= 0x7A || b >= 0x80 }

    /// Words compared with every word of a signature line, made once (four arrays a line were a tenth of
    /// this function).
    static let germanStreetEndings: [[UInt8]] = [Array("straße".utf8), Array("strasse".utf8)]
    static let (po, box, p, o) = (Array("po".utf8), Array("box".utf8), Array("p".utf8), Array("o".utf8))

    static let streetWords: [[UInt8]] = [
        "street", "st", "road", "rd", "avenue", "ave", "av", "lane", "ln", "drive", "dr", "boulevard", "blvd", "way", "place", "pl",
        "court", "ct", "square", "sq", "terrace", "close", "crescent", "highway", "hwy", "parkway", "pkwy", "suite", "ste",
        "str", "weg", "platz", "allee", "gasse", "rue", "chemin", "via", "viale", "piazza", "calle", "avenida", "carrer", "plaza",
    ].map { Array($0.utf8) }

    /// A UK postcode ("NW1 6XE"), a US state and ZIP ("CA 94105", "CA 94105-1234"), or five digits beside a
    /// capitalised word ("10115 Berlin", "75001 Paris"). Words here are split at spaces, tabs and commas.
    static func hasPostalCode(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        typealias Word = Slice<UnsafeBufferPointer<UInt8>>
        let words = line.split { $0 == 0x20 || $0 == 0x2C || $0 == 0x09 || $0 == 0x0D }
        let none: Word = line[0..<0]
        for (k, word) in words.enumerated() {
            let next = k + 1 < words.count ? words[k + 1] : none
            if isUKOutward(word), isUKInward(next) { return true }
            if word.count == 2, word.allSatisfy(isUpper), isZIP(next) { return true }
            if word.count == 5, word.allSatisfy(isDigit) {
                for neighbour in [k > 0 ? words[k - 1] : none, next] where neighbour.count > 1 && isUpper(neighbour.first!)
                    && neighbour.dropFirst().allSatisfy({ $0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A || $0 >= 0x80 })
                {
                    return true
                }
            }
        }
        return false
    }

    /// "NW1", "M1", "EC1A", "B33": one or two capitals, a digit, then a digit or a capital at most.
    static func isUKOutward(_ word: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        guard (2...4).contains(word.count), word.allSatisfy({ isUpper($0) || isDigit($0) }) else { return false }
        let letters = word.prefix(while: isUpper).count
        return (1...2).contains(letters) && letters < word.count && isDigit(word[word.startIndex + letters]) && word.count - letters <= 2
    }

    /// "6XE": a digit and two capitals.
    static func isUKInward(_ word: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        word.count == 3 && isDigit(word[word.startIndex]) && isUpper(word[word.startIndex + 1]) && isUpper(word[word.startIndex + 2])
    }

    static func isZIP(_ word: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        (word.count == 5 && word.allSatisfy(isDigit))
            || (word.count == 10 && word.prefix(5).allSatisfy(isDigit) && word[word.startIndex + 5] == 0x2D && word.suffix(4).allSatisfy(isDigit))
    }
}
