import Foundation
import Ingest
import FuzzSupport

/// libFuzzer entry: the bytes are one `responses.csv` file; every record must end as feedback or a rejection.
fuzz { input in
    let file = SourceFile(path: "responses.csv", data: Data(input))
    checkEvents(SurveyCSVReader(), file)
}
