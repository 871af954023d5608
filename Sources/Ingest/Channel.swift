/// Where a piece of customer voice came from.
public enum Channel: String, CaseIterable, Sendable, Codable, Comparable {
    case survey, email, chat, community, search

    public static func < (lhs: Channel, rhs: Channel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Who spoke, for channels with turns (chats) or replies (emails, community threads).
public enum SpeakerRole: String, Sendable, Codable {
    case customer, agent, bot, system
}

/// How a contact ended, where the source says so (chat and ticket status); drives the loyalty model.
public enum Outcome: String, Sendable, Codable, CaseIterable {
    case unresolved, resolved, resolvedFast = "resolved_fast"
}
