import Foundation
import Ingest
import FuzzSupport

/// libFuzzer entry: the bytes are one `chats.txt` file; every record must end as feedback or a rejection.
fuzz { input in
    let file = SourceFile(path: "chats.txt", data: Data(input))
    checkEvents(ChatTranscriptReader(), file)
}
