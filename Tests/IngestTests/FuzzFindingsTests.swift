import Foundation
import Ingest
import Testing

/// Every input the fuzzers in Fuzz/ found a problem with, kept as a file named after its target, read
/// again with the invariants the fuzz targets check (Fuzz/Sources/FuzzSupport/Invariants.swift).
@Suite struct FuzzFindingsTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("FuzzFindings")

    static var findings: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
    }

    /// The reader and file name each fuzz target uses (the first byte picks among sibling formats).
    static func reader(for finding: String, first: UInt8?) -> (any FeedbackReader, String)? {
        switch finding.prefix(while: { $0 != "-" }) {
        case "FuzzSurveyCSV": (SurveyCSVReader(), "responses.csv")
        case "FuzzMailbox": (MailboxReader(), first == UInt8(ascii: "F") ? "inbox.mbox" : "message.eml")
        case "FuzzChatJSON": (ChatTranscriptReader(), first == UInt8(ascii: "[") ? "chats.json" : "chats.jsonl")
        case "FuzzChatText": (ChatTranscriptReader(), "chats.txt")
        case "FuzzFeeds": (CommunityReader(), first == UInt8(ascii: "{") ? "topic.json" : "feed.xml")
        case "FuzzForumHTML": (CommunityReader(), "thread.html")
        case "FuzzSearchLog":
            (SiteSearchLogReader(), first == UInt8(ascii: "{") ? "searches.jsonl" : first == UInt8(ascii: "q") ? "terms.csv" : "searches.tsv")
        default: nil
        }
    }

    @Test func thereAreFindingsToReplay() {
        #expect(Self.findings.count >= 2)
    }

    @Test(arguments: findings)
    func replay(_ finding: String) throws {
        let data = try Data(contentsOf: Self.directory.appendingPathComponent(finding))
        let first = data.first { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }
        guard let (reader, path) = Self.reader(for: finding, first: first) else {
            Issue.record("\(finding): no reader for this fuzz target")
            return
        }
        var records = 0
        for event in reader.read(SourceFile(path: path, data: data)) {
            records += 1
            switch event {
            case .feedback(let feedback):
                #expect(!feedback.externalID.isEmpty, "\(finding): feedback without a natural id")
                #expect(feedback.text.utf8.count <= IngestLimits().maxMessageBytes)
            case .rejected(let rejection):
                #expect(!rejection.reason.isEmpty && !rejection.reason.contains("\n"), "\(finding): \(rejection.reason.debugDescription)")
            }
        }
        #expect(records <= data.count + 1)
    }
}
