/// Intensifiers before a hit raise its magnitude ("very late"); dampeners lower it ("slightly late").
enum Boosters {
    /// Hutto and Gilbert (2014): a booster one, two or three words away counts fully, 0.95 and 0.9.
    static let distanceScale = [1.0, 0.95, 0.9]

    /// Signed change to the magnitude of the hit at `position`.
    static func adjustment(at position: Int, in words: WordSlots, mixedCase: Bool) -> Double {
        var total = 0.0
        for distance in 1...3 {
            let k = position - distance
            guard k >= 0 else { break }
            if words[k].isBooster, case .booster(let weight) = words[k].role {
                var w = weight
                if mixedCase, words[k].allCaps { w += w > 0 ? Emphasis.capsIncrement : -Emphasis.capsIncrement }
                total += w * distanceScale[distance - 1]
            }
        }
        return total
    }

    /// A booster that is also a sentiment word ("pretty", "super", "truly", "definitely") boosts only when a
    /// sentiment word, another booster or a negator follows in the same clause ("pretty bad", "super slow",
    /// "definitely not happy"); otherwise it is that word ("a pretty dress", "the staff were super",
    /// "Definitely!"). Returns whether it changed any word's role.
    static func resolveDegreeWords(_ slots: WordSlots) -> Bool {
        var changed = false
        for p in slots.indices {
            guard slots[p].isBooster, !slots[p].valence.isNaN, !slots[p].consumed else { continue }
            var modifies = false
            if p + 1 < slots.count, !slots[p + 1].startsClause, slots[p + 1].id >= 0 {
                let next = slots[p + 1]
                modifies = next.isBooster || next.isNegator || !next.valence.isNaN
            }
            if !modifies {
                slots[p].role = .none
                changed = true
            }
        }
        return changed
    }
}
