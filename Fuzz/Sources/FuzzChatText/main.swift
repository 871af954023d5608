import Foundation
import Ingest
import FuzzSupport

/// libFuzzer entry: the bytes are one `chats.txt` file (a `tweets.csv` thread export unless it starts with `[`); every record must end as feedback or a rejection.
fuzz { input in
    let file = SourceFile(path: fileName(for: input, [UInt8(ascii: "["): "chats.txt"], otherwise: "tweets.csv"), data: Data(input))
    checkEvents(ChatTranscriptReader(), file)
}
