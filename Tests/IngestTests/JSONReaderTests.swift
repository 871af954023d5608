import Foundation
import Ingest
import Testing

/// `JSONReader` replaces `JSONSerialization` in the readers: the same documents must give the same objects,
/// and the same broken ones must be refused.
@Suite struct JSONReaderTests {
    /// The objects written back with sorted keys, so two parses compare as bytes.
    func canonical(_ object: Any?) -> Data? {
        object.flatMap { try? JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys, .fragmentsAllowed]) }
    }

    static let valid = [
        "{}", "[]", #"{"a":1}"#, #"{"a":[1,2,{"b":null}],"c":true,"d":false}"#,
        #"[1.5, -0, 0, -12, 1e3, 2.5E-2, 9007199254740993, -9223372036854775808]"#,
        #"["a\nb", "\u00e9", "\ud83d\ude00", "café", "\"\\\/\b\f\r\t", ""]"#,
        " \n\t{ \"a\" : [ ] , \"b\":{ } } \r\n", #"{"turns":[{"role":"customer","text":"Où est mon colis? 📦"}]}"#,
        #"{"a":1,"a":2}"#, String(repeating: "[", count: 100) + String(repeating: "]", count: 100),
    ]

    @Test(arguments: valid)
    func readsWhatFoundationReads(_ text: String) throws {
        let foundation = try JSONSerialization.jsonObject(with: Data(text.utf8))
        let ours = try #require(JSONReader.parse(Array(text.utf8)))
        #expect(canonical(ours) == canonical(foundation), "\(text)")
    }

    static let invalid: [[UInt8]] = [
        "", " ", "{", "[1,]", #"{"a":1,}"#, #"{"a" 1}"#, "[01]", "[1.]", "[.5]", "[+1]", "[1e]", #"["\x"]"#,
        #"["\ud800"]"#, #"["\udc00"]"#, #"["\ud800\u0041"]"#, "[\"a\u{01}\"]", "[1] x", "nul", "[tru]", #"{"a":1}{}"#,
        #"{1:2}"#, #"["unclosed]"#, #"["\u12"]"#,
    ].map { Array($0.utf8) } + [[0x5B, 0x22, 0xFF, 0x22, 0x5D], [0x5B, 0x22, 0xC3, 0x22, 0x5D]]  // invalid UTF-8 in a string

    @Test(arguments: invalid)
    func refusesWhatIsNotJSON(_ bytes: [UInt8]) {
        #expect(JSONReader.parse(bytes) == nil, "\(String(decoding: bytes, as: UTF8.self))")
        #expect(JSONReader.parse(bytes, allowsFragments: true) == nil)
    }

    @Test func fragmentsOnlyWhenAllowed() {
        for text in [#""x""#, "12", "true", "null"] {
            #expect(JSONReader.parse(Array(text.utf8)) == nil)
            #expect(JSONReader.parse(Array(text.utf8), allowsFragments: true) != nil)
        }
    }

    @Test func typesAreFoundations() throws {
        let object = try #require(JSONReader.parse(Array(#"{"n":3,"x":2.5,"t":true,"s":"a","z":null}"#.utf8)) as? [String: Any])
        #expect((object["n"] as? NSNumber)?.stringValue == "3")
        #expect((object["x"] as? NSNumber)?.doubleValue == 2.5)
        #expect(object["t"] as? Bool == true)
        #expect(object["s"] as? String == "a")
        #expect(object["z"] is NSNull)
    }

    /// Nesting past the limit is refused, not recursed into: hostile input cannot exhaust the stack.
    @Test func deepNestingIsRefused() {
        let deep = Array(String(repeating: "[", count: 100_000).utf8)
        #expect(JSONReader.parse(deep) == nil)
        let limit = JSONReader.maxDepth
        #expect(JSONReader.parse(Array((String(repeating: "[", count: limit) + String(repeating: "]", count: limit)).utf8)) != nil)
        #expect(JSONReader.parse(Array((String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)).utf8)) == nil)
    }
}
