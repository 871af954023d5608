import Testing
@testable import Themes

@Suite struct SubThemeTests {
    static let parent = Theme(id: "d-refund", label: "refund", keyphrases: ["refund"], department: "billing", severity: .moneyLoss,
                              curated: false, signature: ["refund": 1])

    /// A theme of `perGroup` messages per group: all say "refund", each group adds its own words.
    static func theme(_ groups: [[String]], perGroup: Int) -> [ThemeDocument] {
        var out: [ThemeDocument] = []
        for i in 0..<perGroup {
            for group in groups {
                // Rotate the group's words so messages differ; every message keeps three of them.
                let words = (0..<3).map { group[(i + $0) % group.count] }
                out.append(ThemeDocument(terms: ["refund"] + words.map { Optional($0) }))
            }
        }
        return out
    }

    @Test func aThemeWithThreeSeparateConcernsSplitsIntoThem() {
        let groups = [["wait", "week", "still", "received"], ["wrong", "card", "account", "old"], ["partial", "amount", "missing", "half"]]
        let documents = Self.theme(groups, perGroup: 20)
        let subthemes = SubThemeFinder(vectorizer: Vectorizer(stopwords: []), seed: 1)
            .split(documents, members: Array(documents.indices), of: Self.parent)
        #expect(subthemes.count == 3)
        for sub in subthemes {
            // Each sub-theme is one group: its members all come from the same group (index modulo 3).
            #expect(Set(sub.members.map { $0 % 3 }).count == 1, "\(sub.label)")
            #expect(sub.members.count == 20)
            #expect(!sub.label.contains("refund"), "the parent's own word does not label a sub-theme: \(sub.label)")
            #expect(sub.representatives.count == 3 && sub.representatives.allSatisfy(sub.members.contains))
        }
        #expect(Set(subthemes.map(\.label)).count == 3)
    }

    /// A theme larger than `fitSample` is fitted on a sample and every member assigned: the sample and the
    /// whole theme find the same three concerns, and members outside the sample land in their own group.
    @Test func aLargeThemeFittedOnASampleSplitsAsTheWholeDoes() {
        let groups = [["wait", "week", "still", "received"], ["wrong", "card", "account", "old"], ["partial", "amount", "missing", "half"]]
        let documents = Self.theme(groups, perGroup: 60)
        var finder = SubThemeFinder(vectorizer: Vectorizer(stopwords: []), seed: 1)
        let whole = finder.split(documents, members: Array(documents.indices), of: Self.parent)
        finder.fitSample = 45
        let sampled = finder.split(documents, members: Array(documents.indices), of: Self.parent)
        #expect(SubThemeFinder.sample(Array(documents.indices), count: 45, seed: 1).count == 45)
        #expect(sampled.count == 3)
        #expect(sampled.map(\.members) == whole.map(\.members))
        for sub in sampled { #expect(sub.members.count == 60 && Set(sub.members.map { $0 % 3 }).count == 1, "\(sub.label)") }
    }

    @Test func aThemeWithoutInnerStructureOrTooSmallStaysWhole() {
        let finder = SubThemeFinder(vectorizer: Vectorizer(stopwords: []), seed: 1)
        let same = (0..<60).map { _ in ThemeDocument(terms: ["refund", "late"]) }
        #expect(finder.split(same, members: Array(same.indices), of: Self.parent).isEmpty, "nothing tells the members apart")
        let small = Self.theme([["wait", "week", "still"], ["wrong", "card", "account"]], perGroup: 10)
        #expect(finder.split(small, members: Array(small.indices), of: Self.parent).isEmpty, "20 messages: below the minimum size")
        // A group below a tenth of the theme is not a sub-theme of its own.
        let lopsided = Self.theme([["wait", "week", "still", "received"]], perGroup: 57)
            + Self.theme([["wrong", "card", "account", "old"]], perGroup: 3)
        let subthemes = finder.split(lopsided, members: Array(lopsided.indices), of: Self.parent)
        #expect(subthemes.allSatisfy { $0.members.count >= 6 })
    }
}

@Suite struct SentenceMentionTests {
    static func theme(_ id: String, _ signature: [String: Float]) -> Theme {
        Theme(id: id, label: id, keyphrases: [], department: "d", severity: .average, curated: false, signature: signature)
    }

    @Test func discoveredThemesAreMentionedPerSentence() {
        let themes = [Self.theme("d-late", ["parcel": 1, "late": 1, "days": 0.5]), Self.theme("d-colour", ["colour": 1, "wrong": 0.8, "ordered": 0.5])]
        let finder = LexicalThemeFinder(vectorizer: Vectorizer(stopwords: []), taxonomy: .empty)
        let documents = [
            // Two issues: the message's theme moves to its sentence, the other sentence raises the second theme.
            ThemeDocument(sentences: [["parcel", "days", "late"], ["colour", "wrong", "ordered"]]),
            // A two-term closer matching the other theme exactly raises nothing of its own.
            ThemeDocument(sentences: [["parcel", "late", "days"], ["wrong", "colour"]]),
            // One sentence: left as it is.
            ThemeDocument(sentences: [["parcel", "late", "colour", "wrong"]]),
        ]
        let mentions = (0..<3).map { ThemeMention(document: $0, sentence: -1, theme: 0) }
        let out = finder.sentenceMentions(mentions, documents: documents, themes: themes)
        #expect(out == [
            ThemeMention(document: 0, sentence: 0, theme: 0), ThemeMention(document: 0, sentence: 1, theme: 1),
            ThemeMention(document: 1, sentence: 0, theme: 0),
            ThemeMention(document: 2, sentence: -1, theme: 0),
        ])
    }
}
