import Foundation
public import Markup

/// Community posts: RSS 2.0, RSS 1.0 (RDF), Atom 1.0, forum thread HTML pages, Discourse topic JSON and
/// Stack Exchange `Posts.xml`. XML and HTML go through `Markup` (no network, no DTDs, no entity expansion).
public struct CommunityReader: FeedbackReader {
    public let channel = Channel.community
    public var pseudonymizer: CustomerPseudonymizer
    /// Per-site CSS-like class names for forum pages: the element holding one post, and its parts.
    public var selectors: ForumSelectors
    public var limits: MarkupLimits
    /// How slash dates that could be read either way are read on forum pages (`community.date_order`); nil:
    /// as each page's own dates show, month first when none shows.
    public var dateOrder: DateParsing.Order?
    /// Where a date without a zone was written (`timezone`).
    public var zone: LocalZone

    public init(
        pseudonymizer: CustomerPseudonymizer = CustomerPseudonymizer(), selectors: ForumSelectors = ForumSelectors(),
        limits: MarkupLimits = IngestLimits().markup, dateOrder: DateParsing.Order? = nil, zone: LocalZone = .utc
    ) {
        self.pseudonymizer = pseudonymizer
        self.selectors = selectors
        self.limits = limits
        self.dateOrder = dateOrder
        self.zone = zone
    }

    public func accepts(_ file: SourceFile) -> Bool {
        let head = file.head.lowercasedOnBytes()
        switch file.fileExtension {
        case "rss", "atom", "xml", "rdf":
            return head.contains("<rss") || head.contains("<feed") || head.contains("<rdf:rdf") || head.contains("<posts")
        case "html", "htm": return true
        case "json": return head.contains("\"post_stream\"")
        default: return false
        }
    }

    public func read(_ file: SourceFile) -> AnyIterator<ReaderEvent> {
        let events: [ReaderEvent]
        switch file.fileExtension {
        case "html", "htm": events = forumPage(file)
        case "json": events = discourse(file)
        default: events = feed(file)
        }
        return AnyIterator(events.makeIterator())
    }

    func reject(_ file: SourceFile, _ position: String, _ reason: String, raw: [UInt8]) -> ReaderEvent {
        .rejected(Rejection(source: SourceRef(file: file.path, position: position), reason: reason, raw: raw, channel: .community))
    }

    func feed(_ file: SourceFile) -> [ReaderEvent] {
        let document: MarkupDocument
        do {
            document = try MarkupParser.parseXML(Array(file.data), limits: limits)
        } catch {
            return [reject(file, "document", describe(error), raw: Array(file.data.prefix(1 << 20)))]
        }
        var items = document.elements(named: "item")  // RSS 2.0 and 1.0
        let isAtom = items.isEmpty
        if isAtom { items = document.elements(named: "entry") }
        let stackExchange = items.isEmpty ? document.elements(named: "row") : []
        if !stackExchange.isEmpty { return stackExchangePosts(document, rows: stackExchange, file: file) }
        let fileDate = Date(timeIntervalSince1970: 0)
        var out: [ReaderEvent] = []
        for (index, item) in items.enumerated() {
            func text(_ names: String...) -> String? {
                for name in names {
                    if let child = document.child(named: name, of: item) {
                        let value = document.textContent(of: child).trimmingSpacesAndNewlines()
                        if !value.isEmpty { return value }
                    }
                }
                return nil
            }
            let position = "item \(index + 1)"
            let link = text("link") ?? document.child(named: "link", of: item).flatMap { document.nodes[$0].attributes["href"] }
            let id = text("guid", "id") ?? link ?? document.nodes[item].attributes["rdf:about"]
            let title = text("title") ?? ""
            let html = text("content:encoded", "content", "description", "summary") ?? ""
            let body = html.contains("<") ? MailMessage.htmlToText(html, limits: limits) : html
            let dateText = text("pubDate", "published", "updated", "dc:date")
            guard !(title + body).isEmpty else {
                out.append(reject(file, position, "item has neither title nor body", raw: []))
                continue
            }
            let date = dateText.flatMap { DateParsing.parse($0, zone: zone) } ?? dateText.flatMap { Self.relativeDate($0) } ?? fileDate
            if dateText != nil, date == fileDate {
                out.append(reject(file, position, "unparseable date \(Rejection.excerpt(dateText!))", raw: Array((title + "\n" + body).utf8)))
                continue
            }
            let author = text("author", "dc:creator").map { $0.split(separator: "\n").first.map(String.init) ?? $0 }
            let fullText = title.isEmpty || body.hasPrefix(title) ? body : title + ".\n" + body
            out.append(.feedback(Feedback(
                channel: .community, source: SourceRef(file: file.path, position: position + (id.map { " <\($0)>" } ?? "")),
                externalID: id ?? "sha:" + Digest.hex(Digest.sha256(fullText), bytes: 12),
                timestamp: date, text: fullText, customer: author.flatMap { pseudonymizer.reference(for: $0) }, role: .customer,
                setAside: dateText == nil ? "missing date" : nil, conversation: link)))
        }
        return out
    }

    func stackExchangePosts(_ document: MarkupDocument, rows: [Int], file: SourceFile) -> [ReaderEvent] {
        rows.enumerated().map { index, row in
            let a = document.nodes[row].attributes
            // Stack Exchange writes its dates without a zone, in UTC.
            guard let id = a["Id"], let created = a["CreationDate"].flatMap(DateParsing.parse) else {
                return reject(file, "row \(index + 1)", "row without Id or CreationDate", raw: [])
            }
            let body = MailMessage.htmlToText(a["Body"] ?? "", limits: limits)
            let text = (a["Title"].map { $0 + ".\n" } ?? "") + body
            return .feedback(Feedback(
                channel: .community, source: SourceRef(file: file.path, position: "row \(index + 1) <\(id)>"), externalID: "se:\(id)",
                timestamp: created, text: text, customer: a["OwnerUserId"].flatMap { pseudonymizer.reference(for: "se:" + $0) },
                role: .customer, conversation: a["ParentId"] ?? id))
        }
    }

    func forumPage(_ file: SourceFile) -> [ReaderEvent] {
        let document: MarkupDocument
        do {
            document = try MarkupParser.parseHTML(Array(file.data), limits: limits)
        } catch {
            return [reject(file, "document", describe(error), raw: Array(file.data.prefix(1 << 20)))]
        }
        let posts = document.descendants(of: 0).filter { index in
            let node = document.nodes[index]
            guard node.kind == .element else { return false }
            let classes = node.attributes["class"]?.split(separator: " ").map(String.init) ?? []
            return classes.contains(where: selectors.post.contains) || (selectors.post.contains("article") && node.name == "article")
        }
        // A post inside another (a quoted post) is part of it. Asked of a set: scanning the list of posts
        // for every ancestor of every post made a page of n posts cost n², a second of a 1M-message ingest.
        let isPost = Set(posts)
        let topPosts = posts.filter { post in
            var parent = document.nodes[post].parent
            while let p = parent {
                if isPost.contains(p) { return false }
                parent = document.nodes[p].parent
            }
            return true
        }
        let titleNode = document.elements(named: "title").first
        let threadTitle = titleNode.map { document.textContent(of: $0).trimmingSpacesAndNewlines() } ?? ""
        func firstNode(classIn names: Set<String>, _ inside: [Int]) -> Int? {
            inside.first { i in
                document.nodes[i].attributes["class"]?.split(separator: " ").contains { names.contains(String($0)) } == true
            }
        }
        func dateText(_ inside: [Int]) -> String? {
            let timeNode = inside.first { document.nodes[$0].name == "time" } ?? firstNode(classIn: selectors.time, inside)
            return timeNode.flatMap { document.nodes[$0].attributes["datetime"] } ?? timeNode.map { document.textContent(of: $0) }
        }
        // The page's own dates say which way its slash dates go (forum software prints the site's locale).
        let insides = topPosts.map { document.descendants(of: $0) }
        let order = dateOrder ?? DateParsing.order(evidencedBy: insides.lazy.compactMap(dateText)) ?? .monthFirst
        var out: [ReaderEvent] = []
        for (index, post) in topPosts.enumerated() {
            let inside = insides[index]
            func first(classIn names: Set<String>) -> Int? { firstNode(classIn: names, inside) }
            let position = "post \(index + 1)"
            let bodyNode = first(classIn: selectors.body) ?? post
            let body = document.readableText(of: bodyNode)
            let author = first(classIn: selectors.author).map { document.textContent(of: $0).trimmingSpacesAndNewlines() }
            guard let dateText = dateText(inside), let date = DateParsing.parse(dateText, order: order, zone: zone) ?? Self.relativeDate(dateText) else {
                out.append(reject(file, position, "post without a readable time", raw: Array(body.utf8)))
                continue
            }
            guard !body.isEmpty else {
                out.append(reject(file, position, "post without a body", raw: []))
                continue
            }
            let postID = document.nodes[post].attributes["data-post-id"] ?? document.nodes[post].attributes["id"]
                ?? Digest.hex(Digest.sha256(file.path + body), bytes: 10)
            let text = index == 0 && !threadTitle.isEmpty ? threadTitle + ".\n" + body : body
            // Staff: the post's class says so, or a rank or badge inside it does (phpBB's "profile-rank",
            // vBulletin's "usertitle", badges on most platforms), which is how most forums mark employees.
            let postClass = document.nodes[post].attributes["class"]?.lowercasedOnBytes() ?? ""
            let badges = inside.filter { i in
                let cls = document.nodes[i].attributes["class"]?.lowercasedOnBytes() ?? ""
                return ["rank", "badge", "usertitle", "user-title", "role"].contains { cls.contains($0) }
            }.map { document.textContent(of: $0).lowercasedOnBytes() }
            let isStaff = Self.staffWords.contains { postClass.contains($0) }
                || badges.contains { badge in Self.staffWords.contains { badge.contains($0) } }
            out.append(.feedback(Feedback(
                channel: .community, source: SourceRef(file: file.path, position: position), externalID: "post:\(postID)",
                timestamp: date, text: text, customer: author.flatMap { pseudonymizer.reference(for: $0) },
                role: isStaff ? .agent : .customer, conversation: threadTitle)))
        }
        return out
    }

    /// Words in a post's class or rank that mark the company's own people.
    static let staffWords = ["staff", "moderator", "admin", "employee", "official", "support team"]

    func discourse(_ file: SourceFile) -> [ReaderEvent] {
        guard let object = JSONReader.parse(file.data) as? [String: Any],
            let stream = object["post_stream"] as? [String: Any], let posts = stream["posts"] as? [[String: Any]]
        else {
            return [reject(file, "document", "not a Discourse topic (no post_stream.posts)", raw: Array(file.data.prefix(1 << 20)))]
        }
        let title = object["title"] as? String ?? ""
        return posts.enumerated().map { index, post in
            guard let id = ChatJSON.string(post["id"]), let date = ChatJSON.date(post["created_at"], zone: zone) else {
                return reject(file, "post \(index + 1)", "post without id or created_at", raw: [])
            }
            let body = MailMessage.htmlToText(post["cooked"] as? String ?? "", limits: limits)
            let staff = (post["staff"] as? Bool) == true || (post["moderator"] as? Bool) == true
            return .feedback(Feedback(
                channel: .community, source: SourceRef(file: file.path, position: "post \(index + 1)"), externalID: "discourse:\(id)",
                timestamp: date, text: index == 0 && !title.isEmpty ? title + ".\n" + body : body,
                customer: (post["username"] as? String).flatMap { pseudonymizer.reference(for: $0) }, role: staff ? .agent : .customer,
                conversation: ChatJSON.string(object["id"])))
        }
    }

    /// "3 days ago", "yesterday", "2 hours ago", relative to now.
    static func relativeDate(_ text: String, now: Date = Date()) -> Date? {
        let words = text.lowercasedOnBytes().split(separator: " ")
        if words.first == "yesterday" { return now.addingTimeInterval(-86_400) }
        if words.first == "today" || words.first == "now" || words.first == "just" { return now }
        guard words.count >= 3, words.last == "ago", let n = Double(words[0]) else { return nil }
        let unit = words[1]
        let seconds: Double = unit.hasPrefix("min") ? 60 : unit.hasPrefix("hour") ? 3600 : unit.hasPrefix("day") ? 86_400
            : unit.hasPrefix("week") ? 604_800 : unit.hasPrefix("month") ? 2_592_000 : unit.hasPrefix("year") ? 31_536_000 : 0
        return seconds == 0 ? nil : now.addingTimeInterval(-n * seconds)
    }

    func describe(_ error: MarkupError) -> String {
        switch error {
        case .tooLarge(let bytes, let limit): return "document of \(bytes) bytes exceeds the \(limit)-byte limit"
        case .notWellFormed(let line, let message):
            // libxml2's messages may quote the document: escaped like any other value from the input.
            return "not well-formed XML at line \(line): \(Rejection.excerpt(message, limit: 120))"
        case .empty: return "empty document"
        }
    }
}

/// Class names that mark a forum post and its parts; the defaults fit most forum and Q&A themes.
public struct ForumSelectors: Sendable {
    public var post: Set<String> = ["post", "message", "comment", "reply", "topic-post", "answer", "question", "article"]
    public var body: Set<String> = ["post-body", "content", "message-body", "body", "cooked", "post-content", "comment-body", "s-prose"]
    public var author: Set<String> = ["author", "username", "user", "post-author", "message-author"]
    /// Where a page has no `<time>` element, the text of the first element with one of these classes.
    public var time: Set<String> = ["post-date", "date", "timestamp", "post-time", "time"]

    public init() {}
}
