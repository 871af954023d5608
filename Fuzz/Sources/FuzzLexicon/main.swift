import FuzzSupport
import Sentiment

/// libFuzzer entry: any bytes as a valence lexicon file. Loading either succeeds or fails with a file and a
/// line inside the input; a loaded file must also apply to the lexicons (duplicates, conflicts) without a crash.
fuzz { input in
    let text = String(decoding: input, as: UTF8.self)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
    do throws(LexiconError) {
        var lexicons = Lexicons()
        try lexicons.addValences(LexiconFile(name: "fuzz.tsv", text: text, columns: ["term", "valence", "notes"]))
    } catch {
        require(error.file == "fuzz.tsv" && error.line >= 0 && error.line <= lines + 1, "error names no line of the input")
        require(!error.reason.isEmpty, "error without a reason")
    }
}
