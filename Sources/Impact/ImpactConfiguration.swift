import Foundation
import Yams

/// Reads impact parameters from YAML (docs/cost-model.md lists every key); unknown keys are an error.
public enum ImpactConfiguration {
    public static func load(path: String) throws -> ImpactParameters {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try apply(yaml: text, to: ImpactParameters())
    }

    /// Every key this file may hold; anything else is refused, so a typo never passes silently.
    static let keys: Set<String> = [
        "customer_value", "customer_value_range", "value_unit", "customer_base", "survey_population", "average_order_value", "search_conversion",
        "loyalty_drop", "combine", "horizon_weeks", "discount_rate", "discount_rate_range", "cost_per_contact", "word_of_mouth",
        "p_deter", "new_customer_value", "complain_rate", "reach", "channel_value_multiplier", "repurchase_minor",
        "repurchase_major", "baseline_repurchase", "search_exit", "told", "share_dissatisfied",
        // Not impact parameters: input limits and reading settings, read by the voc command from the same file.
        "limits", "surveys", "chat", "community", "search", "timezone",
    ]

    struct Overrides: Codable {
        var customer_value: Double?
        var customer_value_range: [Double]?
        var value_unit: String?
        var customer_base: Double?
        var survey_population: Double?
        var average_order_value: Double?
        var search_conversion: Double?
        var loyalty_drop: [Double]?
        var combine: Combine?
        var horizon_weeks: Int?
        var discount_rate: Double?
        var cost_per_contact: Double?
        var word_of_mouth: Bool?
        var p_deter: Double?
        var new_customer_value: Double?
        var complain_rate: [String: [Double]]?
        var reach: [String: [Double]]?
        var channel_value_multiplier: [String: Double]?
        var repurchase_minor: [String: [Double]]?
        var repurchase_major: [String: [Double]]?
        var baseline_repurchase: [Double]?
        var search_exit: [Double]?
        var told: [Double]?
        var share_dissatisfied: [Double]?
        var discount_rate_range: [Double]?
    }

    public static func apply(yaml: String, to parameters: ImpactParameters) throws -> ImpactParameters {
        var p = parameters
        if let top = try Yams.load(yaml: yaml) as? [String: Any] {
            let unknown = Set(top.keys).subtracting(keys)
            if !unknown.isEmpty { throw ConfigurationError(reason: "unknown impact parameter(s): \(unknown.sorted().joined(separator: ", "))") }
        }
        let o = try YAMLDecoder().decode(Overrides.self, from: yaml)
        // Every figure checked for what it is (a rate, an amount, a count of weeks) before it goes into a
        // formula: a value typed wrong was computed with, and a list of the wrong length was a trap.
        func fail(_ key: String, _ why: String) -> ConfigurationError { ConfigurationError(reason: "\(key): \(why)") }
        func number(_ value: Double, _ key: String, in bounds: ClosedRange<Double>) throws -> Double {
            guard value.isFinite, bounds.contains(value) else { throw fail(key, "\(value) is not \(Self.describe(bounds))") }
            return value
        }
        func range(_ values: [Double], _ key: String, in bounds: ClosedRange<Double>) throws -> Parameter {
            guard values.count == 1 || values.count == 3 else { throw fail(key, "give one value, or three: base, low, high (found \(values.count))") }
            let checked = try values.map { try number($0, key, in: bounds) }
            guard checked.count == 1 || (checked[1]...checked[2]).contains(checked[0]) else {
                throw fail(key, "the base \(checked[0]) is not between low \(checked[1]) and high \(checked[2])")
            }
            return checked.count == 3 ? Parameter(checked[0], checked[1], checked[2], source: "configured") : Parameter(checked[0], source: "configured")
        }
        let rate = 0.0...1.0, amount = 0.0...Double.greatestFiniteMagnitude
        if let v = o.customer_value {
            let value = try number(v, "customer_value", in: amount)
            if let r = o.customer_value_range {
                guard r.count == 2 else { throw fail("customer_value_range", "give two values, low and high (found \(r.count))") }
                let (low, high) = (try number(r[0], "customer_value_range", in: amount), try number(r[1], "customer_value_range", in: amount))
                guard low <= value, value <= high else { throw fail("customer_value_range", "customer_value \(value) is not between \(low) and \(high)") }
                p.customerValue = Parameter(value, low, high, source: "configured")
            } else {
                p.customerValue = Parameter(value, source: "configured")
            }
        }
        if let u = o.value_unit { p.valueUnit = u }
        if let b = o.customer_base { p.customerBase = try number(b, "customer_base", in: amount) }
        if let s = o.survey_population { p.surveyPopulation = try number(s, "survey_population", in: amount) }
        if let a = o.average_order_value { p.averageOrderValue = Parameter(try number(a, "average_order_value", in: amount), source: "configured") }
        if let c = o.search_conversion {
            p.searchConversion = Parameter(try number(c, "search_conversion", in: rate), source: "configured: the site's own conversion rate")
        }
        if let l = o.loyalty_drop { p.loyaltyDrop = try range(l, "loyalty_drop", in: rate) }
        if let c = o.combine { p.combine = c }
        if let h = o.horizon_weeks {
            guard (1...520).contains(h) else { throw fail("horizon_weeks", "\(h) is not from 1 to 520") }
            p.horizonWeeks = h
        }
        if let d = o.discount_rate { p.discountRate = Parameter(try number(d, "discount_rate", in: rate), source: "configured") }
        if let c = o.cost_per_contact { p.costPerContact = try number(c, "cost_per_contact", in: amount) }
        if let w = o.word_of_mouth { p.wordOfMouth = w }
        if let d = o.p_deter { p.pDeter = Parameter(try number(d, "p_deter", in: rate), source: "configured") }
        if let v = o.new_customer_value { p.newCustomerValue = Parameter(try number(v, "new_customer_value", in: amount), source: "configured") }
        for (k, v) in o.complain_rate ?? [:] { p.complainRate[k] = try range(v, "complain_rate.\(k)", in: rate) }
        for (k, v) in o.reach ?? [:] { p.reach[k] = try range(v, "reach.\(k)", in: rate) }
        for (k, v) in o.channel_value_multiplier ?? [:] { p.channelValueMultiplier[k] = try number(v, "channel_value_multiplier.\(k)", in: amount) }
        for (k, v) in o.repurchase_minor ?? [:] { p.repurchaseMinor[k] = try range(v, "repurchase_minor.\(k)", in: rate) }
        for (k, v) in o.repurchase_major ?? [:] { p.repurchaseMajor[k] = try range(v, "repurchase_major.\(k)", in: rate) }
        if let v = o.baseline_repurchase { p.baselineRepurchase = try range(v, "baseline_repurchase", in: rate) }
        if let v = o.search_exit { p.searchExit = try range(v, "search_exit", in: rate) }
        if let v = o.told { p.told = try range(v, "told", in: amount) }
        if let v = o.share_dissatisfied { p.shareDissatisfied = try range(v, "share_dissatisfied", in: rate) }
        if let r = o.discount_rate_range {
            guard let d = o.discount_rate else { throw fail("discount_rate_range", "needs discount_rate") }
            guard r.count == 2 else { throw fail("discount_rate_range", "give two values, low and high (found \(r.count))") }
            let (low, high) = (try number(r[0], "discount_rate_range", in: rate), try number(r[1], "discount_rate_range", in: rate))
            guard low <= d, d <= high else { throw fail("discount_rate_range", "discount_rate \(d) is not between \(low) and \(high)") }
            p.discountRate = Parameter(d, low, high, source: "configured")
        }
        return p
    }
}

extension ImpactConfiguration {
    static func describe(_ bounds: ClosedRange<Double>) -> String {
        if bounds == 0...1 { return "a rate from 0 to 1" }
        return bounds.upperBound == .greatestFiniteMagnitude ? "\(bounds.lowerBound) or more" : "from \(bounds.lowerBound) to \(bounds.upperBound)"
    }
}

public struct ConfigurationError: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}
