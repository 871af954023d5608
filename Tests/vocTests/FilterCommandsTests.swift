import Foundation
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

    /// `bytes` written into a pipe from another thread, in pieces of 1 to 7 bytes, then the pipe closed;
    /// the reading end is returned (the caller closes it).
    static func pipeFed(with bytes: [UInt8]) -> Int32 {
        var ends: [Int32] = [0, 0]
        precondition(pipe(&ends) == 0)
        let writer = ends[1]
        Thread.detachNewThread {
            var offset = 0, piece = 1
            while offset < bytes.count {
                let count = min(piece, bytes.count - offset)
                let written = bytes[offset..<(offset + count)].withUnsafeBytes { write(writer, $0.baseAddress, count) }
                precondition(written > 0)
                offset += written
                piece = piece % 7 + 1
            }
            close(writer)
        }
        return ends[0]
    }

    @Test(arguments: inputs)
    func streamChunksHoldWholeLinesWhateverTheirSize(_ text: String) throws {
        let bytes = Array(text.utf8)
        for size in 1...24 {
            let reader = Self.pipeFed(with: bytes)
            defer { close(reader) }
            let stream = LineStream(fd: reader, chunkSize: size)
            var chunks: [[UInt8]] = []
            while let (lines, _) = try stream.next() { chunks.append(lines) }
            // The chunks are the input end to end, each but the last ending with a LF.
            #expect(Array(chunks.joined()) == bytes, "chunks of \(size) bytes")
            for chunk in chunks.dropLast() { #expect(chunk.last == 0x0A) }
            #expect(!chunks.contains { $0.isEmpty })
            let lines = chunks.flatMap { chunk in chunk.withUnsafeBufferPointer { buffer in InputLines.lines(in: 0..<chunk.count, of: buffer).map { Array(buffer[$0]) } } }
            #expect(lines == Self.expectedLines(bytes), "chunks of \(size) bytes")
        }
    }

    /// A line over the limit is handed out longer than the limit (the reader tells it from that), beginning as
    /// it began; every other line whole; whatever the pieces the input arrives in.
    @Test func aStreamHandsOutOverlongLinesOverTheLimit() throws {
        let text = "ab\n" + String(repeating: "x", count: 100) + "\ncd\n\n" + String(repeating: "y", count: 50)
        let expected = Self.expectedLines(Array(text.utf8))
        for size in [1, 4, 64, 1 << 18] {
            let reader = Self.pipeFed(with: Array(text.utf8))
            defer { close(reader) }
            let stream = LineStream(fd: reader, chunkSize: size, maxLineBytes: 5)
            var chunks: [[UInt8]] = []
            while let (lines, _) = try stream.next() { chunks.append(lines) }
            let lines = chunks.flatMap { chunk in chunk.withUnsafeBufferPointer { buffer in InputLines.lines(in: 0..<chunk.count, of: buffer).map { Array(buffer[$0]) } } }
            #expect(lines.count == expected.count, "chunks of \(size) bytes")
            for (line, original) in zip(lines, expected) {
                if original.count <= 5 {
                    #expect(line == original)
                } else {
                    #expect(line.count > 5 && original.starts(with: line), "\(line.count) bytes kept of \(original.count)")
                }
            }
        }
    }

    /// A line still being read when it passes the limit is kept to its first `maxLineBytes + 1` bytes, and the
    /// rest of it is dropped as it arrives: memory holds no more of it than that.
    @Test func aStreamDropsTheRestOfALineItIsStillReading() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]) }
        let writeEnd = WriteEnd(ends[1], watchdog: 10)
        let stream = LineStream(fd: ends[0], maxLineBytes: 5)
        #expect(writeEnd.write("ab\n" + String(repeating: "x", count: 20)))
        #expect(try stream.next().map { Array($0.lines) } == Array("ab\n".utf8))
        #expect(writeEnd.write(String(repeating: "x", count: 30) + "\ncd\n"))
        writeEnd.close()
        #expect(try stream.next().map { Array($0.lines) } == Array("xxxxxx\ncd\n".utf8))
        #expect(try stream.next() == nil)
    }

    /// A pipe's write end, closed once: by the test, or by a watchdog if the reader waits too long.
    final class WriteEnd: @unchecked Sendable {
        private let fd: Int32
        private let lock = NSLock()
        private var closed = false
        private(set) var closedByWatchdog = false

        init(_ fd: Int32, watchdog seconds: Double) {
            self.fd = fd
            Thread.detachNewThread { [self] in
                Thread.sleep(forTimeInterval: seconds)
                lock.lock()
                defer { lock.unlock() }
                if !closed { closed = true; closedByWatchdog = true; Glibc.close(fd) }
            }
        }

        func write(_ text: String) -> Bool {
            lock.lock()
            defer { lock.unlock() }
            let bytes = Array(text.utf8)
            return !closed && bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, bytes.count) } == bytes.count
        }

        func close() {
            lock.lock()
            defer { lock.unlock() }
            if !closed { closed = true; Glibc.close(fd) }
        }

        var timedOut: Bool { lock.lock(); defer { lock.unlock() }; return closedByWatchdog }
    }

    /// A line is handed out as soon as it is read whole, without waiting for the stream to end or a chunk to
    /// fill: `voc score` answers a line typed at a terminal, and `yes | voc score | head` ends. (Were it to
    /// wait, the watchdog would end the stream after 10 s, and the test fails instead of hanging.)
    @Test func aStreamHandsOutALineBeforeItEnds() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]) }
        let writeEnd = WriteEnd(ends[1], watchdog: 10)
        let stream = LineStream(fd: ends[0])
        #expect(writeEnd.write("first line\nsecond, not yet ended"))
        let chunk = try stream.next()
        #expect(!writeEnd.timedOut, "the first line came only when the stream ended")
        #expect(chunk.map { Array($0.lines) } == Array("first line\n".utf8))
        #expect(chunk?.moreReady == false)
        #expect(writeEnd.write(" here\n"))
        writeEnd.close()
        #expect(try stream.next().map { Array($0.lines) } == Array("second, not yet ended here\n".utf8))
        #expect(try stream.next() == nil)
    }

    /// The cores the process may use, from its affinity mask: bits set, at most the machine's.
    @Test func usableCoresCountTheAffinityMask() {
        let status = "Name:\tvoc\nCpus_allowed:\t%@\nCpus_allowed_list:\t0-1\n"
        #expect(Environment.cores(allowedIn: status.replacingOccurrences(of: "%@", with: "3"), online: 2) == 2)
        #expect(Environment.cores(allowedIn: status.replacingOccurrences(of: "%@", with: "2"), online: 2) == 1)
        #expect(Environment.cores(allowedIn: status.replacingOccurrences(of: "%@", with: "ff,00000011"), online: 64) == 10)
        #expect(Environment.cores(allowedIn: status.replacingOccurrences(of: "%@", with: "ffff"), online: 4) == 4)
        #expect(Environment.cores(allowedIn: "Name:\tvoc\n", online: 3) == 3)
    }

    /// A number as `Fixed4` writes it, the plain way: rounded half away from zero at four decimals.
    static func plainFixed4(_ value: Double) -> String {
        let scaled = Int((abs(value) * 10_000).rounded())
        let decimals = String(scaled % 10_000)
        return (value < 0 && scaled > 0 ? "-" : "") + "\(scaled / 10_000)." + String(repeating: "0", count: 4 - decimals.count) + decimals
    }

    @Test func scoresAreWrittenWithFourDecimalsRoundedHalfAwayFromZero() {
        var values: [Double] = [0, -0.0, 1, -1, 0.00004, -0.00004, 0.00005, -0.00005, 9.99995, 9.99994, 10, -12345.67891, 99_999.99999]
        for k in -10_050...10_050 {
            for tie in [Double(k) / 10_000, (Double(k) + 0.5) / 10_000] { values += [tie, tie.nextUp, tie.nextDown] }
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 { values.append(Double.random(in: -1.5...1.5, using: &generator)) }
        var mismatches: [String] = []
        for value in values {
            var bytes: [UInt8] = []
            Fixed4.append(value, to: &bytes)
            let written = String(decoding: bytes, as: UTF8.self)
            if written != Self.plainFixed4(value) { mismatches.append("\(value): \(written)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        #expect(Self.plainFixed4(-0.00004) == "0.0000" && Self.plainFixed4(0.00005) == "0.0001")
    }
}
