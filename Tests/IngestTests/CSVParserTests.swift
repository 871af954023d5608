import Foundation
import Ingest
import Testing

@Suite struct CSVParserTests {
    func rows(_ text: String) -> [[String]] { Array(CSVParser(Data(text.utf8))).map(\.fields) }

    @Test(arguments: [
        ("a,b\n1,2\n", [["a", "b"], ["1", "2"]]),
        ("a,b\r\n1,2\r\n", [["a", "b"], ["1", "2"]]),
        ("\u{FEFF}a,b\n1,2", [["a", "b"], ["1", "2"]]),
        ("a;b\n\"x;y\";2\n", [["a", "b"], ["x;y", "2"]]),
        ("a\tb\n1\t2\n", [["a", "b"], ["1", "2"]]),
        ("a,b\n\"line one\nline two\",\"say \"\"hi\"\"\"\n", [["a", "b"], ["line one\nline two", "say \"hi\""]]),
        ("a,b\n,\n", [["a", "b"], ["", ""]]),
    ])
    func parses(_ input: String, _ expected: [[String]]) {
        #expect(rows(input) == expected)
    }

    @Test func recordsKnowTheirLine() {
        let records = Array(CSVParser(Data("h\n\"a\nb\"\nc\n".utf8)))
        #expect(records.map(\.line) == [1, 2, 4])
    }

    @Test func unclosedQuoteIsADefect() {
        let records = Array(CSVParser(Data("a\n\"open\n".utf8)))
        #expect(records.last?.defect == "quoted field never closed")
    }

    @Test func invalidUTF8IsADefect() {
        let records = Array(CSVParser(Data([0x61, 0x0A, 0xFF, 0x0A])))
        #expect(records[1].defect == "field 1 is not valid UTF-8")
    }
}
