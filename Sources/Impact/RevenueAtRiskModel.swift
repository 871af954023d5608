import Foundation
import Themes

/// The explainable cost-of-inaction model (docs/cost-model.md), F1-F7, at low / base / high.
public struct RevenueAtRiskModel: CostModel {
    public var parameters: ImpactParameters { didSet { fingerprint = parameters.fingerprint } }
    /// `parameters.fingerprint`, worked out once rather than for every theme's figures.
    public private(set) var fingerprint: String

    public init(parameters: ImpactParameters = ImpactParameters()) {
        self.parameters = parameters
        fingerprint = parameters.fingerprint
    }

    /// A warning when A customers affected each week over the horizon would be more than the whole customer
    /// base: the figure then counts the same customers again week after week (survey prevalence taken of the
    /// whole base does), and every cost built on it is an upper bound. Not corrected here: which customers
    /// recur is not known, so the reader is told rather than given a quieter number.
    func implausible(_ affected: Double, perChannel: [(String, Span)]) -> String? {
        let p = parameters
        guard let base = p.customerBase, base > 0, affected * Double(p.horizonWeeks) > base else { return nil }
        let fromSurvey = perChannel.max { $0.1.base < $1.1.base }?.0 == "survey"
        let why = fromSurvey && p.surveyPopulation == nil
            ? "survey prevalence is taken of the whole customer base and counted again every week; set survey_population to the customers a week's survey stands for"
            : "the same customers are counted again each week, or the multipliers are too high for this business; calibrate them"
        return "A = \(fmt(affected)) customers a week for \(p.horizonWeeks) weeks would be \(fmt(affected * Double(p.horizonWeeks) / base * 100))% "
            + "of the customer base (\(fmt(base))): \(why); the costs are an upper bound"
    }

    public func cost(_ counts: ThemeWeekCounts) -> CostOfInaction {
        let p = parameters
        var lines: [String] = []
        var warnings: [String] = []
        let severity = counts.severity.rawValue
        let complainRate = p.complainRate[severity]!
        // F1: affected customers per contact point, then combined.
        var affected = Span.zero
        var perChannel: [(String, Span)] = []
        for (point, c) in counts.customers.sorted(by: { $0.key < $1.key }) where c > 0 {
            let reach = p.reach[point] ?? Parameter(1.0, source: "unknown contact point \(point): treated as front line")
            func a(_ s: Scenario) -> Double {
                // A falls as complain rate and reach rise.
                let m = 1 / (complainRate.value(s, increasing: false) * reach.value(s, increasing: false))
                return Double(c) * max(1, m)
            }
            let span = Span(low: a(.low), base: a(.base), high: a(.high))
            perChannel.append((point, span))
            lines.append("F1 \(point): A = c x M = \(c) x 1/(complain_rate[\(severity)] \(fmt(complainRate.base)) x reach[\(point)] \(fmt(reach.base))) = \(fmt(span.base))  (low \(fmt(span.low)), high \(fmt(span.high)))")
            lines.append("   complain_rate[\(severity)] \(fmt(complainRate.low))-\(fmt(complainRate.high)): \(complainRate.source)")
            lines.append("   reach[\(point)] \(fmt(reach.low))-\(fmt(reach.high)): \(reach.source)")
        }
        if let n = counts.surveyMentions, let respondents = counts.surveyRespondents, respondents > 0, n > 0 {
            if respondents < 100 { warnings.append("survey prevalence from \(respondents) respondents (< 100): wide interval") }
            if let (name, population) = p.surveyPopulation.map({ ("survey_population", $0) }) ?? p.customerBase.map({ ("customer_base", $0) }) {
                let (lo, hi) = wilson(successes: n, trials: respondents)
                let share = Double(n) / Double(respondents)
                let span = Span(low: lo * population, base: share * population, high: hi * population)
                perChannel.append(("survey", span))
                lines.append("F1 survey: A = n_t / n_respondents x \(name) = \(n)/\(respondents) x \(fmt(population)) = \(fmt(span.base))  (Wilson 95% \(fmt(span.low))-\(fmt(span.high)))")
            } else {
                warnings.append("survey prevalence needs survey_population or customer_base (neither configured)")
            }
        }
        for s in Scenario.allCases {
            let values = perChannel.map { $0.1[s] }
            let v: Double
            switch p.combine {
            case .max: v = values.max() ?? 0
            case .sum: v = values.reduce(0, +)
            case .mean: v = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
            }
            switch s {
            case .low: affected.low = v
            case .base: affected.base = v
            case .high: affected.high = v
            }
        }
        if perChannel.count > 1 { lines.append("F1 combined with \(p.combine.rawValue): A = \(fmt(affected.base)) (low \(fmt(affected.low)), high \(fmt(affected.high)))") }
        if let warning = implausible(affected.base, perChannel: perChannel) { warnings.append(warning) }
        var captureRecapture: Double?
        if let m = counts.overlap {
            let top = counts.customers.values.sorted(by: >)
            if top.count >= 2, m > 0 {
                captureRecapture = Double(top[0]) * Double(top[1]) / Double(m)
                lines.append("F1 capture-recapture: c1 x c2 / m = \(top[0]) x \(top[1]) / \(m) = \(fmt(captureRecapture!))")
                if m < 5 { warnings.append("capture-recapture from an overlap of \(m) customers (< 5): unreliable") }
            }
        }
        // F2: loyalty loss per affected customer.
        let major = [Severity.moneyLoss, .serious, .average].contains(counts.severity)
        let rates = major ? p.repurchaseMajor : p.repurchaseMinor
        func loyalty(_ s: Scenario) -> Double {
            guard let outcomes = counts.outcomes, affected[s] > 0, outcomes.values.reduce(0, +) > 0 else {
                return p.loyaltyDrop.value(s, increasing: true)
            }
            let complainers = Double(outcomes.values.reduce(0, +))
            let r0 = p.baselineRepurchase.value(s, increasing: true)
            var shares: [(String, Double)] = [("silent", max(0, affected[s] - complainers) / affected[s])]
            // In key order: a dictionary's order changes from process to process, and with it the last bits
            // of the sum (the stored explanation read 0.47 in one run and 0.471 in the next).
            for (o, c) in outcomes.sorted(by: { $0.key < $1.key }) { shares.append((o, Double(c) / affected[s])) }
            return shares.reduce(0) { sum, item in
                let r = rates[item.0]?.value(s, increasing: false) ?? rates["silent"]!.value(s, increasing: false)
                return sum + item.1 * max(0, r0 - r)
            }
        }
        let dL = Span(low: loyalty(.low), base: loyalty(.base), high: loyalty(.high))
        if counts.outcomes != nil {
            lines.append("F2 outcome split: dL = sum of share_outcome x max(0, R0 - R_outcome) = \(fmt(dL.base)) (low \(fmt(dL.low)), high \(fmt(dL.high)))  [R0 \(fmt(p.baselineRepurchase.base)): \(p.baselineRepurchase.source)]")
        } else {
            lines.append("F2 dL = loyalty_drop = \(fmt(dL.base)) (\(fmt(dL.low))-\(fmt(dL.high))): \(p.loyaltyDrop.source)")
        }
        // F3: revenue at risk per week.
        var rar: Span?
        if let value = p.customerValue, !perChannel.isEmpty {
            let best = perChannel.max { $0.1.base < $1.1.base }?.0
            let multiplier = best.flatMap { p.channelValueMultiplier[$0] } ?? 1
            func r(_ s: Scenario) -> Double { affected[s] * dL[s] * value.value(s, increasing: true) * multiplier }
            rar = Span(low: r(.low), base: r(.base), high: r(.high))
            lines.append("F3 RAR = A x dL x V = \(fmt(affected.base)) x \(fmt(dL.base)) x \(fmt(value.base))\(multiplier != 1 ? " x \(fmt(multiplier))" : "") = \(fmt(rar!.base)) per week (low \(fmt(rar!.low)), high \(fmt(rar!.high))); V in \(p.valueUnit): \(value.source)")
        } else if !counts.customers.isEmpty || counts.surveyMentions != nil {
            warnings.append("no customer value configured: showing affected customers only")
        }
        // F4: word of mouth (off by default).
        var wom: Span?
        if p.wordOfMouth, let deter = p.pDeter, let vNew = p.newCustomerValue {
            func w(_ s: Scenario) -> Double {
                affected[s] * p.shareDissatisfied.value(s, increasing: true) * p.told.value(s, increasing: true)
                    * deter.value(s, increasing: true) * vNew.value(s, increasing: true)
            }
            wom = Span(low: w(.low), base: w(.base), high: w(.high))
            lines.append("F4 word of mouth = A x share_dissatisfied x told x p_deter x V_new = \(fmt(wom!.base))")
        }
        // F5: cost of inaction over the horizon, and accrued since first seen.
        var coi: Span?
        var accrued: Span?
        if let rar {
            let history = counts.history ?? []
            let trend = history.count >= 6 ? Self.trend(history + [rar.base]) : nil
            func c(_ s: Scenario) -> Double {
                let d = p.discountRate.value(s, increasing: false)
                var total = 0.0
                for w in 1...max(1, p.horizonWeeks) {
                    var weekly = rar[s]
                    if let trend, rar.base > 0 { weekly = rar[s] * max(0, 1 + trend * Double(w) / rar.base) }
                    total += weekly / pow(1 + d, Double(w) / 52)
                }
                return total
            }
            coi = Span(low: c(.low), base: c(.base), high: c(.high))
            lines.append("F5 cost of inaction over \(p.horizonWeeks) weeks = sum RAR(w) / (1 + d)^(w/52), d = \(fmt(p.discountRate.base)), projected \(trend == nil ? "flat" : "by linear trend \(fmt(trend!))/week") = \(fmt(coi!.base)) (low \(fmt(coi!.low)), high \(fmt(coi!.high)))")
            let past = history.reduce(0, +)
            let scale = rar.base > 0 ? past / rar.base : 0
            accrued = Span(low: rar.low * (1 + scale), base: past + rar.base, high: rar.high * (1 + scale))
            lines.append("F5 accrued since first seen = \(fmt(accrued!.base)) over \(history.count + 1) week(s); cost per week of delay = RAR = \(fmt(rar.base))")
        }
        // F6: value of handling complaints.
        var handling: Span?
        var ratio: Double?
        if let outcomes = counts.outcomes, let value = p.customerValue {
            let c = Double(outcomes.values.reduce(0, +))
            func h(_ s: Scenario) -> Double {
                let gain = (rates["resolved"]!.value(s, increasing: true) - rates["unresolved"]!.value(s, increasing: false))
                return c * max(0, gain) * value.value(s, increasing: true)
            }
            handling = Span(low: h(.low), base: h(.base), high: h(.high))
            if let cost = p.costPerContact, c > 0 { ratio = handling!.base / (c * cost) }
            lines.append("F6 retained by handling = C x (R_resolved - R_unresolved) x V = \(fmt(handling!.base))\(ratio.map { "; return on handling cost \(fmt($0))x" } ?? "")")
        }
        // F7: failed site searches.
        var lost: Span?
        if let z = counts.zeroResultSessions, z > 0 {
            if let aov = p.averageOrderValue, let success = counts.conversionSuccess, let failed = counts.conversionFailed {
                let gap = max(0, success - failed)
                func l(_ s: Scenario) -> Double { Double(z) * gap * aov.value(s, increasing: true) }
                lost = Span(low: l(.low), base: l(.base), high: l(.high))
                lines.append("F7 lost = Z x (CR_success - CR_failed) x AOV = \(z) x (\(fmt(success)) - \(fmt(failed))) x \(fmt(aov.base)) = \(fmt(lost!.base)) (observed conversion gap)")
            } else if let aov = p.averageOrderValue {
                func l(_ s: Scenario) -> Double {
                    Double(z) * p.searchExit.value(s, increasing: true) * p.searchConversion.value(s, increasing: true) * aov.value(s, increasing: true)
                }
                lost = Span(low: l(.low), base: l(.base), high: l(.high))
                lines.append("F7 lost = Z x p_exit x conversion x AOV = \(z) x \(fmt(p.searchExit.base)) x \(fmt(p.searchConversion.base)) x \(fmt(aov.base)) = \(fmt(lost!.base)) (low \(fmt(lost!.low)), high \(fmt(lost!.high)))")
                lines.append("   p_exit: \(p.searchExit.source); conversion: \(p.searchConversion.source)")
            } else {
                warnings.append("failed-search revenue needs average_order_value (not configured): \(z) zero-result sessions")
            }
        }
        return CostOfInaction(
            theme: counts.theme, affected: affected, revenueAtRisk: rar, costOfInaction: coi, accrued: accrued, wordOfMouth: wom,
            lostSearchRevenue: lost, handlingValue: handling, handlingReturnRatio: ratio, captureRecapture: captureRecapture,
            explanation: lines, warnings: warnings, parameters: fingerprint)
    }

    /// Least-squares slope of the weekly series.
    static func trend(_ series: [Double]) -> Double {
        let n = Double(series.count)
        let meanX = (n - 1) / 2
        let meanY = series.reduce(0, +) / n
        var num = 0.0, den = 0.0
        for (i, y) in series.enumerated() {
            num += (Double(i) - meanX) * (y - meanY)
            den += (Double(i) - meanX) * (Double(i) - meanX)
        }
        return den > 0 ? num / den : 0
    }

    /// Wilson score interval at 95%.
    func wilson(successes: Int, trials: Int) -> (Double, Double) {
        let z = 1.959964
        let n = Double(trials)
        let phat = Double(successes) / n
        let denominator = 1 + z * z / n
        let centre = (phat + z * z / (2 * n)) / denominator
        let margin = z * ((phat * (1 - phat) / n + z * z / (4 * n * n)).squareRoot()) / denominator
        return (max(0, centre - margin), min(1, centre + margin))
    }

    func fmt(_ value: Double) -> String {
        if value.rounded() == value || abs(value) >= 100 { return String(Int(value.rounded())).withThousands }
        return String(format: "%.3g", value)
    }
}

extension String {
    /// "1600000" → "1,600,000".
    var withThousands: String {
        let negative = hasPrefix("-")
        let digits = negative ? String(dropFirst()) : self
        var out = ""
        for (i, c) in digits.reversed().enumerated() {
            if i > 0, i % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (negative ? "-" : "") + String(out.reversed())
    }
}
