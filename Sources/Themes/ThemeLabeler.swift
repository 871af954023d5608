/// Labels themes with class-based TF-IDF: a term weighs tf in the theme x log(1 + A / f), where A is the
/// average number of terms per theme and f the term's frequency over all themes. Keyphrases prefer
/// multi-word phrases; labels are unique across themes.
enum ThemeLabeler {
    /// `excluding`: stems that never label (a sub-theme is not labelled with its parent's own words).
    static func label(documents: [ThemeDocument], assignments: [Int?], themes: [Theme], keepLabels: Set<Int>, excluding: Set<String> = [])
        -> (themes: [Theme], representatives: [[Int]])
    {
        var perTheme = [[String: Int]](repeating: [:], count: themes.count)
        var overall: [String: Int] = [:]
        var members = [[Int]](repeating: [], count: themes.count)
        var surfaceCounts = [[String: [String: Int]]](repeating: [:], count: themes.count)
        for (d, theme) in assignments.enumerated() {
            guard let theme else { continue }
            members[theme].append(d)
            for (stem, word) in documents[d].surfaces { surfaceCounts[theme][stem, default: [:]][word, default: 0] += 1 }
            let terms = documents[d].terms
            for (i, term) in terms.enumerated() {
                guard let term else { continue }
                perTheme[theme][term, default: 0] += 1
                overall[term, default: 0] += 1
                if i + 1 < terms.count, let next = terms[i + 1] {
                    perTheme[theme][term + " " + next, default: 0] += 1
                    overall[term + " " + next, default: 0] += 1
                }
            }
        }
        let totals = perTheme.map { $0.values.reduce(0, +) }
        let average = Double(totals.reduce(0, +)) / Double(max(1, themes.count))
        var out = themes
        var usedLabels = Set<String>()
        var representatives: [[Int]] = []
        for t in themes.indices {
            var weights: [(String, Double)] = perTheme[t].compactMap { term, count in
                guard count >= 2 || members[t].count < 4 else { return nil }
                if !excluding.isEmpty, term.split(separator: " ").allSatisfy({ excluding.contains(String($0)) }) { return nil }
                let idf = log(1 + average / Double(overall[term]!))
                // Phrases earn a small bonus: "charged twice" says more than "charged".
                let bonus = term.contains(" ") ? 1.3 : 1.0
                return (term, Double(count) / Double(max(1, totals[t])) * idf * bonus)
            }
            weights.sort { ($0.1, $1.0) > ($1.1, $0.0) }
            var keyphrases: [String] = []
            func readable(_ term: String) -> String {
                term.split(separator: " ").map { stem in
                    surfaceCounts[t][String(stem)]?.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? String(stem)
                }.joined(separator: " ")
            }
            var used: [String] = []
            for (term, _) in weights where keyphrases.count < 5 {
                if used.contains(where: { $0.split(separator: " ").contains(where: term.split(separator: " ").contains) }) { continue }
                used.append(term)
                keyphrases.append(readable(term))
            }
            out[t].signature = Dictionary(weights.prefix(30).map { ($0.0, Float($0.1)) }, uniquingKeysWith: { a, _ in a })
            if !keepLabels.contains(t), out[t].id != "other" {
                var label = keyphrases.first?.contains(" ") == true ? keyphrases[0] : keyphrases.prefix(2).joined(separator: " / ")
                var extra = 2
                while usedLabels.contains(label), extra < keyphrases.count {
                    label += ", " + keyphrases[extra]
                    extra += 1
                }
                if label.isEmpty { label = "theme \(t + 1)" }
                // Still taken (keyphrases ran out): number it, so two themes never share a label or an id.
                if usedLabels.contains(label) {
                    var n = 2
                    while usedLabels.contains("\(label) (\(n))") { n += 1 }
                    label = "\(label) (\(n))"
                }
                out[t].label = label
                out[t].keyphrases = keyphrases
                out[t].id = "d-" + slug(label)
            } else if out[t].id == "other" {
                out[t].keyphrases = keyphrases
            }
            usedLabels.insert(out[t].label)
            // Representatives: the members sharing most of the theme's top terms, ties by position.
            let top = Set(weights.prefix(8).map(\.0))
            let ranked = members[t].map { d -> (Int, Int) in
                (documents[d].terms.compactMap { $0 }.filter { top.contains($0) }.count, d)
            }.sorted { ($0.0, -$0.1) > ($1.0, -$1.1) }
            // Five kept (feeds show five examples); the first three are the "most representative" in reports.
            representatives.append(ranked.prefix(5).map(\.1))
        }
        return (out, representatives)
    }

    /// Lowercase letters, digits and dashes only: theme ids end up in file names and URLs.
    static func slug(_ text: String) -> String {
        var out = ""
        for character in text.lowercased() {
            if character.isASCII, character.isLetter || character.isNumber { out.append(character) } else if out.last != "-" { out.append("-") }
        }
        return String(out.trimmingCharacters(in: ["-"]).prefix(48))
    }
}

import Foundation
