/// Labels themes with class-based TF-IDF: a term weighs tf in the theme x log(1 + A / f), where A is the
/// average number of terms per theme and f the term's frequency over all themes. Keyphrases prefer
/// multi-word phrases; labels are unique across themes.
enum ThemeLabeler {
    /// `interned`: the terms of `documents` as ids (index-aligned with `documents`), interned once by the
    /// caller, who needs them too. `excluding`: stems that never label (a sub-theme is not labelled with its
    /// parent's own words).
    ///
    /// Terms are counted per theme in sorted id runs; strings are built only for the candidate keyphrases,
    /// which is where labelling spent its time on string-keyed dictionaries.
    static func label(
        documents: [ThemeDocument], interned: InternedTerms, assignments: [Int?], themes: [Theme], keepLabels: Set<Int>,
        excluding: Set<String> = []
    ) -> (themes: [Theme], representatives: [[Int]]) {
        // 1. A bigram of adjacent terms is a feature id too (unigram ids first, then bigrams), and each
        //    theme's feature occurrences go in one list.
        var bigrams = Interner<Int64>()
        var members = [[Int]](repeating: [], count: themes.count)
        var occurrences = [[Int32]](repeating: [], count: themes.count)
        for (d, theme) in assignments.enumerated() {
            guard let theme else { continue }
            members[theme].append(d)
            var previous: Int32 = -1
            for id in interned.documents[d] {
                guard id >= 0 else {
                    previous = -1
                    continue
                }
                occurrences[theme].append(id)
                // Bigrams negative until the vocabulary is complete.
                if previous >= 0 { occurrences[theme].append(-1 - bigrams.id(InternedTerms.pair(previous, id))) }
                previous = id
            }
        }
        let vocabulary = interned.vocabulary
        let v = Int32(vocabulary.count)
        let pairs = bigrams.keys
        func feature(_ raw: Int32) -> Int32 { raw >= 0 ? raw : v + (-1 - raw) }
        @Sendable func words(_ f: Int32) -> [Int32] {
            guard f >= v else { return [f] }
            let (a, b) = InternedTerms.split(pairs[Int(f - v)])
            return [a, b]
        }
        @Sendable func name(_ f: Int32) -> String {
            guard f >= v else { return vocabulary[Int(f)] }
            let (a, b) = InternedTerms.split(pairs[Int(f - v)])
            return vocabulary[Int(a)] + " " + vocabulary[Int(b)]
        }
        // 2. Counts per theme (ascending features) and over all themes: counted in place, and only the
        //    distinct features sorted (sorting every occurrence of a million-message week's theme was a
        //    fortieth of its analysis).
        var overall = [Int](repeating: 0, count: vocabulary.count + pairs.count)
        var perTheme = [[(feature: Int32, count: Int)]](repeating: [], count: themes.count)
        var totals = [Int](repeating: 0, count: themes.count)
        var counts = [Int](repeating: 0, count: vocabulary.count + pairs.count)
        for t in themes.indices {
            var distinct: [Int32] = []
            for raw in occurrences[t] {
                let f = Int(feature(raw))
                if counts[f] == 0 { distinct.append(Int32(f)) }
                counts[f] += 1
            }
            distinct.sort()
            perTheme[t].reserveCapacity(distinct.count)
            for f in distinct {
                perTheme[t].append((f, counts[Int(f)]))
                overall[Int(f)] += counts[Int(f)]
                counts[Int(f)] = 0
            }
            totals[t] = occurrences[t].count
        }
        let excluded = vocabulary.map { excluding.contains($0) }
        let average = Double(totals.reduce(0, +)) / Double(max(1, themes.count))
        // 3. Per theme, independently (on every core): ranked features, keyphrases, signature, representatives.
        let (counted, overallCount, memberLists, termsOf, sizes) = (perTheme, overall, members, interned.documents, totals)
        let ranked = Slots<Ranked>(count: themes.count)
        DispatchQueue.concurrentPerform(iterations: themes.count) { t in
            var weights: [(feature: Int32, name: String, weight: Double)] = counted[t].compactMap { f, count in
                guard count >= 2 || memberLists[t].count < 4 else { return nil }
                if !excluding.isEmpty, words(f).allSatisfy({ excluded[Int($0)] }) { return nil }
                let idf = log(1 + average / Double(overallCount[Int(f)]))
                // Phrases earn a small bonus: "charged twice" says more than "charged".
                let bonus = f >= v ? 1.3 : 1.0
                return (f, name(f), Double(count) / Double(max(1, sizes[t])) * idf * bonus)
            }
            weights.sort { ($0.weight, $1.name) > ($1.weight, $0.name) }
            var chosen: [Int32] = []
            var used: [[Int32]] = []
            for entry in weights where chosen.count < 5 {
                let parts = words(entry.feature)
                if used.contains(where: { $0.contains(where: parts.contains) }) { continue }
                used.append(parts)
                chosen.append(entry.feature)
            }
            let keyphrases = readable(chosen.map(words), vocabulary: vocabulary, members: memberLists[t], documents: documents, interned: interned)
            let signature = Dictionary(weights.prefix(30).map { ($0.name, Float($0.weight)) }, uniquingKeysWith: { a, _ in a })
            // Representatives: the members sharing most of the theme's top terms, ties by position. Only
            // unigram features can be among a document's terms (whose breaks, -1, never are).
            let top = Set(weights.prefix(Examples.strongTerms).map(\.feature).filter { $0 < v })
            // What an example says of the theme (`Examples.strongTerms`), on feature ids.
            let strong = weights.prefix(Examples.strongTerms)
                .filter { $0.feature < v && $0.weight >= Examples.strongShare * (weights.first?.weight ?? 0) }.map(\.feature)
            let order = memberLists[t].map { d -> (Int, Int) in (termsOf[d].count { top.contains($0) }, d) }
                .sorted { ($0.0, -$0.1) > ($1.0, -$1.1) }
            // Five kept (feeds show five examples); the first three are the "most representative" in reports.
            // Each example says something else: one per set of the strongest terms it holds (a bit set of at
            // most eight; a set of terms per member made labelling a third slower), then repeats.
            ranked.set(t, Ranked(keyphrases: keyphrases, signature: signature, representatives: Examples.distinctFirst(order.map(\.1), 5) { d in
                termsOf[d].reduce(0 as UInt8) { bits, term in
                    bits | (strong.firstIndex(of: term).map { UInt8(1) << UInt8($0) } ?? 0)
                }
            }))
        }
        // 4. Labels in theme order, each unique among those before it (`ThemeIdentity.labelParts` reads them back).
        var out = themes
        var usedLabels = Set<String>()
        var representatives: [[Int]] = []
        for (t, theme) in ranked.values.enumerated() {
            let keyphrases = theme!.keyphrases
            out[t].signature = theme!.signature
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
            representatives.append(theme!.representatives)
        }
        return (out, representatives)
    }

    /// Each keyphrase in the words customers wrote: every stem becomes the surface form most often seen for
    /// it among the theme's members (ties: the alphabetically first), so labels read "refunds", not "refund".
    private static func readable(
        _ phrases: [[Int32]], vocabulary: [String], members: [Int], documents: [ThemeDocument], interned: InternedTerms
    ) -> [String] {
        let stems = Array(Set(phrases.joined()))
        // Each stem's place in `stems`, by id: a document's terms are read once, where each stem was looked
        // for in them in turn (a fiftieth of a million-message analysis).
        var place = [Int](repeating: -1, count: vocabulary.count)
        for (k, stem) in stems.enumerated() { place[Int(stem)] = k }
        var surfaces = [[String: Int]](repeating: [:], count: stems.count)
        var seen = [Bool](repeating: false, count: stems.count), found: [Int] = []
        for d in members where !documents[d].written.isEmpty {
            // The interned ids sit at the positions of the document's terms, so the first position of a stem's
            // id is where its written word is: no string compared.
            for (i, id) in interned.documents[d].enumerated() where id >= 0 {
                let k = place[Int(id)]
                guard k >= 0, !seen[k] else { continue }
                seen[k] = true
                found.append(k)
                surfaces[k][documents[d].written[i], default: 0] += 1
            }
            for k in found { seen[k] = false }
            found.removeAll(keepingCapacity: true)
        }
        return phrases.map { phrase in
            phrase.map { stem in
                surfaces[place[Int(stem)]].max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? vocabulary[Int(stem)]
            }.joined(separator: " ")
        }
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

/// One theme's labelling material, found independently of the other themes.
private struct Ranked: Sendable {
    var keyphrases: [String]
    var signature: [String: Float]
    var representatives: [Int]
}

/// Integer ids for keys in order of first appearance.
private struct Interner<Key: Hashable> {
    private var ids: [Key: Int32] = [:]
    private(set) var keys: [Key] = []

    mutating func id(_ key: Key) -> Int32 {
        if let id = ids[key] { return id }
        let id = Int32(keys.count)
        ids[key] = id
        keys.append(key)
        return id
    }
}
