import Foundation

/// Whole lines of a stream (a pipe, a terminal, a socket) as they arrive, in chunks. `voc score` on a pipe
/// scores and writes while it reads: memory holds a chunk, not the whole input (which read first was held
/// twice, and nothing was written before its end: `yes | voc score` never answered).
/// A chunk is cut at its last line end once it holds `chunkSize` bytes or nothing more is ready to read,
/// so a line typed at a terminal is answered at once and a fast producer is read in large chunks. A line
/// still being read when it passes `maxLineBytes` is kept to its first `maxLineBytes + 1` bytes and the rest
/// of it is dropped as it arrives, so memory holds a chunk, one read and that much of a line; a long line
/// that arrives whole within a chunk is handed out whole. Either way a line over the limit is handed out
/// longer than the limit, which is how the reader tells it.
final class LineStream {
    private let fd: Int32
    private let chunkSize: Int
    private let maxLineBytes: Int
    /// Inside a line past `maxLineBytes`: bytes are dropped until its end.
    private var dropping = false
    /// Bytes read and not yet handed out; `lastLineEnd` is the index of the last LF among them.
    private var pending: [UInt8] = []
    private var lastLineEnd: Int?
    private var ended = false
    private let scratch: UnsafeMutableRawBufferPointer

    init(fd: Int32, chunkSize: Int = 1 << 18, maxLineBytes: Int = Int.max - 1) {
        self.fd = fd
        self.chunkSize = max(1, chunkSize)
        self.maxLineBytes = max(0, min(maxLineBytes, Int.max - 1))
        scratch = .allocate(byteCount: max(1 << 16, min(chunkSize, 1 << 20)), alignment: 16)
    }

    deinit { scratch.deallocate() }

    /// The next chunk: whole lines, each ending with its LF (the stream's last line may have none), and
    /// whether more input was ready to read when it was cut (a caller may then gather further chunks before
    /// it scores them). Nil once the stream has ended and every line was handed out.
    func next() throws -> (lines: [UInt8], moreReady: Bool)? {
        while true {
            if let end = lastLineEnd, ended || pending.count >= chunkSize || !inputReady() {
                let chunk = Array(pending[...end])
                pending.removeFirst(end + 1)
                lastLineEnd = nil  // cut at the last line end: what is left is part of a line
                return (chunk, !ended && inputReady())
            }
            if ended {
                guard !pending.isEmpty else { return nil }
                defer { pending = [] }
                return (pending, false)
            }
            try readOnce()
        }
    }

    /// Whether a read would return within a millisecond (data, or the end of the stream). A fast producer
    /// refills a pipe within that time, so its input is read in full chunks; at a terminal a millisecond
    /// is no delay.
    private func inputReady() -> Bool {
        var probe = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&probe, 1, 1) > 0
    }

    /// One `read`, appended to `pending`; its end of file ends the stream.
    private func readOnce() throws {
        while true {
            let got = read(fd, scratch.baseAddress, scratch.count)
            if got < 0 {
                if errno == EINTR { continue }
                throw UsageError("cannot read the input: \(String(cString: strerror(errno)))")
            }
            if got == 0 {
                ended = true
                return
            }
            var new = UnsafeRawBufferPointer(rebasing: scratch[0..<got])
            if dropping {
                // The rest of an overlong line: dropped up to its end, which closes the part kept.
                guard let end = new.firstIndex(of: 0x0A) else { return }
                new = UnsafeRawBufferPointer(rebasing: new[end...])
                dropping = false
            }
            let start = pending.count
            pending.append(contentsOf: new)
            // Only the new bytes are searched for the last line end.
            if let k = pending[start...].lastIndex(of: 0x0A) { lastLineEnd = k }
            let lineStart = (lastLineEnd ?? -1) + 1
            if pending.count - lineStart > maxLineBytes + 1 {
                pending.removeLast(pending.count - lineStart - (maxLineBytes + 1))
                dropping = true
            }
            return
        }
    }
}
