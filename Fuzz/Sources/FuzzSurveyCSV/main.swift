import Foundation
import Ingest
import FuzzSupport

/// libFuzzer entry: the bytes are one `responses.csv` file (`responses.json`, SurveyMonkey API JSON, when it starts with `{`); every record must end as feedback or a rejection.
fuzz { input in
    let file = SourceFile(path: fileName(for: input, [UInt8(ascii: "{"): "responses.json"], otherwise: "responses.csv"), data: Data(input))
    checkEvents(SurveyReader(), file)
}
