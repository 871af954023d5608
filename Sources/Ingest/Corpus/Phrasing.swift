import Foundation

/// Turns a planted theme into varied customer language: openers, politeness, emphasis, emoji,
/// negation and contrast, typos, and now and then a second issue in the same message.
enum Phrasing {
    static let products = ["blender", "kettle", "headphones", "jacket", "lamp", "phone case", "toaster", "backpack", "mixer", "speaker"]
    static let negativeOpeners = ["", "", "", "Hi, ", "Hello, ", "Dear team, ", "Honestly ", "Ugh, ", "Seriously, "]
    static let negativeClosers = [
        "", "", "", " Please help.", " This is unacceptable!", " Very disappointed.", " Not happy at all.",
        " I want this fixed.", " Thanks for nothing.", " Please sort this out ASAP!!", " 😡", " 😞", " Still waiting for an answer.",
        " I'm thinking of cancelling my account.", " Kindly look into this.",
    ]
    static let contrastLeads = ["The driver was friendly but ", "I usually love your shop, however ", "Not a big deal, but ", "The product is fine but "]
    static let positiveClosers = ["", "", " 😊", " Thanks!", " 👍", " Keep it up!", " Highly recommend."]

    static func message(theme: PlantedTheme, second: PlantedTheme?, rng: inout SplitMix64) -> String {
        var sentence = fill(theme.sentences[rng.next(below: theme.sentences.count)], rng: &rng)
        switch theme.polarity {
        case "negative":
            if rng.chance(0.12) {
                sentence = contrastLeads[rng.next(below: contrastLeads.count)] + sentence
            } else {
                sentence = negativeOpeners[rng.next(below: negativeOpeners.count)] + sentence
            }
            if rng.chance(0.08) { sentence = sentence.uppercased() }
            var text = capitalize(sentence) + "."
            if let second {
                text += " Also, " + fill(second.sentences[rng.next(below: second.sentences.count)], rng: &rng) + "."
            }
            text += negativeClosers[rng.next(below: negativeClosers.count)]
            return typos(text, rng: &rng)
        case "positive":
            var text = capitalize(sentence) + (rng.chance(0.3) ? "!" : ".")
            if rng.chance(0.15) { text = "No complaints, " + sentence + "." }
            return typos(text + positiveClosers[rng.next(below: positiveClosers.count)], rng: &rng)
        default:
            return capitalize(sentence) + "?"
        }
    }

    static func fill(_ template: String, rng: inout SplitMix64) -> String {
        template.replacingOccurrences(of: "{order}", with: "#\(100_000 + rng.next(below: 900_000))")
            .replacingOccurrences(of: "{n}", with: "\(15 + rng.next(below: 90))")
            .replacingOccurrences(of: "{days}", with: "\(3 + rng.next(below: 25))")
            .replacingOccurrences(of: "{product}", with: products[rng.next(below: products.count)])
    }

    static func capitalize(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }

    /// About one message in ten gets a swapped pair of letters in one word.
    static func typos(_ text: String, rng: inout SplitMix64) -> String {
        guard rng.chance(0.1) else { return text }
        var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let candidates = words.indices.filter { words[$0].count > 5 && words[$0].allSatisfy(\.isLetter) }
        guard !candidates.isEmpty else { return text }
        let i = candidates[rng.next(below: candidates.count)]
        var letters = Array(words[i])
        let j = 1 + rng.next(below: letters.count - 3)
        letters.swapAt(j, j + 1)
        words[i] = String(letters)
        return words.joined(separator: " ")
    }
}
