import Foundation

/// Where a theme is heading, from its weekly volumes.
public enum ThemeStatus: String, Sendable, Codable {
    case new, rising, steady, fading, gone
}

/// Week-over-week change tested against the previous weeks.
///
/// The test is the exact conditional Poisson rate test: with x mentions this week and S over the n previous
/// weeks, under "no change" x ~ Binomial(x + S, 1 / (n + 1)). Two-sided p-value; a theme is rising or fading,
/// with an arrow, only when p < `significance` and the change is at least `materialChange` of the baseline.
public struct ThemeTrend: Sendable, Codable, Equatable {
    public var current: Int
    public var baselineMean: Double
    public var baselineWeeks: Int
    public var pValue: Double
    public var status: ThemeStatus

    public static let significance = 0.05
    /// The smallest change, as a share of the baseline mean, called rising or fading. Significance alone grows
    /// with volume: at 100,000 messages a week a theme's 8% dip is p < 0.05, and when one theme grew, the
    /// report listed eleven of fourteen as fading; at a million a week every theme moved each week.
    public static let materialChange = 0.2
    /// Weeks without mentions after which a theme is gone.
    public static let goneAfter = 3

    public var isSignificant: Bool { pValue < ThemeTrend.significance }
    /// Whether the change from the baseline is large enough to call (`materialChange`).
    public var isMaterial: Bool { ThemeTrend.isMaterial(current, baselineMean) }
    /// "↑", "↓" or "" (not significant, or too small to matter).
    public var arrow: String { !(isSignificant && isMaterial) ? "" : Double(current) > baselineMean ? "↑" : "↓" }

    /// `history` holds the counts of up to six previous weeks, oldest first; `firstSeenThisWeek` marks new themes.
    public init(current: Int, history: [Int], firstSeenThisWeek: Bool) {
        self.current = current
        let baseline = Array(history.suffix(6))
        baselineWeeks = baseline.count
        let total = baseline.reduce(0, +)
        baselineMean = baseline.isEmpty ? 0 : Double(total) / Double(baseline.count)
        pValue = baseline.isEmpty ? 1 : ThemeTrend.binomialTwoSided(x: current, n: current + total, p: 1 / Double(baseline.count + 1))
        if firstSeenThisWeek || (total == 0 && current > 0) {
            status = .new
        } else if current == 0 {
            status = history.suffix(ThemeTrend.goneAfter).allSatisfy { $0 == 0 } ? .gone : .fading
        } else if pValue < ThemeTrend.significance, ThemeTrend.isMaterial(current, baselineMean) {
            status = Double(current) > baselineMean ? .rising : .fading
        } else {
            status = .steady
        }
    }

    static func isMaterial(_ current: Int, _ baselineMean: Double) -> Bool {
        abs(Double(current) - baselineMean) >= materialChange * baselineMean
    }

    /// Sum of probabilities of outcomes no more likely than x.
    static func binomialTwoSided(x: Int, n: Int, p: Double) -> Double {
        guard n > 0 else { return 1 }
        func logPMF(_ k: Int) -> Double {
            lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1)) + Double(k) * log(p) + Double(n - k) * log(1 - p)
        }
        let observed = logPMF(x)
        var total = 0.0
        for k in 0...n {
            let l = logPMF(k)
            if l <= observed + 1e-9 { total += exp(l) }
        }
        return min(1, total)
    }
}
