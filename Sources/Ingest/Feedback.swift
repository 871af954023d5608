public import Foundation

/// One piece of customer voice: a survey comment, an email, a chat turn, a community post or a failed search.
public struct Feedback: Sendable, Hashable, Codable {
    public let channel: Channel
    /// Where it came from, precise enough to find it again.
    public var source: SourceRef
    /// The source's natural id (Message-ID, response id + column, conversation id + turn), else a content hash.
    public let externalID: String
    /// Stable id: the same channel and natural id always give the same id, whichever file or run it came from.
    /// Stored, not computed: a hash per access was a twentieth of the analysis.
    public let id: String
    public var timestamp: Date
    /// Optional salted hash of the customer's id or address, the same across channels.
    public var customer: String?
    public var scores: Scores
    /// Annual value of this customer where the source knows it (overrides the configured average).
    public var customerValue: Double?
    public var role: SpeakerRole?
    /// What the customer wrote this time (quotes and signatures stripped, personal data redacted).
    public var text: String
    /// ISO 639-1 code, or `und` when it cannot be told.
    public var language: String
    /// Set when the record is kept but is not customer voice (auto-reply, bounce, agent turn, ...).
    public var setAside: String?
    /// Conversation or thread this belongs to, when the channel has them.
    public var conversation: String?
    public var outcome: Outcome?
    /// The whole raw record as received (e.g. the full email), kept for audit; redacted like `text`.
    public var raw: String?
    /// Attachment names and types, recorded but never analysed.
    public var attachments: [String]

    public init(
        channel: Channel, source: SourceRef, externalID: String, timestamp: Date, text: String,
        customer: String? = nil, scores: Scores = Scores(), customerValue: Double? = nil, role: SpeakerRole? = nil,
        language: String = "und", setAside: String? = nil, conversation: String? = nil, outcome: Outcome? = nil,
        raw: String? = nil, attachments: [String] = []
    ) {
        self.channel = channel
        self.source = source
        self.externalID = externalID
        id = Digest.hex(Digest.sha256(channel.rawValue, 0x1F, externalID), bytes: 10)
        self.timestamp = timestamp
        self.text = text
        self.customer = customer
        self.scores = scores
        self.customerValue = customerValue
        self.role = role
        self.language = language
        self.setAside = setAside
        self.conversation = conversation
        self.outcome = outcome
        self.raw = raw
        self.attachments = attachments
    }

    /// The ISO week of the record in UTC; the store counts weeks in its zone (`Week(containing:in:)`).
    public var week: Week { Week(containing: timestamp) }

    /// True when the later stages should analyse this record as customer voice.
    public var isCustomerVoice: Bool { setAside == nil && (role == nil || role == .customer) }
}

/// Survey and review scores, each optional.
public struct Scores: Sendable, Hashable, Codable {
    /// Net Promoter likelihood, 0-10.
    public var nps: Int?
    /// Customer satisfaction, 1-5.
    public var csat: Int?
    /// Star rating, 1-5 (fractions allowed).
    public var rating: Double?

    public init(nps: Int? = nil, csat: Int? = nil, rating: Double? = nil) {
        self.nps = nps
        self.csat = csat
        self.rating = rating
    }
}

/// A file and a position inside it: `line 12`, `byte 4096`, `message 3 <id@host>`, `record 7`.
public struct SourceRef: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var position: String

    public init(file: String, position: String) {
        self.file = file
        self.position = position
    }

    public var description: String { "\(file): \(position)" }
}
