import FuzzSupport
import Ingest

let redactor = Redactor()

/// libFuzzer entry: any bytes (decoded as UTF-8 with repairs, as readers hand text over) are redacted.
/// Redaction works line by line and replaces whole words or runs of words on one line, so it keeps every
/// line break, never changes a line that has nothing a rule starts from ('@', a digit, a non-ASCII byte,
/// or for spelled addresses a bracketed "at" or the word "dot"), and a second pass finds nothing new to
/// hide (placeholders hold no digits, no '@' and no "at" or "dot").
fuzz { input in
    let text = String(decoding: input, as: UTF8.self)
    let once = redactor.redact(text)
    require(once.utf8.count(where: { $0 == 0x0A }) == text.utf8.count(where: { $0 == 0x0A }), "line breaks changed")
    for (line, redacted) in zip(text.split(separator: "\n", omittingEmptySubsequences: false),
                                once.split(separator: "\n", omittingEmptySubsequences: false))
    where !line.utf8.contains(where: { $0 == 0x40 || ($0 >= 0x30 && $0 <= 0x39) || $0 >= 0x80 }) && !spellsAnAddress(line) {
        require(line == redacted, "a line with no '@', digit, non-ASCII byte, bracketed 'at' or 'dot' changed")
    }
    require(redactor.redact(once) == once, "a second pass changed the redacted text")
}

/// A bracketed "at" ("(at", "[AT", "{at", "<at") or "dot" anywhere, in any case: where spelled addresses start.
func spellsAnAddress(_ line: Substring) -> Bool {
    let lower = line.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
    for k in lower.indices where k + 2 < lower.count {
        if [0x28, 0x5B, 0x7B, 0x3C].contains(lower[k]), lower[k + 1] == 0x61, lower[k + 2] == 0x74 { return true }
        if lower[k] == 0x64, lower[k + 1] == 0x6F, lower[k + 2] == 0x74 { return true }
    }
    return false
}
