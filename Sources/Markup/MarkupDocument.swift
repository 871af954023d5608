/// A parsed HTML or XML document as plain Swift values: a flat array of nodes in document order.
///
/// Flat storage keeps every walk iterative, so a hostile 100,000-deep nesting can never overflow the stack.
public struct MarkupDocument: Sendable {
    /// All nodes in document order; `nodes[0]` is the synthetic root.
    public internal(set) var nodes: [MarkupNode]
    /// True when the input hit a limit (size, depth or node count) and was cut short.
    public internal(set) var truncated: Bool

    init() {
        nodes = [MarkupNode(kind: .element, name: "#root", parent: nil, depth: 0)]
        truncated = false
    }

    /// Indices of every element with the given (lowercased, `prefix:local`) name, in document order.
    public func elements(named name: String, under ancestor: Int = 0) -> [Int] {
        descendants(of: ancestor).filter { nodes[$0].kind == .element && nodes[$0].name == name }
    }

    /// The first element child of `index` with the given name.
    public func child(named name: String, of index: Int) -> Int? {
        nodes[index].children.first { nodes[$0].kind == .element && nodes[$0].name == name }
    }

    /// Every descendant of `index` in document order (not including `index` itself).
    public func descendants(of index: Int) -> [Int] {
        var out: [Int] = []
        var stack = Array(nodes[index].children.reversed())
        while let next = stack.popLast() {
            out.append(next)
            stack.append(contentsOf: nodes[next].children.reversed())
        }
        return out
    }

    /// The concatenated text of a node and its descendants, without any layout.
    public func textContent(of index: Int) -> String {
        if nodes[index].kind == .text { return nodes[index].text }
        var out = ""
        for node in descendants(of: index) where nodes[node].kind == .text {
            out += nodes[node].text
        }
        return out
    }

    /// Readable text of an HTML subtree: scripts and styles dropped, block elements on their own lines,
    /// runs of white space collapsed.
    public func readableText(of index: Int = 0) -> String {
        var lines: [String] = []
        var line = ""
        func breakLine() {
            let trimmed = collapse(line)
            if !trimmed.isEmpty { lines.append(trimmed) }
            line = ""
        }
        // Explicit stack of (node, entering) pairs so block ends can insert breaks.
        var stack: [(Int, Bool)] = nodes[index].children.reversed().map { ($0, true) }
        while let (current, entering) = stack.popLast() {
            let node = nodes[current]
            if node.kind == .text {
                line += node.text
                continue
            }
            if MarkupNode.skipped.contains(node.name) { continue }
            let isBlock = MarkupNode.blocks.contains(node.name)
            if entering {
                if node.name == "br" { breakLine(); continue }
                if isBlock { breakLine() }
                stack.append((current, false))
                stack.append(contentsOf: node.children.reversed().map { ($0, true) })
            } else if isBlock {
                breakLine()
            }
        }
        breakLine()
        return lines.joined(separator: "\n")
    }
}

/// One element or text run.
public struct MarkupNode: Sendable {
    public enum Kind: Sendable { case element, text }

    public let kind: Kind
    /// Lowercased element name, `prefix:local` when the element has a namespace prefix; empty for text.
    public let name: String
    public internal(set) var attributes: [String: String] = [:]
    /// Text of a text or CDATA node.
    public internal(set) var text: String = ""
    public internal(set) var children: [Int] = []
    public let parent: Int?
    public let depth: Int

    init(kind: Kind, name: String, parent: Int?, depth: Int) {
        self.kind = kind
        self.name = name
        self.parent = parent
        self.depth = depth
    }

    static let skipped: Set<String> = ["script", "style", "head", "noscript", "template", "iframe", "object"]
    static let blocks: Set<String> = [
        "p", "div", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
        "pre", "section", "article", "header", "footer", "aside", "nav", "hr", "dd", "dt", "dl", "td", "th",
        "body", "html", "main", "figure", "figcaption", "address", "form", "fieldset",
    ]
}

/// Collapses runs of white space (including non-breaking space) to one space and trims the ends.
func collapse(_ text: String) -> String {
    var out = ""
    var pendingSpace = false
    for scalar in text.unicodeScalars {
        if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar == "\u{A0}"
            || scalar == "\u{0C}"
        {
            pendingSpace = !out.isEmpty
        } else {
            if pendingSpace { out.unicodeScalars.append(" ") }
            pendingSpace = false
            out.unicodeScalars.append(scalar)
        }
    }
    return out
}
