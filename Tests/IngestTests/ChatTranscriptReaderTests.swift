import Foundation
import Ingest
import Testing

@Suite struct ChatTranscriptReaderTests {
    let reader = ChatTranscriptReader()

    static let jsonl = """
        {"id":"c1","customer":{"id":"u1"},"status":"resolved","turns":[{"role":"bot","time":"2026-11-16T10:00:00Z","text":"Hi!"},{"role":"customer","time":"2026-11-16T10:00:30Z","text":"My bag is lost"},{"role":"agent","time":"2026-11-16T10:20:00Z","text":"Found it"}]}
        {"id":"c2","turns":[{"role":"customer","time":"2026-11-16T11:00:00Z","te
        {"id":"c3","turns":[{"role":"customer","time":"not a time","text":"x"}]}

        """

    @Test func genericJSONLines() {
        let events = ReaderVerifier.events(reader, Self.jsonl, path: "chats.jsonl")
        let feedback = ReaderVerifier.feedback(events)
        #expect(feedback.map(\.externalID) == ["c1#1", "c1#2", "c1#3"])
        #expect(feedback.map(\.role) == [.bot, .customer, .agent])
        #expect(feedback.filter(\.isCustomerVoice).map(\.text) == ["My bag is lost"])
        #expect(feedback[1].outcome == .resolvedFast)
        #expect(feedback[0].customer == nil && feedback[1].customer != nil)
        #expect(ReaderVerifier.rejections(events).map(\.description) == [
            "chats.jsonl: line 2: not valid JSON",
            "chats.jsonl: line 3: conversation c3 turn 1 has an unparseable time",
        ])
    }

    @Test func intercomLikeExport() {
        let json = #"{"type":"conversation","id":"ic9","created_at":1763287200,"state":"open","source":{"body":"<p>App <b>crashes</b></p>","author":{"type":"user","id":"u7"}},"conversation_parts":{"conversation_parts":[{"part_type":"comment","body":"<p>Sorry!</p>","created_at":1763287260,"author":{"type":"admin","name":"Sam"}}]}}"#
        let feedback = ReaderVerifier.feedback(ReaderVerifier.events(reader, json + "\n", path: "intercom.jsonl"))
        #expect(feedback.map(\.text) == ["App crashes", "Sorry!"])
        #expect(feedback.map(\.role) == [.customer, .agent])
        #expect(feedback[0].outcome == .unresolved)
    }

    @Test func zendeskLikeExport() {
        let json = #"{"id":"z1","visitor":{"name":"Vi","id":"v1"},"history":[{"type":"chat.msg","name":"Vi","msg":"Where is my refund?","timestamp":"2026-11-16T10:00:00Z"},{"type":"chat.msg","name":"Agent Al","sender_type":"agent","msg":"Checking","timestamp":"2026-11-16T10:01:00Z"}]}"#
        let feedback = ReaderVerifier.feedback(ReaderVerifier.events(reader, json + "\n", path: "zendesk.jsonl"))
        #expect(feedback.map(\.role) == [.customer, .agent])
    }

    /// A tweet export missing a needed column: every line is quarantined with the reason.
    @Test func aTweetExportWithoutItsColumnsQuarantinesEveryLine() {
        let csv = "tweet_id,author_id,created_at,text,in_response_to_tweet_id\n1,a,Tue Oct 31 22:10:47 +0000 2017,hi,\n"
        let broken = csv.replacingOccurrences(of: "created_at", with: "posted")
        let events = ReaderVerifier.events(reader, broken, path: "twcs.csv")
        #expect(ReaderVerifier.feedback(events).isEmpty)
        #expect(ReaderVerifier.rejections(events).map(\.source.position) == ["line 1", "line 2"])
        #expect(ReaderVerifier.feedback(ReaderVerifier.events(reader, csv, path: "twcs.csv")).count == 1)
    }

    @Test func plainTextTranscripts() {
        let text = "[2026-11-16 10:00] Anna: my parcel is late\n[2026-11-16 10:01] Support Agent: sorry about that\n\n[2026-11-17 09:00] Bo: app crashes\n"
        let feedback = ReaderVerifier.feedback(ReaderVerifier.events(reader, text, path: "chat.txt"))
        #expect(feedback.map(\.text) == ["my parcel is late", "sorry about that", "app crashes"])
        #expect(feedback.map(\.role) == [.customer, .agent, .customer])
        #expect(Set(feedback.map(\.conversation)).count == 2)
    }

    /// Times alone take their date from the last full stamp above them, else from the file name; a line
    /// that cannot be read is quarantined with its number and reason.
    @Test func plainTextTranscriptsWithTimesAloneAndBadLines() {
        let text = "[10:05 AM] Customer: my parcel is late\n[10:06 AM] Agent Sam: checking\n\n[2026-11-21 09:00] Customer: still late\n"
            + "[9:30 pm] Customer: hello?\n[yesterday] Customer: broken stamp\n[10:07] no colon here\n"
        let events = ReaderVerifier.events(reader, text, path: "chat-2026-11-20.txt")
        let feedback = ReaderVerifier.feedback(events)
        #expect(feedback.map(\.text) == ["my parcel is late", "checking", "still late", "hello?"])
        #expect(feedback.map { DateParsing.isoString($0.timestamp) } == [
            "2026-11-20T10:05:00Z", "2026-11-20T10:06:00Z", "2026-11-21T09:00:00Z", "2026-11-21T21:30:00Z",
        ])
        #expect(ReaderVerifier.rejections(events).map(\.description) == [
            "chat-2026-11-20.txt: line 6: unreadable time \"yesterday\"",
            "chat-2026-11-20.txt: line 7: no \"Name:\" after the time",
        ])
        let undated = ReaderVerifier.events(reader, "[10:05] Customer: hi\n", path: "chat.txt")
        #expect(ReaderVerifier.feedback(undated).isEmpty)
        #expect(ReaderVerifier.rejections(undated).first?.reason.contains("without a date") == true)
        let orphan = ReaderVerifier.events(reader, "Exported by HelpDesk\n[2026-11-20 10:05] Customer: hi\n", path: "chat.txt")
        #expect(ReaderVerifier.rejections(orphan).map(\.description) == ["chat.txt: line 1: not a transcript line ([time] Name: text)"])
        #expect(ReaderVerifier.feedback(orphan).map(\.text) == ["hi"])
    }

    @Test func concatenation() {
        let lines = Self.jsonl.split(separator: "\n").map(String.init)
        ReaderVerifier.checkConcatenation(reader, lines[0] + "\n", lines[2] + "\n", joined: lines[0] + "\n" + lines[2] + "\n", path: "c.jsonl")
    }

    @Test func hostileInputs() { ReaderVerifier.checkHostile(reader, path: "h.jsonl") }

    static let tweets = """
        tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id
        2,AirlineSupport,False,Tue Nov 17 10:05:00 +0000 2026,"@ann_t sorry, DM us your booking",3,1
        1,ann_t,True,Tue Nov 17 10:00:00 +0000 2026,@AirlineSupport my bag is lost again,2,
        3,ann_t,True,Tue Nov 17 10:20:00 +0000 2026,"@AirlineSupport done, still no answer",,2
        4,bob,True,Wed Nov 18 09:00:00 +0000 2026,@AirlineSupport refund please,,
        5,bob,True,not a date,@AirlineSupport hello,,

        """

    /// Replies are followed to the thread's first tweet; turns come in time order whatever the row order.
    @Test func twitterSupportThreads() {
        let events = ReaderVerifier.events(reader, Self.tweets, path: "twcs.csv")
        let feedback = ReaderVerifier.feedback(events)
        #expect(feedback.map(\.externalID) == ["tw:1", "tw:2", "tw:3", "tw:4"])
        #expect(feedback.map(\.conversation) == ["tw:1", "tw:1", "tw:1", "tw:4"])
        #expect(feedback.map(\.role) == [.customer, .agent, .customer, .customer])
        #expect(feedback[0].customer != nil && feedback[0].customer == feedback[2].customer && feedback[1].customer == nil)
        #expect(ReaderVerifier.rejections(events).map(\.description) == ["twcs.csv: line 6: unparseable created_at \"not a date\""])
        #expect(reader.accepts(SourceFile(path: "twcs.csv", data: Data(Self.tweets.utf8))))
        #expect(!SurveyReader().accepts(SourceFile(path: "twcs.csv", data: Data(Self.tweets.utf8))))
    }

    /// Without an `inbound` column, the configured agent handles tell agents from customers.
    @Test func twitterThreadsWithoutInboundUseAgentNames() {
        let csv = "id,author,created_at,text,in_reply_to\n1,ann,2026-11-17T10:00:00Z,late again,\n2,@ShopHelp,2026-11-17T10:01:00Z,sorry,1\n"
        let feedback = ReaderVerifier.feedback(ReaderVerifier.events(ChatTranscriptReader(agentNames: ["shophelp"]), csv, path: "x.csv"))
        #expect(feedback.map(\.role) == [.customer, .agent])
    }

    @Test func hostileTweetExports() { ReaderVerifier.checkHostile(reader, path: "h.csv") }
}
