import Foundation
import Ingest
import Testing

@Suite struct CommunityReaderTests {
    let reader = CommunityReader()

    @Test func atomFeed() {
        let atom = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
              <entry><id>tag:a,2026:1</id><title>Login broken</title><updated>2026-11-16T10:00:00Z</updated>
                <author><name>zed</name></author><content type="html">&lt;p&gt;I can&amp;#39;t log in &amp;amp; reset fails&lt;/p&gt;</content></entry>
              <entry><id>tag:a,2026:2</id><title>Bad date</title><updated>someday</updated><content>x</content></entry>
              <entry><id>tag:a,2026:3</id><title>No date at all</title><content>kept but set aside</content></entry>
            </feed>
            """
        let events = ReaderVerifier.events(reader, atom, path: "c.atom")
        let feedback = ReaderVerifier.feedback(events)
        #expect(feedback.first?.text == "Login broken.\nI can't log in & reset fails")
        #expect(feedback.first?.externalID == "tag:a,2026:1")
        #expect(feedback.last?.setAside == "missing date")
        #expect(ReaderVerifier.rejections(events).map(\.description) == ["c.atom: item 2: unparseable date \"someday\""])
    }

    @Test func rss2WithContentEncoded() {
        let rss = """
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
            <item><guid>p1</guid><title>Refund</title><pubDate>Mon, 16 Nov 2026 10:00:00 GMT</pubDate><dc:creator>kim</dc:creator>
            <content:encoded><![CDATA[<p>Still <b>no refund</b></p><script>x</script>]]></content:encoded></item>
            </channel></rss>
            """
        let feedback = ReaderVerifier.feedback(ReaderVerifier.events(reader, rss, path: "f.rss"))
        #expect(feedback.map(\.text) == ["Refund.\nStill no refund"])
    }

    @Test func forumPage() {
        let html = """
            <html><head><title>Broken kettles</title></head><body>
            <article class="post" data-post-id="11"><span class="author">ann</span><time datetime="2026-11-16T10:00:00Z">Monday</time>
            <div class="post-body"><p>My kettle leaks.</p></div></article>
            <article class="post staff" data-post-id="12"><span class="author">mod</span><time datetime="2026-11-16T11:00:00Z">x</time>
            <div class="post-body">We are on it.</div></article>
            <article class="post" data-post-id="13"><span class="author">bo</span><div class="post-body">No time here</div></article>
            </body></html>
            """
        let events = ReaderVerifier.events(reader, html, path: "t.html")
        let feedback = ReaderVerifier.feedback(events)
        #expect(feedback.map(\.text) == ["Broken kettles.\nMy kettle leaks.", "We are on it."])
        #expect(feedback.map(\.role) == [.customer, .agent])
        #expect(ReaderVerifier.rejections(events).map(\.description) == ["t.html: post 3: post without a readable time"])
    }

    /// A forum prints its site's locale: the page's own dates say which way a slash date goes.
    @Test func forumSlashDatesFollowThePage() {
        func page(_ first: String, _ second: String) -> String {
            """
            <html><body>
            <article class="post" data-post-id="1"><span class="author">ann</span><span class="date">\(first)</span><div class="post-body">Kettle leaks.</div></article>
            <article class="post" data-post-id="2"><span class="author">bo</span><span class="date">\(second)</span><div class="post-body">Mine too.</div></article>
            </body></html>
            """
        }
        func dates(_ html: String, _ reader: CommunityReader = CommunityReader()) -> [String] {
            ReaderVerifier.feedback(ReaderVerifier.events(reader, html, path: "t.html")).map { String(DateParsing.isoString($0.timestamp).prefix(10)) }
        }
        #expect(dates(page("05/12/2026 10:05", "18/11/2026 09:00")) == ["2026-12-05", "2026-11-18"])
        #expect(dates(page("05/12/2026 10:05", "11/18/2026 09:00")) == ["2026-05-12", "2026-11-18"])
        #expect(dates(page("05/12/2026 10:05", "2026-11-18T09:00:00Z"), CommunityReader(dateOrder: .dayFirst)) == ["2026-12-05", "2026-11-18"])
    }

    /// A post quoted inside another is part of that post, not a post of its own, however deep it sits.
    @Test func aQuotedPostInsideAnotherIsPartOfIt() {
        let html = """
            <html><body>
            <article class="post" data-post-id="21"><time datetime="2026-11-16T10:00:00Z">x</time>
            <div class="post-body"><p>Still no refund.</p>
            <blockquote><div><article class="post" data-post-id="20"><time datetime="2026-11-15T10:00:00Z">x</time>
            <div class="post-body">Refunds take 5 days.</div></article></div></blockquote></div></article>
            <article class="post" data-post-id="22"><time datetime="2026-11-16T12:00:00Z">x</time>
            <div class="post-body">Same here.</div></article>
            </body></html>
            """
        let feedback = ReaderVerifier.feedback(ReaderVerifier.events(reader, html, path: "t.html"))
        #expect(feedback.map(\.externalID) == ["post:21", "post:22"])
        #expect(feedback.first?.text.contains("Refunds take 5 days.") == true)
    }

    /// phpBB marks staff by a rank under the name, not by the post's class.
    @Test func staffRankMakesAnAgentTurn() {
        let page = """
            <html><head><title>Refund never arrived</title></head><body>
            <div id="p1" class="post bg2"><dl class="postprofile"><dt><a class="username">angry_customer</a></dt></dl>
            <p class="author"><time datetime="2026-11-20T09:15:00+00:00">9:15 am</time></p><div class="content">Still no refund.</div></div>
            <div id="p2" class="post bg1"><dl class="postprofile"><dt><a class="username">Shop_Staff</a></dt><dd class="profile-rank">Staff</dd></dl>
            <p class="author"><time datetime="2026-11-20T10:02:00+00:00">10:02 am</time></p><div class="content">Please send your order number.</div></div>
            <div id="p3" class="post bg2"><dl class="postprofile"><dt><a class="username">helper</a></dt><dd class="profile-rank">Top Contributor</dd></dl>
            <p class="author"><time datetime="2026-11-20T10:05:00+00:00">10:05 am</time></p><div class="content">Same here.</div></div>
            </body></html>
            """
        let feedback = ReaderVerifier.feedback(ReaderVerifier.events(reader, page, path: "thread.html"))
        #expect(feedback.map(\.role) == [.customer, .agent, .customer])
    }

    @Test func externalEntityFileNeverAppears() throws {
        let secret = NSTemporaryDirectory() + "voc-secret-\(getpid()).txt"
        defer { try? FileManager.default.removeItem(atPath: secret) }
        try "SECRET-IN-LOCAL-FILE".write(toFile: secret, atomically: true, encoding: .utf8)
        let xml = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY x SYSTEM \"file://\(secret)\">]><rss><channel><item><title>&x; hi</title><pubDate>2026-11-16</pubDate></item></channel></rss>"
        for event in ReaderVerifier.events(reader, xml, path: "x.rss") {
            if case .feedback(let f) = event { #expect(!f.text.contains("SECRET")) }
            if case .rejected(let r) = event { #expect(!r.reason.contains("SECRET")) }
        }
    }

    @Test func stackExchangePosts() {
        let xml = #"<posts><row Id="5" PostTypeId="1" CreationDate="2026-11-16T10:00:00.000" OwnerUserId="9" Title="Card declined" Body="&lt;p&gt;Why?&lt;/p&gt;" /></posts>"#
        let feedback = ReaderVerifier.feedback(ReaderVerifier.events(reader, xml, path: "Posts.xml"))
        #expect(feedback.map(\.text) == ["Card declined.\nWhy?"])
    }

    @Test func hostileInputs() {
        ReaderVerifier.checkHostile(reader, path: "h.rss")
        ReaderVerifier.checkHostile(reader, path: "h.html")
    }
}
