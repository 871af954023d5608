import Foundation

/// Decodes bytes in a MIME charset, through an alias table, with a clear fallback for unknown names:
/// valid UTF-8 is taken as UTF-8, anything else as windows-1252 (which maps every byte).
enum Charsets {
    /// Foundation / CoreFoundation encoding numbers; on Linux these go through the same converters.
    static let table: [String: UInt] = {
        var t: [String: UInt] = [
            "utf-8": 4, "utf8": 4, "us-ascii": 1, "ascii": 1, "ansi_x3.4-1968": 1, "646": 1,
            "iso-8859-1": 5, "latin1": 5, "l1": 5, "iso_8859-1": 5, "cp819": 5,
            "windows-1250": 15, "cp1250": 15, "windows-1251": 11, "cp1251": 11, "windows-1252": 12, "cp1252": 12,
            "windows-1253": 13, "windows-1254": 14, "koi8-r": 0x8000_0A02, "koi8-u": 0x8000_0A08,
            "utf-16": 10, "utf-16le": 0x9400_0100, "utf-16be": 0x9000_0100,
            "gb2312": 0x8000_0631, "gbk": 0x8000_0631, "big5": 0x8000_0A03, "shift_jis": 0x8000_0A01,
            "euc-jp": 0x8000_0920, "euc-kr": 0x8000_0940, "iso-2022-jp": 0x8000_0820,
            "latin2": 0x8000_0202, "latin9": 0x8000_020F, "latin-9": 0x8000_020F,
        ]
        for n in 1...16 where n != 12 {
            t["iso-8859-\(n)"] = 0x8000_0200 + UInt(n)
            t["iso8859-\(n)"] = 0x8000_0200 + UInt(n)
            t["iso_8859-\(n)"] = 0x8000_0200 + UInt(n)
        }
        t["iso-8859-1"] = 5
        return t
    }()

    /// Decoded text and whether the declared charset was honoured.
    static func decode(_ bytes: [UInt8], charset: String?) -> (text: String, known: Bool) {
        let name = (charset ?? "us-ascii").trimmingSpaces().lowercasedOnBytes()
            .trimming("\"'")
        if name == "utf-8" || name == "utf8" || name == "us-ascii" || name == "ascii" {
            if let text = bytes.withUnsafeBufferPointer(utf8) { return (text, true) }
            return (fallback(bytes), false)
        }
        if let raw = table[name] {
            if raw == String.Encoding.isoLatin1.rawValue { return (latin1(bytes), true) }
            if let text = String(data: Data(bytes), encoding: String.Encoding(rawValue: raw)) { return (text, true) }
        }
        return (fallback(bytes), false)
    }

    /// Valid UTF-8 as text, else nil. ASCII (most header values and bodies) skips `String(validating:)`,
    /// a generic call that looks up its metadata on every use (4% of the mail reader's time).
    static func utf8(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        bytes.isASCII ? String(decoding: bytes, as: UTF8.self) : String(validating: bytes, as: UTF8.self)
    }

    /// ISO-8859-1: each byte is the scalar of its value. Written out, because Foundation's converter cost 6,500
    /// instructions for a ten-letter encoded word (French subjects are full of them).
    static func latin1(_ bytes: [UInt8]) -> String {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(bytes.count * 2)
        for b in bytes {
            if b < 0x80 {
                utf8.append(b)
            } else {
                utf8.append(0xC0 | b >> 6)
                utf8.append(0x80 | b & 0x3F)
            }
        }
        return String(decoding: utf8, as: UTF8.self)
    }

    static func fallback(_ bytes: [UInt8]) -> String {
        if let text = bytes.withUnsafeBufferPointer(utf8) { return text }
        return String(data: Data(bytes), encoding: .windowsCP1252) ?? String(decoding: bytes, as: UTF8.self)
    }

    /// windows-1252 text; its five unassigned bytes (which Foundation refuses) as U+FFFD, the runs between
    /// them decoded whole.
    static func windows1252(_ bytes: [UInt8]) -> String {
        if let text = String(data: Data(bytes), encoding: .windowsCP1252) { return text }
        let unassigned: Set<UInt8> = [0x81, 0x8D, 0x8F, 0x90, 0x9D]
        return bytes.split(omittingEmptySubsequences: false, whereSeparator: unassigned.contains)
            .map { String(data: Data($0), encoding: .windowsCP1252) ?? "\u{FFFD}" }
            .joined(separator: "\u{FFFD}")
    }
}
