import Foundation
import Ingest
import FuzzSupport

/// libFuzzer entry: the bytes are one `chats.jsonl` file; every record must end as feedback or a rejection.
fuzz { input in
    let file = SourceFile(path: fileName(for: input, [UInt8(ascii: "["): "chats.json"], otherwise: "chats.jsonl"), data: Data(input))
    checkEvents(ChatTranscriptReader(), file)
}
