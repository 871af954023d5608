import Testing
import Text
import Themes

@Suite struct MisspellingsTests {
    /// Every swap of two different neighbouring letters, and nothing else: not for short words, not where
    /// the swap is a known word or one of the words, not where two words share it.
    @Test func swapsOfNeighbouringLettersOnly() {
        let swaps = Misspellings.swaps(of: ["points", "form", "silver", "sliver", "abcde", "bcade", "café"], known: ["ponits"])
        #expect(swaps["poitns"] == "points" && swaps["opints"] == "points" && swaps["poinst"] == "points")
        #expect(swaps["ponits"] == nil, "a known word")
        #expect(swaps["pints"] == nil && swaps["poiints"] == nil, "no dropped or doubled letters")
        #expect(!swaps.values.contains("form"), "shorter than \(Misspellings.minimumLength)")
        #expect(swaps["silver"] == nil && swaps["sliver"] == nil, "each is the other's swap")
        #expect(swaps["bacde"] == nil, "\"abcde\" and \"bcade\" share it")
        #expect(!swaps.values.contains("café"))
        // points: 5 swaps less the known one; silver, sliver: 5 each less the other; abcde, bcade: 4 each less the shared one.
        #expect(swaps.count == 4 + 4 + 4 + 3 + 3)
    }

    /// A misspelt seed word still raises its curated theme once the vectorizer knows the taxonomy's swaps,
    /// and the theme's words are read as meant.
    @Test func misspeltSeedWordsStillRaiseTheirTheme() {
        let taxonomy = PlantedCorpus.taxonomy(
            .init(id: "delivery.tracking", name: "Order tracking", department: "delivery", severity: .minor, terms: ["tracking number"]),
            .init(id: "loyalty.points", name: "Loyalty points", department: "loyalty", severity: .average, terms: ["bonus points"]))
        let plain = Vectorizer(stopwords: PlantedCorpus.stopwords)
        var corrected = plain
        corrected.corrections = Misspellings.swaps(of: ["tracking", "number", "bonus", "points"], known: PlantedCorpus.stopwords)
        let texts = ["The tracikng number you sent does not work.", "Lost all my bonus poitns overnight."]
        for (vectorizer, expected) in [(plain, [false, false]), (corrected, [true, true])] {
            let finder = LexicalThemeFinder(vectorizer: vectorizer, taxonomy: taxonomy, tokenizer: PlantedCorpus.tokenizer)
            let set = finder.findThemes(texts.map { vectorizer.document(PlantedCorpus.tokenizer.tokenize($0)) })
            #expect(texts.indices.map { set.assignments[$0].map { set.themes[$0].curated } == true } == expected)
        }
        #expect(corrected.document(PlantedCorpus.tokenizer.tokenize("bonus poitns")).written == ["bonus", "points"])
    }
}
