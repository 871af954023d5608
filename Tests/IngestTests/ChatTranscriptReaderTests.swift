import Foundation
@testable import Ingest
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

    /// A slash date that reads either way follows the file's other stamps (a day over 12 in either place),
    /// or the configured order, else month first.
    @Test func plainTranscriptSlashDatesFollowTheFile() {
        func dates(_ text: String, _ reader: ChatTranscriptReader = ChatTranscriptReader()) -> [String] {
            ReaderVerifier.feedback(ReaderVerifier.events(reader, text, path: "chat.txt")).map { String(DateParsing.isoString($0.timestamp).prefix(10)) }
        }
        let european = "[05/12/2026 10:05] Anna: my parcel is late\n\n[18/11/2026 09:00] Bo: app crashes\n"
        #expect(dates(european) == ["2026-12-05", "2026-11-18"])
        let american = "[05/12/2026 10:05] Anna: my parcel is late\n\n[11/18/2026 09:00] Bo: app crashes\n"
        #expect(dates(american) == ["2026-05-12", "2026-11-18"])
        let unsaid = "[05/12/2026 10:05] Anna: my parcel is late\n"
        #expect(dates(unsaid) == ["2026-05-12"])
        #expect(dates(unsaid, ChatTranscriptReader(dateOrder: .dayFirst)) == ["2026-12-05"])
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

/// The generic shape's direct reading (`ChatJSON.genericConversation`) against the object-graph reading
/// it stands in for: every line it reads comes out the same, and every line it leaves (another shape, a
/// value of another type, a broken field or document) is left to the general path.
@Suite struct GenericChatLineTests {
    static let turn = #"{"role":"customer","time":"2026-11-16T10:00:30Z","text":"My bag is lost"}"#

    /// Lines the direct reading reads, and lines it leaves (`false`).
    static let lines: [(String, Bool)] = [
        (#"{"id":"c1","customer":{"id":"u1"},"status":"resolved","turns":[{"role":"bot","time":"2026-11-16T10:00:00Z","text":"Hi!"},\#(turn),{"role":"agent","author":"Sam","time":"2026-11-16T10:20:00Z","text":"Found it"}]}"#, true),
        (#"{"id":"c2","customer_id":"u2","status":"open","turns":[\#(turn)]}"#, true),
        (#"{"id":"c3","customer":{"id":"","email":"a@b.c"},"customer_id":"u3","turns":[\#(turn)]}"#, true),
        (#"{"id":"c4","customer":{"name":"x"},"customer_id":"u4","turns":[\#(turn)]}"#, true),
        (#"{"id":"first","turns":[],"id":"last","status":"closed","turns":[\#(turn)],"customer":{"id":"a"},"customer":{"email":"b@c.d"}}"#, true),
        (#"{"id":"c6","tags":["x",{"y":[1,2.5e3,-0.5,null,true,false]}],"meta":{},"turns":[{"x":{"deep":[[]]},"text":"t","time":"2026-11-16T10:00:30Z"}]}"#, true),
        (#"{"id":"c7","turns":[{"text":"line\nbreak \"quoted\" \u00e9 \ud83d\ude00 caf\#u{E9}","time":"2026-11-16T10:00:30Z"}]}"#, true),
        (#"{"id":"c8","turns":[{"timestamp":"2026-11-16T10:00:30Z","text":"a"},{"timestamp":"2026-11-16T09:00:00Z","time":"2026-11-16T11:00:00Z","text":"b"}]}"#, true),
        (#"{"id":"c9","turns":[{"role":"AGENT","text":"a","time":"2026-11-16T10:00:30Z"},{"role":"supervisor","text":"b","time":"2026-11-16T10:00:31Z"}]}"#, true),
        (#"  {"id":"c10","turns":[]}  "#, true),
        (#"{"id":"c11","status":"resolved","turns":[{"text":"","time":"2026-11-16T10:00:30Z"},{"text":"x","time":"2026-11-16T12:00:30Z"}]}"#, true),
        (#"{"id":"c12","customer":"u12","turns":[\#(turn)]}"#, false),
        (#"{"id":42,"turns":[\#(turn)]}"#, false),
        (#"{"id":"","turns":[\#(turn)]}"#, false),
        (#"{"id":"c15","turns":[{"time":"2026-11-16T10:00:30Z"}]}"#, false),
        (#"{"id":"c16","turns":[{"text":"x","time":"not a time"}]}"#, false),
        (#"{"id":"c17","turns":[{"text":"x","time":1763287260}]}"#, false),
        (#"{"id":"c18","status":3,"turns":[\#(turn)]}"#, false),
        (#"{"id":"c19","turns":{"a":1}}"#, false),
        (#"{"id":"c20"}"#, false),
        (#"{"id":"c21","turns":[\#(turn)]} x"#, false),
        (#"{"id":"c22","turns":[\#(turn)],}"#, false),
        (#"{"id":"c23","conversation_parts":[],"turns":[\#(turn)]}"#, false),
        (#"{"id":"c24","history":[],"turns":[\#(turn)]}"#, false),
        (#"{"id":"c25","turns":[\#(turn)]"#, false),
        (#"["c26"]"#, false),
        (#"{"id":"c27","turns":[{"text":"x","time":"2026-11-16T10:00:30Z","role":null}]}"#, false),
    ]

    static func summary(_ conversation: Conversation) -> String {
        "\(conversation.id)|\(conversation.customer ?? "-")|\(conversation.outcome?.rawValue ?? "-")|"
            + conversation.turns.map { "\($0.role.rawValue)/\($0.author)/\($0.time.timeIntervalSince1970)/\($0.text)" }.joined(separator: "|")
    }

    @Test(arguments: lines.indices)
    func readsItsShapeAsTheObjectGraphDoes(_ index: Int) {
        let (line, read) = Self.lines[index]
        let position = SourceRef(file: "c.jsonl", position: "line 1")
        let direct = ChatJSON.genericConversation(Array(line.utf8), position: position)
        let general = ChatJSON.conversation(parsing: Array(line.utf8), position: position)
        #expect((direct != nil) == read, "line \(index): \(line)")
        if let direct {
            guard case .success(let expected) = general else {
                Issue.record("line \(index): the general path rejects what the direct one read")
                return
            }
            #expect(Self.summary(direct) == Self.summary(expected))
        }
    }

    /// Invalid UTF-8 inside a string is left to the general path, which rejects the line.
    @Test func invalidUTF8IsLeftToTheGeneralPath() {
        var bytes = Array(#"{"id":"c1","turns":[{"text":"a"#.utf8)
        bytes += [0xC3, 0x28]
        bytes += Array(#"","time":"2026-11-16T10:00:30Z"}]}"#.utf8)
        #expect(ChatJSON.genericConversation(bytes, position: SourceRef(file: "c", position: "1")) == nil)
        guard case .failure(let failure) = ChatJSON.conversation(parsing: bytes, position: SourceRef(file: "c", position: "1")) else {
            Issue.record("invalid UTF-8 read")
            return
        }
        #expect(failure.message == "not valid JSON")
    }
}
