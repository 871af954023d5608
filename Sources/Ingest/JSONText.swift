import Foundation

/// Text written as JSON by hand, where a line is built field by field (`voc score --format jsonl`, the sample
/// corpus's chat transcripts) rather than through an encoder.
public enum JSONText {
    /// `text` as a JSON string literal (RFC 8259 section 7): quotation marks, backslashes and every control
    /// character escaped, everything else as it is.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
