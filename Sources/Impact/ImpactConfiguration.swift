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
        "customer_value", "customer_value_range", "value_unit", "customer_base", "average_order_value", "search_conversion",
        "loyalty_drop", "combine", "horizon_weeks", "discount_rate", "discount_rate_range", "cost_per_contact", "word_of_mouth",
        "p_deter", "new_customer_value", "complain_rate", "reach", "channel_value_multiplier", "repurchase_minor",
        "repurchase_major", "baseline_repurchase", "search_exit", "told", "share_dissatisfied",
        // Not impact parameters: input limits and reading settings, read by the voc command from the same file.
        "limits", "surveys", "chat", "community", "search",
    ]

    struct Overrides: Codable {
        var customer_value: Double?
        var customer_value_range: [Double]?
        var value_unit: String?
        var customer_base: Double?
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
        func range(_ values: [Double], _ source: String) -> Parameter {
            values.count >= 3 ? Parameter(values[0], values[1], values[2], source: source) : Parameter(values[0], source: source)
        }
        if let v = o.customer_value {
            p.customerValue = o.customer_value_range.map { Parameter(v, $0[0], $0[1], source: "configured") } ?? Parameter(v, source: "configured")
        }
        if let u = o.value_unit { p.valueUnit = u }
        if let b = o.customer_base { p.customerBase = b }
        if let a = o.average_order_value { p.averageOrderValue = Parameter(a, source: "configured") }
        if let c = o.search_conversion { p.searchConversion = Parameter(c, source: "configured: the site's own conversion rate") }
        if let l = o.loyalty_drop { p.loyaltyDrop = range(l, "configured") }
        if let c = o.combine { p.combine = c }
        if let h = o.horizon_weeks { p.horizonWeeks = h }
        if let d = o.discount_rate { p.discountRate = Parameter(d, source: "configured") }
        if let c = o.cost_per_contact { p.costPerContact = c }
        if let w = o.word_of_mouth { p.wordOfMouth = w }
        if let d = o.p_deter { p.pDeter = Parameter(d, source: "configured") }
        if let v = o.new_customer_value { p.newCustomerValue = Parameter(v, source: "configured") }
        for (k, v) in o.complain_rate ?? [:] { p.complainRate[k] = range(v, "configured") }
        for (k, v) in o.reach ?? [:] { p.reach[k] = range(v, "configured") }
        for (k, v) in o.channel_value_multiplier ?? [:] { p.channelValueMultiplier[k] = v }
        for (k, v) in o.repurchase_minor ?? [:] { p.repurchaseMinor[k] = range(v, "configured") }
        for (k, v) in o.repurchase_major ?? [:] { p.repurchaseMajor[k] = range(v, "configured") }
        if let v = o.baseline_repurchase { p.baselineRepurchase = range(v, "configured") }
        if let v = o.search_exit { p.searchExit = range(v, "configured") }
        if let v = o.told { p.told = range(v, "configured") }
        if let v = o.share_dissatisfied { p.shareDissatisfied = range(v, "configured") }
        if let d = o.discount_rate, let r = o.discount_rate_range, r.count == 2 { p.discountRate = Parameter(d, r[0], r[1], source: "configured") }
        return p
    }
}

public struct ConfigurationError: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}
