import Foundation
import Ingest
import FuzzSupport

/// libFuzzer entry: the bytes are one `thread.html` file; every record must end as feedback or a rejection.
fuzz { input in
    let file = SourceFile(path: "thread.html", data: Data(input))
    checkEvents(CommunityReader(), file)
}
