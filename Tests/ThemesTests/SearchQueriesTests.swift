import Foundation
import Ingest
import Testing
import Text
import Themes

@Suite struct SearchQueriesTests {
    /// The sample corpus's failed searches of week 47, with how often each was typed.
    static let week47: [(String, Int)] = [
        ("vegan leather boots", 8), ("gluten free pasta", 8), ("vegan leather boot women", 6), ("gluten-free pasta", 6),
        ("vegan boots", 5), ("usbc hub 4 port", 5), ("usb-c hub", 5), ("usb c dock", 5), ("non leather boots", 5),
        ("kids raincoat", 4), ("gluten free bread", 4), ("ps5 pad", 3), ("dualsense controller", 3), ("ps5 controller", 2),
        ("kids rain coat", 2), ("gluten free flour", 2), ("usb c hub", 1), ("playstation 5 controller", 1),
        ("children rain jacket", 1), ("toddler raincoat", 2),
    ]

    @Test func hyphensAndCaseGoAndJoinedFormsFollowTheLog() {
        let queries = ["Gluten-Free Pasta", "gluten free pasta", "usb-c hub", "USB C hub", "usbc hub 4 port", "kids rain coat", "kids raincoat"]
        #expect(SearchQueries.normalized(queries) == [
            "gluten free pasta", "gluten free pasta", "usbc hub", "usbc hub", "usbc hub 4 port", "kids raincoat", "kids raincoat",
        ])
    }

    @Test func nothingIsJoinedThatTheLogNeverWroteJoined() {
        #expect(SearchQueries.normalized(["kids rain coat", "usb-c hub", "gluten-free"]) == ["kids rain coat", "usb c hub", "gluten free"])
        // Other scripts' letters and digits are words' pieces too; other symbols part them.
        #expect(SearchQueries.normalized(["Café crème — 2 × 500g"]) == ["café crème 2 500g"])
    }

    /// A demand's id is "search-" and its label's slug, hyphens inside kept ("iced tea" had become
    /// "search-icetea" when every "d-" of "d-iced-tea" went).
    @Test func demandIdsKeepTheirLabelsSlug() {
        let queries = Array(repeating: "red dress", count: 6) + Array(repeating: "iced tea", count: 6)
        let set = SearchQueries.themes(queries, vectorizer: Vectorizer(stopwords: PlantedCorpus.stopwords), tokenizer: Tokenizer(), department: "search", seed: 1)
        #expect(Set(set.themes.map(\.id)) == ["search-red-dress", "search-iced-tea"])
    }

    /// A spelling of a demand searched too rarely for a theme of its own is counted with the demand it shares
    /// its words with: the sample corpus's week 47, where k-means left "toddler raincoat" a cluster of two,
    /// folded into "other" (ClusteringTests covers a search that shares no word).
    @Test func rareSearchesJoinTheDemandTheyShareWordsWith() throws {
        let queries = Self.week47.flatMap { Array(repeating: $0.0, count: $0.1) }
        let set = SearchQueries.themes(queries, vectorizer: Vectorizer(stopwords: PlantedCorpus.stopwords), tokenizer: Tokenizer(), department: "search", seed: 1)
        let themeOf = { (query: String) in queries.indices.filter { queries[$0] == query }.map { set.assignments[$0] } }
        let raincoat = try #require(themeOf("kids raincoat").first ?? nil)
        #expect(raincoat != set.other)
        #expect(themeOf("toddler raincoat") == [raincoat, raincoat])
    }

    /// The same searches group the same way at any volume: the sample's week 47 at ten and a hundred times
    /// its searches gave eleven demands where it gave five ("ps5 pad", "dualsense controller" and "ps5
    /// controller" each a demand of its own), when the searches were clustered copy by copy. Only whether a
    /// group is big enough to keep may change: "children rain jacket", searched once, shares no word with
    /// another query and goes to "other"; searched ten times, it is a demand.
    @Test func searchesGroupTheSameWayAtAnyVolume() {
        func groups(times factor: Int) -> Set<Set<String>> {
            let queries = Self.week47.flatMap { Array(repeating: $0.0, count: $0.1 * factor) }
            let set = SearchQueries.themes(queries, vectorizer: Vectorizer(stopwords: PlantedCorpus.stopwords), tokenizer: Tokenizer(), department: "search", seed: 1)
            var members: [Int: Set<String>] = [:]
            for (i, theme) in set.assignments.enumerated() where theme != nil && theme != set.other { members[theme!, default: []].insert(queries[i]) }
            return Set(members.values)
        }
        let once = groups(times: 1), tenfold = groups(times: 10)
        #expect(once.count == 5)
        #expect(once.contains(["dualsense controller", "playstation 5 controller", "ps5 controller", "ps5 pad"]))
        #expect(once.contains(["kids raincoat", "kids rain coat", "toddler raincoat"]))
        #expect(tenfold == once.union([["children rain jacket"]]))
        #expect(groups(times: 100) == tenfold)
    }

    /// Merging the parts again must not join demands through a shared modifier: four products, each
    /// searched "<product> women" and "black <product>", are four demands at any volume.
    @Test(arguments: [1, 100]) func sharedModifiersDoNotJoinDemands(times factor: Int) {
        let products = ["boots", "jacket", "dress", "backpack"]
        let queries = products.flatMap { p in Array(repeating: "\(p) women", count: 3 * factor) + Array(repeating: "black \(p)", count: 3 * factor) }
        let set = SearchQueries.themes(queries, vectorizer: Vectorizer(stopwords: PlantedCorpus.stopwords), tokenizer: Tokenizer(), department: "search", seed: 1)
        var members: [Int: Set<String>] = [:]
        for (i, theme) in set.assignments.enumerated() { if let theme { members[theme, default: []].insert(queries[i]) } }
        #expect(Set(members.values) == Set(products.map { ["\($0) women", "black \($0)"] }))
    }

    /// A week whose failed searches are all one query: a demand when searched often enough, else "other".
    @Test func oneQueryAloneIsADemandWhenSearchedOftenEnough() {
        let vectorizer = Vectorizer(stopwords: PlantedCorpus.stopwords)
        let often = SearchQueries.themes(Array(repeating: "red dress", count: 6), vectorizer: vectorizer, tokenizer: Tokenizer(), department: "search", seed: 1)
        #expect(often.themes.map(\.id) == ["search-red-dress"])
        #expect(often.assignments == Array(repeating: 0, count: 6))
        let rarely = SearchQueries.themes(["red dress", "red dress"], vectorizer: vectorizer, tokenizer: Tokenizer(), department: "search", seed: 1)
        #expect(rarely.other == 0 && rarely.assignments == [0, 0])
    }

    /// The generator plants five search demands, each typed four ways. Every demand theme found must hold
    /// one planted demand only (before, "ps5 pad" sat in the gluten-free theme and "usb c dock" with the
    /// controllers), and most of each demand's searches must be in a theme.
    @Test(arguments: [UInt64(3), 11, 29, 47, 53]) func plantedDemandsComeBackPure(seed: UInt64) throws {
        let directory = NSTemporaryDirectory() + "voc-search-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try SampleCorpus(messages: 500, weeks: 1, seed: seed, malformedRate: 0).write(to: directory)
        var queries: [String] = [], planted: [String] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: directory + "/.truth") {
            for line in try String(contentsOfFile: directory + "/.truth/" + file, encoding: .utf8).split(separator: "\n") {
                let f = line.split(separator: "\t").map(String.init)
                guard f[0] == "search", let hash = f[1].firstIndex(of: "#") else { continue }
                queries.append(String(f[1][f[1].index(after: hash)...]))
                planted.append(f[2])
            }
        }
        #expect(queries.count > 60)
        let set = SearchQueries.themes(
            queries, vectorizer: Vectorizer(stopwords: PlantedCorpus.stopwords), tokenizer: Tokenizer(), department: "ecommerce", seed: 1)
        var demandsOfTheme: [Int: Set<String>] = [:]
        var themed = 0
        for (i, theme) in set.assignments.enumerated() {
            guard let theme, theme != set.other else { continue }
            demandsOfTheme[theme, default: []].insert(planted[i])
            themed += 1
        }
        for (theme, demands) in demandsOfTheme {
            #expect(demands.count == 1, "\(set.themes[theme].label) holds \(demands.sorted())")
        }
        #expect(Set(demandsOfTheme.values.flatMap { $0 }).count == 5)
        #expect(Double(themed) >= 0.9 * Double(queries.count))
        #expect(set.themes.allSatisfy { $0.department == "ecommerce" && $0.id.hasPrefix("search-") })
    }

    /// A demand's label names the words most of its searches carry: "leather boots", the phrase the labeler
    /// found, said the opposite of searches asking for vegan or non-leather boots.
    @Test func aLabelNamesWhatMostSearchesAskFor() {
        let searches = Array(repeating: "vegan leather boot women", count: 11) + Array(repeating: "vegan leather boots", count: 7)
            + Array(repeating: "non leather boots", count: 8) + Array(repeating: "vegan boots", count: 5)  // "vegan" in 23 of 31
        let stopwords = PlantedCorpus.stopwords
        // The form that writes the label as it is, before a more searched one that writes "boot".
        #expect(SearchQueries.labelNamingMost("leather boots", of: searches, share: 2.0 / 3, stopwords: stopwords) == "vegan leather boots")
        #expect(SearchQueries.labelNamingMost("leather boots", of: searches, share: 0.8, stopwords: stopwords) == "leather boots")
        // A modifier under the share ("pasta" in 10 of 24) stays out; a label of two phrases is left alone;
        // so is a demand of fewer than six searches, and a stopword never widens a label.
        let gluten = Array(repeating: "gluten free flour", count: 8) + Array(repeating: "gluten free bread", count: 6)
            + Array(repeating: "gluten free pasta", count: 10)
        #expect(SearchQueries.labelNamingMost("gluten free", of: gluten, share: 2.0 / 3, stopwords: stopwords) == "gluten free")
        #expect(SearchQueries.labelNamingMost("ps5 / controller", of: Array(repeating: "ps5 pad", count: 9), share: 0.5, stopwords: stopwords)
            == "ps5 / controller")
        #expect(SearchQueries.labelNamingMost("leather boots", of: Array(searches.prefix(5)), share: 0.5, stopwords: stopwords) == "leather boots")
        #expect(stopwords.contains("for"))
        #expect(SearchQueries.labelNamingMost("boots", of: Array(repeating: "boots for women", count: 6), share: 0.5, stopwords: stopwords)
            == "boots for women")
        #expect(SearchQueries.labelNamingMost("boots", of: Array(repeating: "boots for", count: 6), share: 0.5, stopwords: stopwords) == "boots")
    }

    /// Through the clustering, and from week to week: a week whose searches carry "vegan" two times in three
    /// labels the demand with it; a later week where one in two does keeps that label (held among its
    /// keyphrases), where the label would otherwise flip with the share.
    @Test func aWidenedLabelHoldsWhileItsWordStaysCommon() throws {
        func week(vegan: Int, plain: Int) -> ThemeSet {
            let queries = Array(repeating: "vegan leather boots", count: vegan) + Array(repeating: "non leather boots", count: plain)
            return SearchQueries.themes(queries, vectorizer: Vectorizer(stopwords: PlantedCorpus.stopwords), tokenizer: Tokenizer(), department: "search", seed: 1)
        }
        let first = week(vegan: 14, plain: 6)
        let boots = try #require(first.themes.first { !$0.isOther })
        #expect(boots.label == "vegan leather boots")
        #expect(boots.id == "search-vegan-leather-boots")
        let later = week(vegan: 11, plain: 9)
        let again = try #require(later.themes.firstIndex { !$0.isOther })
        #expect(later.themes[again].label == "leather boots")
        #expect(ThemeIdentity.steadyLabels(later.themes, ids: later.themes.map { _ in boots.id }, known: [boots])[again] == "vegan leather boots")
        let rare = week(vegan: 7, plain: 13)
        let gone = try #require(rare.themes.firstIndex { !$0.isOther })
        #expect(ThemeIdentity.steadyLabels(rare.themes, ids: rare.themes.map { _ in boots.id }, known: [boots])[gone] == "leather boots")
    }
}
