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

    /// Excel's `sep=;` first line names the delimiter and is not a record; line numbers stay the file's.
    @Test func excelSeparatorLineNamesTheDelimiter() {
        let records = Array(CSVParser(Data("sep=;\r\nid;comment\r\n1;late, again\r\n".utf8)))
        #expect(records.map(\.fields) == [["id", "comment"], ["1", "late, again"]])
        #expect(records.map(\.line) == [2, 3])
    }

    /// A file whose first non-ASCII text is not UTF-8 and which holds no valid multi-byte UTF-8 is
    /// windows-1252 (Excel's "CSV" on Western Windows); bytes that are not UTF-8 in a file that holds UTF-8
    /// are damage and stay a defect, before or after the file's valid UTF-8.
    /// windows-1252 leaves five bytes unassigned; in a windows-1252 file they read as U+FFFD and the text
    /// around them is kept.
    @Test func unassignedWindows1252BytesBecomeReplacementCharacters() {
        let bytes: [UInt8] = Array("id,comment\n1,caf".utf8) + [0xE9, 0x20, 0x81, 0x20, 0x80, 0x35, 0x8D] + Array("\n".utf8)
        var parser = CSVParser(Data(bytes))
        let records = Array(AnyIterator { parser.next() })
        #expect(parser.encoding == .windows1252)
        #expect(records[1].fields[1] == "café \u{FFFD} €5\u{FFFD}" && records[1].defect == nil)
    }

    @Test func windows1252FilesAreReadAndDamagedUTF8IsADefect() {
        let latin: [UInt8] = Array("id,comment\n1,ok\n2,\"La livraison ".utf8) + [0xE9] + Array("tait en retard, tr".utf8)
            + [0xE8, 0x73, 0x20, 0x64, 0xE9, 0xE7, 0x75, 0x20, 0x80, 0x35] + Array("\"\n3,caf".utf8) + [0xE9] + Array("\n".utf8)
        var parser = CSVParser(Data(latin))
        var records: [CSVRecord] = []
        while let record = parser.next() { records.append(record) }
        #expect(parser.encoding == .windows1252)
        #expect(records.map(\.defect) == [nil, nil, nil, nil])
        #expect(records[2].fields[1] == "La livraison était en retard, très déçu €5")
        #expect(records[3].fields[1] == "café")
        let damaged: [UInt8] = Array("id,comment\n1,café\n2,broken ".utf8) + [0xE9] + Array("\n".utf8)
        let checked = Array(CSVParser(Data(damaged)))
        #expect(checked[1].fields[1] == "café" && checked[1].defect == nil)
        #expect(checked[2].defect == "field 2 is not valid UTF-8")
        // Damaged before any valid UTF-8 was read: the rest of the file decides, and it holds UTF-8.
        let damagedFirst: [UInt8] = Array("id,comment\n1,broken ".utf8) + [0xE9] + Array("\n2,café\n".utf8)
        let early = Array(CSVParser(Data(damagedFirst)))
        #expect(early[1].defect == "field 2 is not valid UTF-8")
        #expect(early[2].fields[1] == "café" && early[2].defect == nil)
    }

    @Test func unclosedQuoteIsADefect() {
        let records = Array(CSVParser(Data("a\n\"open\n".utf8)))
        #expect(records.last?.defect == "quoted field never closed")
    }

    /// Bytes that are not UTF-8 in a file already read as UTF-8 (a non-ASCII UTF-8 field came first).
    @Test func invalidUTF8IsADefect() {
        let records = Array(CSVParser(Data(Array("é\n".utf8) + [0xFF, 0x0A])))
        #expect(records[0].defect == nil && records[0].fields == ["é"])
        #expect(records[1].defect == "field 1 is not valid UTF-8")
    }
}
