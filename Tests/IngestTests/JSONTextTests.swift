import Foundation
@testable import Ingest
import Testing

@Suite struct JSONTextTests {
    /// Whatever the text holds, the literal parses back to it: a tab or a control character in a chat line
    /// would otherwise make the sample corpus's transcript invalid JSON.
    @Test(arguments: [
        "plain", "say \"hi\"", "back\\slash", "two\nlines", "tab\there", "cr\r\nlf", "bell\u{07} and \u{1F}",
        "café ☕ 👩‍👩‍👧 \u{7F}", "",
    ])
    func parsesBackToTheText(_ text: String) throws {
        let literal = JSONText.quoted(text)
        let parsed = try JSONSerialization.jsonObject(with: Data(literal.utf8), options: .fragmentsAllowed) as? String
        #expect(parsed == text)
        #expect(!literal.unicodeScalars.dropFirst().dropLast().contains { $0.value < 0x20 })
    }

    @Test func escapesOnlyWhatJSONRequires() {
        #expect(JSONText.quoted("a\u{01}b") == "\"a\\u0001b\"")
        #expect(JSONText.quoted("é/") == "\"é/\"")
    }
}
