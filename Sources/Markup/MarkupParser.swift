internal import CLibXML2

/// Limits applied to every parse, on top of libxml2's own (which stay on: XML_PARSE_HUGE is never used).
public struct MarkupLimits: Sendable {
    /// Largest input accepted, in bytes.
    public var maxBytes: Int
    /// Deepest element nesting copied out; deeper content is dropped and the document marked truncated.
    public var maxDepth: Int
    /// Most nodes copied out of one document.
    public var maxNodes: Int

    public init(maxBytes: Int = 16 << 20, maxDepth: Int = 256, maxNodes: Int = 2_000_000) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
    }
}

/// Why a document could not be parsed at all.
public enum MarkupError: Error, Sendable, Equatable {
    case tooLarge(bytes: Int, limit: Int)
    case notWellFormed(line: Int, message: String)
    case empty
}

/// Safe HTML and XML parsing through libxml2: no network, no DTD loading, no entity substitution,
/// libxml2's own size limits kept, plus the caps in `MarkupLimits`.
public enum MarkupParser {
    /// Parses HTML leniently (tag soup is repaired, as browsers do).
    public static func parseHTML(_ bytes: [UInt8], limits: MarkupLimits = MarkupLimits()) throws(MarkupError)
        -> MarkupDocument
    {
        guard bytes.count <= limits.maxBytes else { throw .tooLarge(bytes: bytes.count, limit: limits.maxBytes) }
        guard !bytes.isEmpty else { throw .empty }
        let options = Int32(
            HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                | HTML_PARSE_RECOVER.rawValue | HTML_PARSE_COMPACT.rawValue)
        let doc = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                htmlReadMemory($0, Int32(buffer.count), nil, "UTF-8", options)
            }
        }
        guard let doc else { throw .empty }
        defer { xmlFreeDoc(doc) }
        return copy(doc, limits: limits, lowercaseNames: true)
    }

    /// Parses XML strictly enough to reject broken feeds, with CDATA merged into text.
    public static func parseXML(_ bytes: [UInt8], limits: MarkupLimits = MarkupLimits()) throws(MarkupError)
        -> MarkupDocument
    {
        guard bytes.count <= limits.maxBytes else { throw .tooLarge(bytes: bytes.count, limit: limits.maxBytes) }
        guard !bytes.isEmpty else { throw .empty }
        // NONET: no network. NOCDATA: CDATA becomes text. Deliberately absent: NOENT (it turns entity
        // substitution on), DTDLOAD, DTDATTR and HUGE (it removes libxml2's limits).
        let options = Int32(
            XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
                | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue)
        guard let context = xmlNewParserCtxt() else { throw .empty }
        defer { xmlFreeParserCtxt(context) }
        let doc = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                xmlCtxtReadMemory(context, $0, Int32(buffer.count), nil, nil, options)
            }
        }
        guard let doc, context.pointee.wellFormed != 0 else {
            if let doc { xmlFreeDoc(doc) }
            let error = xmlCtxtGetLastError(context)
            let line = Int(error?.pointee.line ?? 0)
            let message = error?.pointee.message.map { String(cString: $0) } ?? "not well-formed"
            throw .notWellFormed(line: line, message: collapse(message))
        }
        defer { xmlFreeDoc(doc) }
        return copy(doc, limits: limits, lowercaseNames: false)
    }

    /// Copies libxml2's tree into Swift values with an explicit stack (never recursion).
    private static func copy(_ doc: xmlDocPtr, limits: MarkupLimits, lowercaseNames: Bool) -> MarkupDocument {
        var out = MarkupDocument()
        var stack: [(xmlNodePtr, Int)] = []
        var child = doc.pointee.children
        var roots: [xmlNodePtr] = []
        while let node = child {
            roots.append(node)
            child = node.pointee.next
        }
        for node in roots.reversed() { stack.append((node, 0)) }
        while let (node, parent) = stack.popLast() {
            if out.nodes.count >= limits.maxNodes {
                out.truncated = true
                break
            }
            let depth = out.nodes[parent].depth + 1
            switch node.pointee.type {
            case XML_ELEMENT_NODE:
                if depth > limits.maxDepth {
                    out.truncated = true
                    continue
                }
                var name = node.pointee.name.map { String(cString: $0) } ?? ""
                if lowercaseNames { name = name.lowercased() }
                if let prefix = node.pointee.ns?.pointee.prefix {
                    name = String(cString: prefix) + ":" + name
                }
                var element = MarkupNode(kind: .element, name: name, parent: parent, depth: depth)
                var attribute = node.pointee.properties
                while let current = attribute {
                    let key = current.pointee.name.map { String(cString: $0) } ?? ""
                    var value = ""
                    var valueNode = current.pointee.children
                    while let part = valueNode {
                        if let content = part.pointee.content { value += String(cString: content) }
                        valueNode = part.pointee.next
                    }
                    element.attributes[lowercaseNames ? key.lowercased() : key] = value
                    attribute = current.pointee.next
                }
                let index = out.nodes.count
                out.nodes.append(element)
                out.nodes[parent].children.append(index)
                var children: [xmlNodePtr] = []
                var next = node.pointee.children
                while let current = next {
                    children.append(current)
                    next = current.pointee.next
                }
                for current in children.reversed() { stack.append((current, index)) }
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                guard let content = node.pointee.content else { continue }
                var text = MarkupNode(kind: .text, name: "", parent: parent, depth: depth)
                text.text = String(cString: content)
                let index = out.nodes.count
                out.nodes.append(text)
                out.nodes[parent].children.append(index)
            default:
                // Comments, processing instructions, DTD nodes and unexpanded entity references carry no
                // customer text; entity references are deliberately never expanded.
                continue
            }
        }
        return out
    }
}
