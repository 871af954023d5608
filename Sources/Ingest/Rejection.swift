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
