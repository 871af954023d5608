import Foundation

/// MIME content transfer encodings, decoded tolerantly: bad characters are skipped, never fatal.
enum TransferEncoding {
    /// A Content-Transfer-Encoding value as compared: lowercased, without spaces and tabs at its ends.
    static func name(_ encoding: String?) -> String? { encoding?.lowercasedOnBytes().trimming(" \t") }

    /// Base64 and quoted-printable hide text from the redactor; 7bit, 8bit and binary do not.
    static func hidesText(_ encoding: String?) -> Bool { kind(encoding) != .identity }

    static func decode(_ body: ArraySlice<UInt8>, encoding: String?) -> [UInt8] {
        switch kind(encoding) {
        case .quotedPrintable: return quotedPrintable(body)
        case .base64: return base64(body)
        case .identity: return Array(body)
        }
    }

    enum Kind { case base64, quotedPrintable, identity }

    /// What `name` would say of the encoding, read on its bytes (ASCII folded; neither name has a letter
    /// that a non-ASCII one lowercases to): lowercasing and trimming a String for every part and asking
    /// twice was 1% of the mail reader.
    static func kind(_ encoding: String?) -> Kind {
        guard var encoding else { return .identity }
        return encoding.withUTF8 { bytes in
            let word = bytes[MailMessage.withoutSpacesAndTabs(bytes, 0..<bytes.count)]
            return word.equalsFolded("base64") ? .base64 : word.equalsFolded("quoted-printable") ? .quotedPrintable : .identity
        }
    }

    static func quotedPrintable(_ input: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var i = input.startIndex
        while i < input.endIndex {
            let byte = input[i]
            if byte == 0x3D {  // "="
                let next = input.index(after: i)
                if next < input.endIndex, input[next] == 0x0A {
                    i = input.index(after: next)
                    continue
                }
                if next < input.endIndex, input[next] == 0x0D {
                    i = input.index(next, offsetBy: input.index(after: next) < input.endIndex && input[input.index(after: next)] == 0x0A ? 2 : 1)
                    continue
                }
                if input.distance(from: next, to: input.endIndex) >= 2, let hi = hex(input[next]),
                    let lo = hex(input[input.index(after: next)])
                {
                    out.append(hi << 4 | lo)
                    i = input.index(next, offsetBy: 2)
                    continue
                }
            }
            out.append(byte)
            i = input.index(after: i)
        }
        return out
    }

    static func base64(_ input: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count * 3 / 4)
        var buffer: UInt32 = 0
        var bits = 0
        for byte in input {
            let value: UInt8
            switch byte {
            case 65...90: value = byte - 65
            case 97...122: value = byte - 71
            case 48...57: value = byte + 4
            case 43, 45: value = 62
            case 47, 95: value = 63
            default: continue
            }
            buffer = buffer << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        return out
    }

    static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: return byte - 48
        case 65...70: return byte - 55
        case 97...102: return byte - 87
        default: return nil
        }
    }
}
