import Foundation
import Ingest
import FuzzSupport

/// libFuzzer entry: the bytes are one `inbox.mbox` file; every record must end as feedback or a rejection.
fuzz { input in
    let file = SourceFile(path: fileName(for: input, [UInt8(ascii: "F"): "inbox.mbox"], otherwise: "message.eml"), data: Data(input))
    checkEvents(MailboxReader(), file)
}
