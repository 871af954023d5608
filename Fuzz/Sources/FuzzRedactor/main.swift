import FuzzSupport
import Ingest

let redactor = Redactor()

/// libFuzzer entry: any bytes (decoded as UTF-8 with repairs, as readers hand text over) are redacted.
/// Redaction works line by line and replaces whole words or runs of words on one line, so it keeps every
/// line break, never grows a line that had nothing to redact, and a second pass finds nothing new to hide
/// in a number or address (placeholders hold no digits and no '@').
fuzz { input in
    let text = String(decoding: input, as: UTF8.self)
    let once = redactor.redact(text)
    require(once.utf8.count(where: { $0 == 0x0A }) == text.utf8.count(where: { $0 == 0x0A }), "line breaks changed")
    for (line, redacted) in zip(text.split(separator: "\n", omittingEmptySubsequences: false),
                                once.split(separator: "\n", omittingEmptySubsequences: false))
    where !line.utf8.contains(where: { $0 == 0x40 || ($0 >= 0x30 && $0 <= 0x39) || $0 >= 0x80 }) {
        require(line == redacted, "a line with no '@', digit or non-ASCII byte changed")
    }
    require(redactor.redact(once) == once, "a second pass changed the redacted text")
}
