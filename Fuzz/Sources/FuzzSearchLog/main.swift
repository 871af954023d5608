import Foundation
import Ingest
import FuzzSupport

/// libFuzzer entry: the bytes are one `searches.tsv` file; every record must end as feedback or a rejection.
fuzz { input in
    let file = SourceFile(path: fileName(for: input, [UInt8(ascii: "{"): "searches.jsonl", UInt8(ascii: "q"): "terms.csv"], otherwise: "searches.tsv"), data: Data(input))
    // A small per-row cap keeps each run fast; the cap itself is what is checked.
    var limits = IngestLimits()
    limits.maxSearchesPerRow = 100
    checkEvents(SiteSearchLogReader(limits: limits), file, recordsPerByte: limits.maxSearchesPerRow)
}
