import Foundation
import Themes

/// A parameter with its range and where the numbers come from.
public struct Parameter: Sendable, Codable, Equatable {
    public var base: Double
    public var low: Double
    public var high: Double
    public var source: String

    public init(_ base: Double, _ low: Double, _ high: Double, source: String) {
        self.base = base
        self.low = min(low, high)
        self.high = max(low, high)
        self.source = source
    }

    public init(_ value: Double, source: String) { self.init(value, value, value, source: source) }

    /// The value for a case; `increasing` says whether the figure grows with this parameter.
    func value(_ scenario: Scenario, increasing: Bool) -> Double {
        switch scenario {
        case .base: return base
        case .low: return increasing ? low : high
        case .high: return increasing ? high : low
        }
    }
}

/// The three cases every figure is computed at.
public enum Scenario: String, Sendable, CaseIterable, Codable { case low, base, high }

/// How per-channel estimates of affected customers combine (max avoids counting the same people twice).
public enum Combine: String, Sendable, Codable { case max, sum, mean }

/// Every parameter of the cost-of-inaction model, with defaults and their provenance (docs/cost-model.md).
public struct ImpactParameters: Sendable, Codable, Equatable {
    public var complainRate: [String: Parameter] = [
        Severity.moneyLoss.rawValue: Parameter(0.60, 0.50, 0.75, source: "TARP/Goodman complaint studies (1976-86, old): share of customers with a money-losing problem who complain to the front line"),
        Severity.serious.rawValue: Parameter(0.69, 0.50, 0.75, source: "TARP/Goodman (old): serious problems"),
        Severity.average.rawValue: Parameter(0.50, 0.25, 0.75, source: "TARP/Goodman (old): average problems; wide range by industry"),
        Severity.qualityOrTreatment.rawValue: Parameter(0.15, 0.05, 0.30, source: "TARP/Goodman (old): quality or treatment problems are rarely reported"),
        Severity.minor.rawValue: Parameter(0.03, 0.03, 0.25, source: "TARP (old) 'minor' figures; the popular '1 in 26 complain' is a misquote of this"),
    ]
    /// Share of complainers who use this contact point (front line = 1).
    public var reach: [String: Parameter] = [
        "chat": Parameter(1.0, source: "front line: complaints to chat reach the company directly"),
        "email": Parameter(1.0, source: "front line: email to support"),
        "phone": Parameter(1.0, source: "front line: phone"),
        "executive": Parameter(0.05, 0.01, 0.05, source: "TARP/CCMC: complaints to head office or executives are 1-5% of front-line complaints (vendor-sourced)"),
        "community": Parameter(0.10, 0.02, 0.50, source: "folklore; no published study; must be calibrated per business"),
    ]
    public var loyaltyDrop = Parameter(0.25, 0.10, 0.40, source: "assumption: repurchase drop for an affected customer, bracketing TARP repurchase gaps")
    /// Repurchase (loyalty) rates per outcome for minor and major problems, and the baseline R0.
    public var repurchaseMinor: [String: Parameter] = [
        "silent": Parameter(0.37, 0.27, 0.47, source: "TARP (old): non-complainers with minor problems"),
        "unresolved": Parameter(0.37, 0.27, 0.47, source: "assumption: as silent (no published figure)"),
        "resolved": Parameter(0.70, 0.60, 0.80, source: "TARP (old): complaint resolved"),
        "resolved_fast": Parameter(0.95, 0.85, 1.00, source: "TARP (old): resolved quickly"),
    ]
    public var repurchaseMajor: [String: Parameter] = [
        "silent": Parameter(0.37, 0.27, 0.47, source: "assumption: as minor silent (no published figure)"),
        "unresolved": Parameter(0.37, 0.27, 0.47, source: "assumption: as silent"),
        "resolved": Parameter(0.54, 0.44, 0.64, source: "TARP (old): major problem resolved"),
        "resolved_fast": Parameter(0.82, 0.72, 0.92, source: "TARP (old): major problem resolved quickly"),
    ]
    public var baselineRepurchase = Parameter(0.88, 0.78, 0.98, source: "TARP (old): customers without a problem; intentions overstate behaviour")
    /// Annual value per customer; no default.
    public var customerValue: Parameter?
    public var valueUnit = "revenue per customer per year"
    /// Number of active customers, for survey prevalence; no default.
    public var customerBase: Double?
    /// The customers a week's survey stands for (the week's buyers or contacts it is sent to): a week's
    /// prevalence times these is the week's affected customers. Without it prevalence is taken of the whole
    /// `customerBase`, which counts the same customers again every week; no default.
    public var surveyPopulation: Double?
    public var channelValueMultiplier: [String: Double] = [:]
    public var combine = Combine.max
    public var horizonWeeks = 13
    public var discountRate = Parameter(0.10, 0.0, 0.15, source: "assumption: annual discount rate")
    public var wordOfMouth = false
    public var shareDissatisfied = Parameter(0.5, 0.3, 0.7, source: "assumption")
    public var told = Parameter(7, 4, 10, source: "TARP/Goodman word-of-mouth studies (old, folklore-adjacent)")
    public var pDeter: Parameter?
    public var newCustomerValue: Parameter?
    public var searchExit = Parameter(0.30, 0.30, 0.76, source: "published site-search exit studies (vendor-sourced): share of zero-result sessions that leave")
    public var searchConversion = Parameter(0.0463, 0.0277, 0.0463, source: "published e-commerce conversion benchmarks (vendor-sourced) unless the site's own is configured")
    public var averageOrderValue: Parameter?
    public var costPerContact: Double?

    public init() {}

    /// A short hash of every parameter in force (ranges, sources and units included), stored with every
    /// figure and with the parameters themselves, so each figure can be shown with the parameters that made
    /// it. A hash of a chosen few let a changed range or search benchmark pass as the same parameters.
    public var fingerprint: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = (try? encoder.encode(self)) ?? Data()
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
