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

    /// The reader each fuzz target drives, and every file name it gives inputs (the input's first byte picks
    /// one; a finding is replayed under all of them, so it keeps its value when that choice changes).
    static func reader(for finding: String) -> (any FeedbackReader, [String])? {
        var searchLimits = IngestLimits()
        searchLimits.maxSearchesPerRow = recordsPerByte(finding)
        return switch finding.prefix(while: { $0 != "-" }) {
        case "FuzzSurveyCSV": (SurveyReader(), ["responses.csv", "responses.json"])
        case "FuzzMailbox": (MailboxReader(), ["inbox.mbox", "message.eml"])
        case "FuzzChatJSON": (ChatTranscriptReader(), ["chats.json", "chats.jsonl"])
        case "FuzzChatText": (ChatTranscriptReader(), ["chats.txt", "tweets.csv"])
        case "FuzzFeeds": (CommunityReader(), ["topic.json", "feed.xml"])
        case "FuzzForumHTML": (CommunityReader(), ["thread.html"])
        case "FuzzSearchLog": (SiteSearchLogReader(limits: searchLimits), ["searches.jsonl", "terms.csv", "searches.tsv"])
        default: nil
        }
    }

    /// As in the fuzz targets: one record per input byte, except search-terms rows (capped at 100 there).
    static func recordsPerByte(_ finding: String) -> Int { finding.hasPrefix("FuzzSearchLog") ? 100 : 1 }

    @Test func thereAreFindingsToReplay() {
        #expect(Self.findings.count >= 2)
    }

    @Test(arguments: findings)
    func replay(_ finding: String) throws {
        let data = try Data(contentsOf: Self.directory.appendingPathComponent(finding))
        guard let (reader, paths) = Self.reader(for: finding) else {
            Issue.record("\(finding): no reader for this fuzz target")
            return
        }
        for path in paths { check(reader, SourceFile(path: path, data: data), finding) }
    }

    func check(_ reader: some FeedbackReader, _ file: SourceFile, _ finding: String) {
        let data = file.data
        var records = 0
        for event in reader.read(file) {
            records += 1
            switch event {
            case .feedback(let feedback):
                #expect(!feedback.externalID.isEmpty, "\(finding): feedback without a natural id")
                #expect(feedback.text.utf8.count <= IngestLimits().maxMessageBytes)
            case .rejected(let rejection):
                #expect(!rejection.reason.isEmpty && !rejection.reason.contains("\n"), "\(finding): \(rejection.reason.debugDescription)")
            }
        }
        #expect(records <= data.count * Self.recordsPerByte(finding) + 1)
    }
}
