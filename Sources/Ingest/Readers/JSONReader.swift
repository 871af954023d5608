import Foundation

/// JSON (RFC 8259) from bytes to the object graph `JSONSerialization` makes — `[String: Any]`, `[Any]`,
/// `String`, `NSNumber` (integers as `Int`, other numbers as `Double`, `true`/`false` as booleans) and
/// `NSNull` — so the readers' shape adapters take either. Written for the chat and search lines: Foundation's
/// parser decoded every string through a generic `String(bytes:encoding:)` and was a sixth of chat ingest.
///
/// Strict like `JSONSerialization`: invalid UTF-8, unescaped control characters, lone surrogates, leading
/// zeros, trailing commas and anything after the value are errors. Nesting stops at `maxDepth` (hostile
/// input cannot exhaust the stack). A repeated key keeps its last value.
public enum JSONReader {
    public static let maxDepth = 512

    /// The value in `bytes`, or nil when they are not one JSON text. Without `allowsFragments` the top level
    /// must be an object or an array.
    public static func parse(_ bytes: some Collection<UInt8>, allowsFragments: Bool = false) -> Any? {
        func parse(_ buffer: UnsafeBufferPointer<UInt8>) -> Any? {
            var parser = Parser(bytes: buffer)
            return parser.document(allowsFragments: allowsFragments)
        }
        // The outer optional says whether the bytes were contiguous; the inner one is the parse.
        if let parsed: Any? = bytes.withContiguousStorageIfAvailable(parse) { return parsed }
        return Array(bytes).withUnsafeBufferPointer(parse)
    }

    /// The parser, open to the module so a reader can pull the shape it expects straight from the bytes with
    /// the same rules (`ChatJSON.genericConversation`).
    struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var i = 0
        var depth = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func document(allowsFragments: Bool) -> Any? {
            skipSpace()
            guard i < bytes.count else { return nil }
            if !allowsFragments, bytes[i] != 0x7B, bytes[i] != 0x5B { return nil }
            guard let value = value() else { return nil }
            skipSpace()
            return i == bytes.count ? value : nil
        }

        /// The byte at the cursor, or nil at the end.
        var next: UInt8? { i < bytes.count ? bytes[i] : nil }

        /// An object member's key and its colon, leaving the cursor on the value.
        mutating func key() -> String? {
            guard next == 0x22, let key = string() else { return nil }
            skipSpace()
            guard next == 0x3A else { return nil }
            i += 1
            skipSpace()
            return key
        }

        /// A string value at the cursor; nil (reading nothing) when the value is not a string.
        mutating func stringValue() -> String? { next == 0x22 ? string() : nil }

        /// A string value at the cursor into `slot`; false when the value is not a string.
        mutating func string(into slot: inout String?) -> Bool {
            slot = stringValue()
            return slot != nil
        }

        /// Reads the object at the cursor, calling `member` with each key and the cursor on its value. False
        /// when the value is no object, is broken, or `member` returns false.
        mutating func eachMember(_ member: (inout Parser, String) -> Bool) -> Bool {
            guard next == 0x7B else { return false }
            return Parser.container(&self, closedBy: 0x7D) { p in
                guard let key = p.key() else { return false }
                return member(&p, key)
            }
        }

        /// Reads the array at the cursor, calling `element` with the cursor on each element. False when the
        /// value is no array, is broken, or `element` returns false.
        mutating func eachElement(_ element: (inout Parser) -> Bool) -> Bool {
            guard next == 0x5B else { return false }
            return Parser.container(&self, closedBy: 0x5D, element: element)
        }

        /// True when only white space is left.
        mutating func atEnd() -> Bool {
            skipSpace()
            return i == bytes.count
        }

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        }

        mutating func value() -> Any? {
            guard i < bytes.count else { return nil }
            switch bytes[i] {
            case 0x7B: return object()
            case 0x5B: return array()
            case 0x22: return string()
            case 0x74: return literal("true", NSNumber(value: true))
            case 0x66: return literal("false", NSNumber(value: false))
            case 0x6E: return literal("null", NSNull())
            default: return number()
            }
        }

        mutating func literal(_ word: StaticString, _ value: Any) -> Any? {
            let count = word.utf8CodeUnitCount
            guard i + count <= bytes.count else { return nil }
            for k in 0..<count where bytes[i + k] != word.utf8Start[k] { return nil }
            i += count
            return value
        }

        mutating func object() -> Any? {
            var out = [String: Any](minimumCapacity: 8)  // objects in feedback exports rarely hold more; growing rehashed twice
            let complete = Parser.container(&self, closedBy: 0x7D) { p in
                guard p.i < p.bytes.count, p.bytes[p.i] == 0x22, let key = p.string() else { return false }
                p.skipSpace()
                guard p.i < p.bytes.count, p.bytes[p.i] == 0x3A else { return false }
                p.i += 1
                p.skipSpace()
                guard let item = p.value() else { return false }
                out[key] = item
                return true
            }
            return complete ? out : nil
        }

        mutating func array() -> Any? {
            var out: [Any] = []
            let complete = Parser.container(&self, closedBy: 0x5D) { p in
                guard let item = p.value() else { return false }
                out.append(item)
                return true
            }
            return complete ? out : nil
        }

        /// An object or array at `p.i` (on its opening bracket): `element` reads each member, the commas and
        /// the closing bracket are checked here. False when it is broken or nested deeper than `maxDepth`.
        static func container(_ p: inout Parser, closedBy close: UInt8, element: (inout Parser) -> Bool) -> Bool {
            p.depth += 1
            defer { p.depth -= 1 }
            guard p.depth <= JSONReader.maxDepth else { return false }
            p.i += 1
            p.skipSpace()
            if p.i < p.bytes.count, p.bytes[p.i] == close {
                p.i += 1
                return true
            }
            while true {
                p.skipSpace()
                guard element(&p) else { return false }
                p.skipSpace()
                guard p.i < p.bytes.count else { return false }
                if p.bytes[p.i] == 0x2C {
                    p.i += 1
                    continue
                }
                guard p.bytes[p.i] == close else { return false }
                p.i += 1
                return true
            }
        }

        /// A string at `i` (on its opening quote). The common case, no escapes, is one scan and one String.
        mutating func string() -> String? {
            i += 1
            let start = i
            var high: UInt8 = 0
            while i < bytes.count {
                let b = bytes[i]
                if b == 0x22 {
                    let text = UnsafeBufferPointer(rebasing: bytes[start..<i])
                    i += 1
                    // ASCII needs no validation; anything else must be well-formed UTF-8.
                    return high < 0x80 ? String(decoding: text, as: UTF8.self) : String(validating: text, as: UTF8.self)
                }
                if b == 0x5C { return escapedString(from: start) }
                if b < 0x20 { return nil }
                high |= b
                i += 1
            }
            return nil
        }

        /// The slow path: a string with escapes, decoded into bytes from `start`.
        mutating func escapedString(from start: Int) -> String? {
            var out = Array(bytes[start..<i])
            while i < bytes.count {
                let b = bytes[i]
                switch b {
                case 0x22:
                    i += 1
                    return String(validating: out, as: UTF8.self)
                case 0x5C:
                    guard i + 1 < bytes.count else { return nil }
                    let e = bytes[i + 1]
                    i += 2
                    switch e {
                    case 0x22, 0x5C, 0x2F: out.append(e)
                    case 0x62: out.append(0x08)
                    case 0x66: out.append(0x0C)
                    case 0x6E: out.append(0x0A)
                    case 0x72: out.append(0x0D)
                    case 0x74: out.append(0x09)
                    case 0x75:
                        guard var scalar = hex4() else { return nil }
                        if (0xD800...0xDBFF).contains(scalar) {
                            // A high surrogate must be followed by an escaped low one.
                            guard i + 1 < bytes.count, bytes[i] == 0x5C, bytes[i + 1] == 0x75 else { return nil }
                            i += 2
                            guard let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else if (0xDC00...0xDFFF).contains(scalar) {
                            return nil
                        }
                        guard let unicode = Unicode.Scalar(scalar) else { return nil }
                        out.append(contentsOf: String(unicode).utf8)
                    default:
                        return nil
                    }
                default:
                    if b < 0x20 { return nil }
                    out.append(b)
                    i += 1
                }
            }
            return nil
        }

        mutating func hex4() -> UInt32? {
            guard i + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[i]
                let digit: UInt8
                switch b {
                case 0x30...0x39: digit = b - 0x30
                case 0x41...0x46: digit = b - 0x41 + 10
                case 0x61...0x66: digit = b - 0x61 + 10
                default: return nil
                }
                value = value << 4 | UInt32(digit)
                i += 1
            }
            return value
        }

        /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`: an `Int` (or `UInt64`) when it has neither
        /// fraction nor exponent and fits, otherwise a `Double`, as `JSONSerialization` does.
        mutating func number() -> Any? {
            let start = i
            if i < bytes.count, bytes[i] == 0x2D { i += 1 }
            guard i < bytes.count, isDigit(bytes[i]) else { return nil }
            if bytes[i] == 0x30 {
                i += 1
            } else {
                while i < bytes.count, isDigit(bytes[i]) { i += 1 }
            }
            var integral = true
            if i < bytes.count, bytes[i] == 0x2E {
                integral = false
                i += 1
                guard i < bytes.count, isDigit(bytes[i]) else { return nil }
                while i < bytes.count, isDigit(bytes[i]) { i += 1 }
            }
            if i < bytes.count, bytes[i] == 0x65 || bytes[i] == 0x45 {
                integral = false
                i += 1
                if i < bytes.count, bytes[i] == 0x2B || bytes[i] == 0x2D { i += 1 }
                guard i < bytes.count, isDigit(bytes[i]) else { return nil }
                while i < bytes.count, isDigit(bytes[i]) { i += 1 }
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
            if integral, let int = Int(text) { return NSNumber(value: int) }
            if integral, let unsigned = UInt64(text) { return NSNumber(value: unsigned) }
            guard let double = Double(text) else { return nil }
            return NSNumber(value: double)
        }

        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    }
}
