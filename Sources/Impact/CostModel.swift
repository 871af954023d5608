public import Themes

/// What one theme looked like in one week: the counts the model needs.
public struct ThemeWeekCounts: Sendable, Codable, Equatable {
    public var theme: String
    public var severity: Severity
    /// Distinct customers raising the theme, per contact point (chat, email, phone, executive, community).
    public var customers: [String: Int]
    /// Survey mentions and respondents that week, for prevalence.
    public var surveyMentions: Int?
    public var surveyRespondents: Int?
    /// Distinct complainers by outcome (unresolved, resolved, resolved_fast), when known.
    public var outcomes: [String: Int]?
    /// Zero-result searching sessions (failed-search demand themes).
    public var zeroResultSessions: Int?
    /// Observed conversion rate of searching sessions that found something, and of those that did not,
    /// when the log links sessions to orders (F7 then uses the observed gap).
    public var conversionSuccess: Double?
    public var conversionFailed: Double?
    /// Customers seen in both of the two largest channels, for capture-recapture.
    public var overlap: Int?
    /// Revenue at risk (base) of earlier weeks since first seen, oldest first, for accrual and trend.
    public var history: [Double]?

    public init(
        theme: String, severity: Severity, customers: [String: Int], surveyMentions: Int? = nil, surveyRespondents: Int? = nil,
        outcomes: [String: Int]? = nil, zeroResultSessions: Int? = nil, overlap: Int? = nil, history: [Double]? = nil
    ) {
        self.theme = theme
        self.severity = severity
        self.customers = customers
        self.surveyMentions = surveyMentions
        self.surveyRespondents = surveyRespondents
        self.outcomes = outcomes
        self.zeroResultSessions = zeroResultSessions
        self.overlap = overlap
        self.history = history
    }
}

/// A figure at the three cases.
public struct Span: Sendable, Codable, Equatable {
    public var low: Double
    public var base: Double
    public var high: Double

    public init(low: Double, base: Double, high: Double) {
        self.low = low
        self.base = base
        self.high = high
    }

    public static let zero = Span(low: 0, base: 0, high: 0)

    subscript(_ scenario: Scenario) -> Double {
        switch scenario {
        case .low: return low
        case .base: return base
        case .high: return high
        }
    }
}

/// The cost of leaving one theme unfixed, with every factor and the reasoning behind it.
public struct CostOfInaction: Sendable, Codable, Equatable {
    public var theme: String
    public var affected: Span
    /// Revenue at risk per week (F3), also "cost per week of delay"; nil when no customer value is configured.
    public var revenueAtRisk: Span?
    /// F5 over the horizon.
    public var costOfInaction: Span?
    /// Sum of weekly revenue at risk since the theme first appeared (base history plus this week).
    public var accrued: Span?
    public var wordOfMouth: Span?
    /// F7, failed-search demand themes only; nil without an average order value.
    public var lostSearchRevenue: Span?
    /// F6: value retained by handling complaints, and its ratio to their handling cost.
    public var handlingValue: Span?
    public var handlingReturnRatio: Double?
    public var captureRecapture: Double?
    /// Formulas with numbers substituted, and parameter provenance, one line each.
    public var explanation: [String]
    public var warnings: [String]
    public var parameters: String

    public var costPerWeekOfDelay: Span? { revenueAtRisk }

    public init(
        theme: String, affected: Span, revenueAtRisk: Span? = nil, costOfInaction: Span? = nil, accrued: Span? = nil,
        wordOfMouth: Span? = nil, lostSearchRevenue: Span? = nil, handlingValue: Span? = nil, handlingReturnRatio: Double? = nil,
        captureRecapture: Double? = nil, explanation: [String], warnings: [String], parameters: String
    ) {
        self.theme = theme
        self.affected = affected
        self.revenueAtRisk = revenueAtRisk
        self.costOfInaction = costOfInaction
        self.accrued = accrued
        self.wordOfMouth = wordOfMouth
        self.lostSearchRevenue = lostSearchRevenue
        self.handlingValue = handlingValue
        self.handlingReturnRatio = handlingReturnRatio
        self.captureRecapture = captureRecapture
        self.explanation = explanation
        self.warnings = warnings
        self.parameters = parameters
    }
}

/// The Impact stage's role: a theme's counts in, its cost of inaction out.
public protocol CostModel: Sendable {
    func cost(_ counts: ThemeWeekCounts) -> CostOfInaction
}

/// The no-op model: only affected customers (one per distinct customer), no money. For tests of other stages.
public struct FlatCostModel: CostModel {
    public init() {}

    public func cost(_ counts: ThemeWeekCounts) -> CostOfInaction {
        let a = Double(counts.customers.values.reduce(0, +))
        return CostOfInaction(
            theme: counts.theme, affected: Span(low: a, base: a, high: a), explanation: ["flat: A = distinct customers = \(a)"],
            warnings: [], parameters: "flat")
    }
}

extension ThemeWeekCounts {
    /// What cannot be a count or a rate in these figures (a what-if file is typed by hand): negative
    /// counts, more survey mentions than respondents, a conversion rate outside 0...1. Empty when sound.
    public var problems: [String] {
        var out: [String] = []
        for (point, count) in customers.sorted(by: { $0.key < $1.key }) where count < 0 { out.append("customers.\(point) is \(count)") }
        for (outcome, count) in (outcomes ?? [:]).sorted(by: { $0.key < $1.key }) where count < 0 { out.append("outcomes.\(outcome) is \(count)") }
        for (name, value) in [("survey_mentions", surveyMentions), ("survey_respondents", surveyRespondents),
                              ("zero_result_sessions", zeroResultSessions), ("overlap", overlap)] {
            if let value, value < 0 { out.append("\(name) is \(value)") }
        }
        if let mentions = surveyMentions, let respondents = surveyRespondents, mentions > respondents {
            out.append("survey_mentions (\(mentions)) is more than survey_respondents (\(respondents))")
        }
        for (name, value) in [("conversion_success", conversionSuccess), ("conversion_failed", conversionFailed)] {
            if let value, !(0...1).contains(value) { out.append("\(name) \(value) is not a rate in 0...1") }
        }
        return out
    }
}
