/// A record that could not be read. It names where and why; its raw bytes go to quarantine, never to a log.
public struct Rejection: Sendable, Hashable, Error, CustomStringConvertible {
    public var source: SourceRef
    /// One line, no customer text.
    public var reason: String
    public var raw: [UInt8]
    public var channel: Channel?

    public init(source: SourceRef, reason: String, raw: [UInt8], channel: Channel?) {
        self.source = source
        self.reason = reason
        self.raw = raw
        self.channel = channel
    }

    public var description: String { "\(source): \(reason)" }
}

/// What a reader yields for each record.
public enum ReaderEvent: Sendable {
    case feedback(Feedback)
    case rejected(Rejection)
}

extension Rejection {
    /// A short, quoted, one-line excerpt of an offending value for a reason: control, bidi and zero-width
    /// characters are escaped, so a hostile value can neither break a log line nor reorder a terminal's text.
    public static func excerpt(_ value: some StringProtocol, limit: Int = 40) -> String {
        "\"" + escaped(value, limit: limit) + (value.dropFirst(limit).isEmpty ? "\"" : "…\"")
    }

    /// The same escaping without quotes, for values that become part of a position (a Message-ID).
    public static func escaped(_ value: some StringProtocol, limit: Int = 120) -> String {
        // Most values (every Message-ID in a mailbox's positions) are short printable ASCII and come back as
        // they are; walking them by Character and scalar was 2% of mail ingest.
        func printable(_ b: UInt8) -> Bool { b >= 0x20 && b < 0x7F && b != 0x22 && b != 0x5C }
        let plain = value.utf8.withContiguousStorageIfAvailable { $0.count <= limit && $0.allSatisfy(printable) }
            ?? (value.utf8.count <= limit && value.utf8.allSatisfy(printable))
        if plain { return String(value) }
        var out = ""
        for scalar in value.prefix(limit).unicodeScalars {
            switch scalar.value {
            case 0x20..<0x7F where scalar != "\"" && scalar != "\\": out.unicodeScalars.append(scalar)
            case 0..<0x20, 0x7F...0x9F, 0x200B...0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF, 0x22, 0x5C:
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
