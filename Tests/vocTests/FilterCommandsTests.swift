import Testing
@testable import voc

@Suite struct FilterCommandsTests {
    /// Lines as a plain split on LF gives them: a CR before a LF left out, no empty line after a final LF.
    static func expectedLines(_ bytes: [UInt8]) -> [[UInt8]] {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        let unterminated = lines.removeLast()
        lines = lines.map { $0.last == 0x0D ? Array($0.dropLast()) : $0 }
        return unterminated.isEmpty ? lines : lines + [unterminated]
    }

    static let inputs = [
        "", "\n", "one", "one\n", "one\ntwo", "one\r\ntwo\r\n", "\n\n\nthree after empties\n", "a\nbb\nccc\ndddd\neeeee\n",
        "no newline at the end, and a line long enough to be cut into several chunks of a few bytes",
        "\r\n\r\nx\r", "mixed\r\nends\nand a lone \r inside\n",
    ]

    @Test(arguments: inputs)
    func chunksHoldWholeLinesWhateverTheirSize(_ text: String) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { buffer in
            for size in 1...24 {
                let chunks = InputLines.chunks(of: buffer, about: size)
                // The chunks cover the input end to end, and each but the last ends right after a LF.
                #expect(chunks.first?.lowerBound ?? 0 == 0)
                #expect(chunks.last?.upperBound ?? 0 == bytes.count)
                for (a, b) in zip(chunks, chunks.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
                for chunk in chunks.dropLast() { #expect(bytes[chunk.upperBound - 1] == 0x0A) }
                let lines = chunks.flatMap { InputLines.lines(in: $0, of: buffer) }.map { Array(bytes[$0]) }
                #expect(lines == Self.expectedLines(bytes), "chunks of about \(size) bytes")
            }
        }
    }
}
