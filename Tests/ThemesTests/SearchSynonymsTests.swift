import Foundation
import Ingest
import Testing
import Text
import Themes

@Suite struct SearchSynonymsTests {
    static let raincoats = [["kids", "children"], ["raincoat", "rain jacket"]]

    @Test func membersAreReadAsTheirGroupsFirst() throws {
        let synonyms = try SearchSynonyms(groups: Self.raincoats)
        #expect(SearchQueries.normalized(["Children Rain-Jacket", "kids raincoat", "children's coat"], synonyms: synonyms)
            == ["kids raincoat", "kids raincoat", "kids s coat"])
        // Without synonyms the queries keep their words.
        #expect(SearchQueries.normalized(["children rain jacket"]) == ["children rain jacket"])
    }

    /// The longest member wins where members overlap: "rain jacket" is a raincoat, a jacket alone is a coat.
    @Test func theLongestMemberIsReadFirst() throws {
        let synonyms = try SearchSynonyms(groups: [["coat", "jacket"], ["raincoat", "rain jacket"]])
        #expect(SearchQueries.normalized(["rain jacket", "denim jacket", "jacket rain jacket"], synonyms: synonyms)
            == ["raincoat", "denim coat", "coat raincoat"])
        // A group's first member is matched whole as well: its words are not another group's.
        let firstLong = try SearchSynonyms(groups: [["rain jacket", "raincoat"], ["coat", "jacket"]])
        #expect(SearchQueries.normalized(["rain jacket", "raincoat", "jacket"], synonyms: firstLong) == ["rain jacket", "rain jacket", "coat"])
    }

    /// A member written twice could be read two ways; a group of one says nothing. Both are refused with
    /// the group, and the taxonomy names its file.
    @Test func ambiguousOrEmptyGroupsAreRefused() throws {
        #expect { try SearchSynonyms(groups: [["kids", "children"], ["child", "Children"]]) } throws: {
            "\($0)".contains("group 2 (child, Children): \"Children\" is already in group 1")
        }
        #expect { try SearchSynonyms(groups: [["tv", "TV"]]) } throws: { "\($0)".contains("is already in this group") }
        #expect { try SearchSynonyms(groups: [["sofa"]]) } throws: { "\($0)".contains("at least two members") }
        #expect { try SearchSynonyms(groups: [["sofa", "--"]]) } throws: { "\($0)".contains("has no letter or digit") }

        let path = NSTemporaryDirectory() + "voc-taxonomy-\(UUID().uuidString).yaml"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "version: 1\ndepartments: [delivery]\nsearch_synonyms:\n  - [kids, children]\n  - [child, children]\nthemes: []\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try Taxonomy.load(path: path) } throws: { "\($0)".hasPrefix("\(path): search_synonyms group 2") }
    }

    /// The shipped taxonomy reads the generator's "children rain jacket" as the "kids raincoat" demand.
    @Test func theShippedTaxonomyHasSynonyms() throws {
        let taxonomy = try Taxonomy.load(path: PlantedCorpus.lexiconDirectory + "/taxonomy.yaml")
        #expect(SearchQueries.normalized(["children rain jacket", "playstation 5 controller"], synonyms: taxonomy.searchSynonyms)
            == ["kids raincoat", "ps5 controller"])
    }

    /// "children rain jacket" shares no word with the raincoat queries: a demand of its own at ten times the
    /// sample's week 47 (`SearchQueriesTests`), the raincoat demand with the synonyms.
    @Test func synonymsJoinDemandsThatShareNoWord() throws {
        let queries = SearchQueriesTests.week47.flatMap { Array(repeating: $0.0, count: $0.1 * 10) }
        func themeOf(_ query: String, _ set: ThemeSet) -> Set<Int?> { Set(queries.indices.filter { queries[$0] == query }.map { set.assignments[$0] }) }
        let vectorizer = Vectorizer(stopwords: PlantedCorpus.stopwords)
        let without = SearchQueries.themes(queries, vectorizer: vectorizer, tokenizer: Tokenizer(), department: "search", seed: 1)
        #expect(themeOf("children rain jacket", without) != themeOf("kids raincoat", without))
        let with = SearchQueries.themes(
            queries, vectorizer: vectorizer, tokenizer: Tokenizer(), department: "search", synonyms: try SearchSynonyms(groups: Self.raincoats), seed: 1)
        let raincoat = themeOf("kids raincoat", with)
        #expect(raincoat.count == 1 && raincoat.first! != with.other)
        #expect(themeOf("children rain jacket", with) == raincoat)
        #expect(themeOf("toddler raincoat", with) == raincoat)
        #expect(with.themes.count == without.themes.count - 1)
    }
}
