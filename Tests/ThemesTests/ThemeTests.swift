import Testing
import Themes

/// What a theme says about itself and about other themes.
struct ThemeTests {
    static func theme(_ id: String, _ keyphrases: [String]) -> Theme {
        Theme(id: id, label: keyphrases.first ?? id, keyphrases: keyphrases, department: "d", severity: .average, curated: false, signature: [:])
    }

    /// A failed search is related to a theme that says its words, whole and stemmed, not to one that holds
    /// them inside another word.
    @Test func keyphrasesAreSharedByWholeWords() {
        let hub = Self.theme("search-usbc-hub", ["usbc hub", "dock", "port"])
        let boots = Self.theme("search-leather-boots", ["leather boots", "vegan"])
        #expect(!hub.sharesKeyphrase(with: Self.theme("d-support", ["norway", "ship", "support"])))
        #expect(!hub.sharesKeyphrase(with: Self.theme("d-hubris", ["hubris", "reporting"])))
        #expect(hub.sharesKeyphrase(with: Self.theme("d-dock", ["docking station", "usbc hub"])))
        #expect(hub.sharesKeyphrase(with: Self.theme("d-ports", ["ports missing"])))
        #expect(boots.sharesKeyphrase(with: Self.theme("d-boot", ["boot", "size"])))
        #expect(boots.sharesKeyphrase(with: Self.theme("d-leather", ["brown leather boots run small"])))
        #expect(!boots.sharesKeyphrase(with: Self.theme("d-reboot", ["reboot", "app"])))
        #expect(!boots.sharesKeyphrase(with: Self.theme("d-none", [])))
    }
}
