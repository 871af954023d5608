import Foundation
import Ingest
import FuzzSupport

/// libFuzzer entry: the bytes are one `feed.xml` file; every record must end as feedback or a rejection.
fuzz { input in
    let file = SourceFile(path: fileName(for: input, [UInt8(ascii: "{"): "topic.json"], otherwise: "feed.xml"), data: Data(input))
    checkEvents(CommunityReader(), file)
}
