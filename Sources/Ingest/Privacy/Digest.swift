import Foundation

/// SHA-256 (FIPS 180-4). Used for stable ids, salted customer references and lexicon content hashes;
/// Foundation on Linux has no CryptoKit and the product needs no other cryptography.
public enum Digest {
    public static func sha256(_ text: String) -> [UInt8] {
        var text = text
        return text.withUTF8(sha256)
    }

    public static func sha256<Bytes: Collection<UInt8>>(_ message: Bytes) -> [UInt8] {
        if let digest = message.withContiguousStorageIfAvailable(sha256) { return digest }
        return Array(message).withUnsafeBufferPointer(sha256)
    }

    /// Called two or three times per stored record (ids, customer references), on short inputs: whole
    /// blocks are read in place and only the padded tail is copied, with no heap array per call (the
    /// array-based version was 7% of survey ingest).
    static func sha256(_ message: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
            0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
        )
        let whole = message.count / 64 * 64
        var offset = 0
        while offset < whole {
            compress(&state, UnsafeRawPointer(message.baseAddress! + offset))
            offset += 64
        }
        // The tail, 0x80, zeros and the bit length: one block, or two when fewer than 9 bytes are left.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { tail in
            tail.initialize(repeating: 0)
            let rest = message.count - whole
            for i in 0..<rest { tail[i] = message[whole + i] }
            tail[rest] = 0x80
            let blocks = rest < 56 ? 1 : 2
            let bitLength = UInt64(message.count) &* 8
            for i in 0..<8 { tail[blocks * 64 - 1 - i] = UInt8(truncatingIfNeeded: bitLength >> UInt64(i * 8)) }
            for b in 0..<blocks { compress(&state, UnsafeRawPointer(tail.baseAddress! + b * 64)) }
        }
        let bigEndian = (state.0.bigEndian, state.1.bigEndian, state.2.bigEndian, state.3.bigEndian,
                         state.4.bigEndian, state.5.bigEndian, state.6.bigEndian, state.7.bigEndian)
        return withUnsafeBytes(of: bigEndian) { Array($0) }
    }

    /// One 64-byte block into the state (FIPS 180-4, section 6.2.2). Eight rounds per pass, each naming the
    /// working variables in their rotated order, so no round shuffles eight values (the shuffle and the
    /// checked shifts had made a block cost 4,400 instructions; two blocks or more are hashed per stored
    /// record).
    private static func compress(_ h: inout (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32), _ block: UnsafeRawPointer) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            for i in 0..<16 { w[i] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self)) }
            for i in 16..<64 {
                let x = w[i &- 15], y = w[i &- 2]
                let s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x &>> 3)
                let s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y &>> 10)
                w[i] = w[i &- 16] &+ s0 &+ w[i &- 7] &+ s1
            }
            var (a, b, c, d, e, f, g, hh) = h
            roundConstants.withUnsafeBufferPointer { k in
                var i = 0
                while i < 64 {
                    round(a, b, c, &d, e, f, g, &hh, k[i] &+ w[i])
                    round(hh, a, b, &c, d, e, f, &g, k[i &+ 1] &+ w[i &+ 1])
                    round(g, hh, a, &b, c, d, e, &f, k[i &+ 2] &+ w[i &+ 2])
                    round(f, g, hh, &a, b, c, d, &e, k[i &+ 3] &+ w[i &+ 3])
                    round(e, f, g, &hh, a, b, c, &d, k[i &+ 4] &+ w[i &+ 4])
                    round(d, e, f, &g, hh, a, b, &c, k[i &+ 5] &+ w[i &+ 5])
                    round(c, d, e, &f, g, hh, a, &b, k[i &+ 6] &+ w[i &+ 6])
                    round(b, c, d, &e, f, g, hh, &a, k[i &+ 7] &+ w[i &+ 7])
                    i &+= 8
                }
            }
            h = (h.0 &+ a, h.1 &+ b, h.2 &+ c, h.3 &+ d, h.4 &+ e, h.5 &+ f, h.6 &+ g, h.7 &+ hh)
        }
    }

    /// One round: `d` and `h` are the two variables it changes; the caller rotates the names.
    @inline(__always)
    private static func round(
        _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32, _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32,
        _ constantAndWord: UInt32
    ) {
        let t1 = h &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ (g ^ (e & (f ^ g))) &+ constantAndWord
        let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & (b | c)) | (b & c))
        d = d &+ t1
        h = t1 &+ t2
    }

    /// Lowercase hex of the first `bytes` bytes, written straight into the string (a table array and a
    /// growing byte array per call had made this cost as much as a hash block).
    public static func hex(_ digest: [UInt8], bytes: Int = 32) -> String {
        let count = min(max(bytes, 0), digest.count)
        return String(unsafeUninitializedCapacity: count * 2) { out in
            for i in 0..<count {
                out[2 * i] = hexDigit(digest[i] >> 4)
                out[2 * i + 1] = hexDigit(digest[i] & 15)
            }
            return count * 2
        }
    }

    @inline(__always) private static func hexDigit(_ value: UInt8) -> UInt8 { value < 10 ? 0x30 + value : 0x57 + value }

    /// The value of one digit of `hex`'s alphabet (0-9, a-f), or nil.
    @inline(__always) public static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte &- 0x30
        case 0x61...0x66: byte &- 0x57
        default: nil
        }
    }

    /// `hex` read back: appends the bytes a non-empty, even-length text of its digits spells and returns
    /// true; for any other text appends nothing and returns false. Appending lets the store write an id
    /// straight into the buffer it binds from.
    public static func appendBytes(hex text: String, to out: inout [UInt8]) -> Bool {
        var text = text
        return text.withUTF8 { hex in
            guard !hex.isEmpty, hex.count % 2 == 0 else { return false }
            // Decoded on the stack, then appended once: an append per byte was a thousand instructions an id.
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: hex.count / 2) { bytes in
                for k in bytes.indices {
                    guard let high = hexValue(hex[2 * k]), let low = hexValue(hex[2 * k + 1]) else { return false }
                    bytes[k] = high << 4 | low
                }
                out.append(contentsOf: bytes)
                return true
            }
        }
    }

    /// SHA-256 of `first`, one separator byte, then `second`: the key of an id or a customer reference,
    /// hashed from one stack buffer rather than a string built for it.
    public static func sha256(_ first: String, _ separator: UInt8, _ second: String) -> [UInt8] {
        let count = first.utf8.count + 1 + second.utf8.count
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { buffer in
            let base = buffer.baseAddress!
            let i = copy(first, to: base)
            base[i] = separator
            _ = copy(second, to: base + i + 1)
            return sha256(UnsafeBufferPointer(buffer))
        }
    }

    /// Copies a string's UTF-8 bytes to `destination` and returns their count: in one move for a native
    /// string (walking the UTF-8 view a byte at a time was a sixth of an id's hashing).
    @inline(__always)
    private static func copy(_ text: String, to destination: UnsafeMutablePointer<UInt8>) -> Int {
        if let count = text.utf8.withContiguousStorageIfAvailable({ bytes -> Int in
            if let source = bytes.baseAddress { destination.update(from: source, count: bytes.count) }
            return bytes.count
        }) {
            return count
        }
        var i = 0
        for byte in text.utf8 {
            destination[i] = byte
            i += 1
        }
        return i
    }

    @inline(__always) private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x &>> n) | (x &<< (32 &- n)) }

    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]
}

/// Turns a customer's id or address into a salted hash, so one customer is recognised across channels
/// without the store holding who they are.
public struct CustomerPseudonymizer: Sendable {
    public let salt: String
    /// Shared by the copies the readers hold: customers come back (a survey a quarter, several chats), and a
    /// reference is a SHA-256 (a fifth of a survey record's reading, on the 100k corpus where 7 in 10 repeat).
    private let known = KnownReferences()

    /// Installations set their own salt (`VOC_SALT` or configuration); the default only keeps tests stable.
    public init(salt: String = "voc-default-salt") { self.salt = salt }

    public func reference(for rawID: String) -> String? {
        if let reference = known[rawID] { return reference }
        let normalized = rawID.trimmingCharactersInWhitespace().lowercasedOnBytes()
        let reference = normalized.isEmpty ? nil : "c_" + Digest.hex(Digest.sha256(salt, 0x1F, normalized), bytes: 8)
        known[rawID] = reference
        return reference
    }
}

/// Raw customer ids and their references, up to `capacity` of them (then it starts over), behind a lock: the
/// readers of two files ask at once.
final class KnownReferences: @unchecked Sendable {
    static let capacity = 65_536
    private var references: [String: String?] = [:]
    private let lock = NSLock()

    subscript(rawID: String) -> String?? {
        get { lock.withLock { references[rawID] } }
        set {
            lock.withLock {
                if references.count >= Self.capacity { references.removeAll(keepingCapacity: true) }
                references[rawID] = .some(newValue ?? nil)  // a known empty id is kept as nil, not removed
            }
        }
    }
}

extension String {
    func trimmingCharactersInWhitespace() -> String {
        // Most values (ids, addresses) start and end with a visible ASCII character: nothing to trim.
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x7F, last > 0x20, last < 0x7F { return self }
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
