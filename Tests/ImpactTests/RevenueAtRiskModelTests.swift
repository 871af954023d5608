import Impact
import Testing
import Themes

@Suite struct RevenueAtRiskModelTests {
    /// The worked example of the issue: base 100,000 customers, V = 500/year, quality_or_treatment,
    /// 60 distinct customers in chat and 4 via the executive address, simple loyalty drop.
    func workedExample() -> (ImpactParameters, ThemeWeekCounts) {
        var p = ImpactParameters()
        p.customerBase = 100_000
        p.customerValue = Parameter(500, source: "test")
        p.discountRate = Parameter(0, source: "undiscounted for the worked example")
        let counts = ThemeWeekCounts(theme: "t", severity: .qualityOrTreatment, customers: ["chat": 60, "executive": 4])
        return (p, counts)
    }

    @Test func goldenWorkedExample() throws {
        let (p, counts) = workedExample()
        let cost = RevenueAtRiskModel(parameters: p).cost(counts)
        #expect(abs(cost.affected.base - 533.33) < 0.01)
        let rar = try #require(cost.revenueAtRisk)
        #expect(abs(rar.base - 66_666.67) < 0.01)
        #expect(abs(rar.low - 13_333.33) < 0.01)
        #expect(abs(rar.high - 1_600_000) < 0.01)
        let coi = try #require(cost.costOfInaction)
        #expect(abs(coi.base - 866_666.67) < 0.01)
        #expect(cost.explanation.contains { $0.contains("F1 executive: A = c x M = 4 x 1/(complain_rate[quality_or_treatment] 0.15 x reach[executive] 0.05) = 533") })
        #expect(cost.explanation.contains { $0.contains("TARP") })
    }

    @Test func discountingLowersTheHorizonCost() throws {
        var (p, counts) = workedExample()
        p.discountRate = Parameter(0.10, 0, 0.15, source: "test")
        let cost = RevenueAtRiskModel(parameters: p).cost(counts)
        let coi = try #require(cost.costOfInaction)
        #expect(coi.base < 866_666.67 && coi.base > 850_000)
    }

    @Test(arguments: [1, 5, 17, 60, 400])
    func monotoneInCountsAndOrdered(_ c: Int) throws {
        let (p, _) = workedExample()
        let model = RevenueAtRiskModel(parameters: p)
        let small = model.cost(ThemeWeekCounts(theme: "t", severity: .serious, customers: ["chat": c, "community": c / 2]))
        let large = model.cost(ThemeWeekCounts(theme: "t", severity: .serious, customers: ["chat": c + 1, "community": c / 2 + 1]))
        for cost in [small, large] {
            let rar = try #require(cost.revenueAtRisk)
            #expect(rar.low <= rar.base && rar.base <= rar.high)
            #expect(cost.affected.low <= cost.affected.base && cost.affected.base <= cost.affected.high)
        }
        #expect(large.revenueAtRisk!.base >= small.revenueAtRisk!.base)
    }

    @Test(arguments: Severity.allCases)
    func monotoneInEachParameter(_ severity: Severity) throws {
        let (p, _) = workedExample()
        let counts = ThemeWeekCounts(theme: "t", severity: severity, customers: ["chat": 30, "email": 12])
        let base = RevenueAtRiskModel(parameters: p).cost(counts).revenueAtRisk!.base
        var higherRate = p
        higherRate.complainRate[severity.rawValue]!.base *= 1.1
        #expect(RevenueAtRiskModel(parameters: higherRate).cost(counts).revenueAtRisk!.base <= base)
        var higherDrop = p
        higherDrop.loyaltyDrop.base += 0.05
        #expect(RevenueAtRiskModel(parameters: higherDrop).cost(counts).revenueAtRisk!.base >= base)
        var higherValue = p
        higherValue.customerValue = Parameter(600, source: "test")
        #expect(RevenueAtRiskModel(parameters: higherValue).cost(counts).revenueAtRisk!.base >= base)
    }

    @Test func maxNeverExceedsSumAndZeroGivesZero() throws {
        var (p, _) = workedExample()
        let counts = ThemeWeekCounts(theme: "t", severity: .average, customers: ["chat": 10, "email": 7, "community": 3])
        let max = RevenueAtRiskModel(parameters: p).cost(counts).affected
        p.combine = .sum
        let sum = RevenueAtRiskModel(parameters: p).cost(counts).affected
        #expect(max.low <= sum.low && max.base <= sum.base && max.high <= sum.high)
        let zero = RevenueAtRiskModel(parameters: p).cost(ThemeWeekCounts(theme: "t", severity: .average, customers: ["chat": 0]))
        #expect(zero.affected == .zero)
        #expect(zero.revenueAtRisk == nil || zero.revenueAtRisk == .zero)
    }

    @Test func surveyPrevalenceWithWilsonIntervalAndSmallSampleWarning() throws {
        let (p, _) = workedExample()
        let cost = RevenueAtRiskModel(parameters: p).cost(
            ThemeWeekCounts(theme: "t", severity: .minor, customers: [:], surveyMentions: 5, surveyRespondents: 50))
        #expect(abs(cost.affected.base - 10_000) < 0.01)
        #expect(cost.affected.low < 10_000 && cost.affected.high > 10_000)
        #expect(cost.warnings.contains { $0.contains("< 100") })
    }

    @Test func failedSearchesNeedAnOrderValue() throws {
        var (p, _) = workedExample()
        let counts = ThemeWeekCounts(theme: "s", severity: .minor, customers: [:], zeroResultSessions: 1_000)
        #expect(RevenueAtRiskModel(parameters: p).cost(counts).lostSearchRevenue == nil)
        #expect(RevenueAtRiskModel(parameters: p).cost(counts).warnings.contains { $0.contains("average_order_value") })
        p.averageOrderValue = Parameter(60, source: "test")
        let lost = try #require(RevenueAtRiskModel(parameters: p).cost(counts).lostSearchRevenue)
        #expect(abs(lost.base - 1_000 * 0.30 * 0.0463 * 60) < 1e-6)
        #expect(lost.low <= lost.base && lost.base <= lost.high)
    }

    @Test func withoutCustomerValueOnlyAffectedCustomersAreShown() {
        var (p, counts) = workedExample()
        p.customerValue = nil
        let cost = RevenueAtRiskModel(parameters: p).cost(counts)
        #expect(cost.revenueAtRisk == nil && cost.costOfInaction == nil)
        #expect(cost.warnings.contains("no customer value configured: showing affected customers only"))
    }

    @Test func captureRecaptureIsFlaggedForSmallOverlap() {
        let (p, _) = workedExample()
        let cost = RevenueAtRiskModel(parameters: p).cost(ThemeWeekCounts(theme: "t", severity: .average, customers: ["chat": 40, "email": 20], overlap: 4))
        #expect(cost.captureRecapture == 200)
        #expect(cost.warnings.contains { $0.contains("unreliable") })
    }

    @Test func yamlConfigurationOverridesDefaults() throws {
        let p = try ImpactConfiguration.apply(yaml: "customer_value: 120\ncustomer_base: 5000\nreach:\n  community: [0.2, 0.1, 0.3]\n", to: ImpactParameters())
        #expect(p.customerValue?.base == 120 && p.customerBase == 5000)
        #expect(p.reach["community"] == Parameter(0.2, 0.1, 0.3, source: "configured"))
        #expect(throws: (any Error).self) { try ImpactConfiguration.apply(yaml: "customer_value: lots", to: ImpactParameters()) }
    }

    /// The same counts give the same figures, whatever order the outcome dictionary iterates in (it changes
    /// with the dictionary's capacity here, and from process to process in the pipeline).
    @Test func outcomeOrderDoesNotChangeTheFigures() throws {
        let (p, base) = workedExample()
        let outcomes = ["resolved": 7, "resolved_fast": 3, "unresolved": 11, "escalated": 5, "abandoned": 2]
        var costs: [CostOfInaction] = []
        for capacity in [0, 8, 16, 64, 128, 512, 4096] {
            for order in [outcomes.keys.sorted(), Array(outcomes.keys.sorted().reversed())] {
                var shuffled = [String: Int](minimumCapacity: capacity)
                for key in order { shuffled[key] = outcomes[key] }
                var counts = base
                counts.outcomes = shuffled
                costs.append(RevenueAtRiskModel(parameters: p).cost(counts))
            }
        }
        #expect(costs.allSatisfy { $0 == costs[0] })
    }
}

@Suite struct ImpactConfigurationTests {
    @Test func everyParameterIsConfigurableAndTyposAreRefused() throws {
        let yaml = """
            repurchase_minor: {silent: [0.4, 0.3, 0.5]}
            repurchase_major: {resolved: [0.6, 0.5, 0.7]}
            baseline_repurchase: [0.9, 0.8, 1.0]
            search_exit: [0.4, 0.3, 0.7]
            told: [5, 3, 9]
            share_dissatisfied: [0.6, 0.4, 0.8]
            """
        let p = try ImpactConfiguration.apply(yaml: yaml, to: ImpactParameters())
        #expect(p.repurchaseMinor["silent"]?.base == 0.4 && p.repurchaseMajor["resolved"]?.base == 0.6)
        #expect(p.baselineRepurchase.base == 0.9 && p.searchExit.high == 0.7 && p.told.low == 3 && p.shareDissatisfied.base == 0.6)
        #expect(throws: ConfigurationError.self) { try ImpactConfiguration.apply(yaml: "customer_valeu: 500", to: ImpactParameters()) }
    }

    /// Each figure is checked for what it is before a formula sees it; a list of the wrong length was a
    /// trap (`customer_value_range: [50]` died on SIGILL) and a rate over 1 was computed with.
    @Test(arguments: [
        ("customer_value: -5", "customer_value: -5.0 is not 0.0 or more"),
        ("customer_value: 100\ncustomer_value_range: [50]", "customer_value_range: give two values, low and high (found 1)"),
        ("customer_value: 300\ncustomer_value_range: [500, 100]", "customer_value_range: customer_value 300.0 is not between 500.0 and 100.0"),
        ("complain_rate: {serious: [1.5]}", "complain_rate.serious: 1.5 is not a rate from 0 to 1"),
        ("reach: {chat: [0.5, 0.2]}", "reach.chat: give one value, or three: base, low, high (found 2)"),
        ("loyalty_drop: []", "loyalty_drop: give one value, or three: base, low, high (found 0)"),
        ("loyalty_drop: [0.5, 0.1, 0.4]", "loyalty_drop: the base 0.5 is not between low 0.1 and high 0.4"),
        ("horizon_weeks: 0", "horizon_weeks: 0 is not from 1 to 520"),
        ("discount_rate: 2", "discount_rate: 2.0 is not a rate from 0 to 1"),
        ("discount_rate_range: [0, 0.2]", "discount_rate_range: needs discount_rate"),
        ("told: [-1]", "told: -1.0 is not 0.0 or more"),
        ("survey_population: -1", "survey_population: -1.0 is not 0.0 or more"),
    ])
    func figuresThatCannotBeAreRefused(_ yaml: String, _ reason: String) {
        #expect {
            try ImpactConfiguration.apply(yaml: yaml, to: ImpactParameters())
        } throws: { error in
            (error as? ConfigurationError)?.reason == reason
        }
    }

    @Test func rangesAsDocumented() throws {
        let p = try ImpactConfiguration.apply(yaml: "customer_value: 500\ncustomer_value_range: [400, 600]\nloyalty_drop: [0.25, 0.10, 0.40]\ndiscount_rate: 0.1\ndiscount_rate_range: [0.05, 0.2]", to: ImpactParameters())
        #expect(p.customerValue == Parameter(500, 400, 600, source: "configured"))
        #expect(p.loyaltyDrop == Parameter(0.25, 0.10, 0.40, source: "configured"))
        #expect(p.discountRate == Parameter(0.1, 0.05, 0.2, source: "configured"))
    }

    @Test func observedConversionGapReplacesTheBenchmarkRates() throws {
        var p = ImpactParameters()
        p.averageOrderValue = Parameter(50, source: "test")
        var counts = ThemeWeekCounts(theme: "s", severity: .minor, customers: [:], zeroResultSessions: 200)
        counts.conversionSuccess = 0.06
        counts.conversionFailed = 0.01
        let lost = try #require(RevenueAtRiskModel(parameters: p).cost(counts).lostSearchRevenue)
        #expect(abs(lost.base - 200 * 0.05 * 50) < 1e-9)
    }

    /// Figures are stored with the fingerprint of the parameters that made them, and the report finds the
    /// parameters by it: every parameter that moves a figure must move the fingerprint.
    @Test func theFingerprintCoversEveryParameter() throws {
        let base = try ImpactConfiguration.apply(yaml: "customer_value: 500\ncustomer_value_range: [400, 600]", to: ImpactParameters())
        let wider = try ImpactConfiguration.apply(yaml: "customer_value: 500\ncustomer_value_range: [300, 700]", to: ImpactParameters())
        var benchmark = base
        benchmark.searchConversion = Parameter(0.03, source: "the site's own")
        var unit = base
        unit.valueUnit = "GBP revenue per customer per year"
        let prints = [base, wider, benchmark, unit].map(\.fingerprint)
        #expect(Set(prints).count == 4, "\(prints)")
        #expect(try ImpactConfiguration.apply(yaml: "customer_value: 500\ncustomer_value_range: [400, 600]", to: ImpactParameters()).fingerprint == base.fingerprint)
        #expect(RevenueAtRiskModel(parameters: wider).cost(ThemeWeekCounts(theme: "t", severity: .minor, customers: ["chat": 3])).parameters == wider.fingerprint)
    }

    /// Survey prevalence is a share of the customers the week's survey stands for: of `survey_population`
    /// when it is given, else of the whole base, which counts the same customers again every week and is
    /// said to when it would pass the base over the horizon.
    @Test func surveyPrevalenceOfTheWeeksPopulationAndAWarningWhenItCannotBe() throws {
        let counts = ThemeWeekCounts(theme: "t", severity: .serious, customers: ["email": 5], surveyMentions: 30, surveyRespondents: 300)
        var p = ImpactParameters()
        p.customerBase = 100_000
        p.customerValue = Parameter(500, source: "test")
        let whole = RevenueAtRiskModel(parameters: p).cost(counts)
        #expect(abs(whole.affected.base - 10_000) < 1e-6)
        let warning = try #require(whole.warnings.first { $0.contains("of the customer base") })
        #expect(warning.hasPrefix("A = 10,000 customers a week for 13 weeks would be 130% of the customer base (100,000)") && warning.contains("set survey_population"))
        p.surveyPopulation = 2_000
        let week = RevenueAtRiskModel(parameters: p).cost(counts)
        #expect(abs(week.affected.base - 200) < 1e-6)
        #expect(week.explanation.contains { $0.hasPrefix("F1 survey: A = n_t / n_respondents x survey_population = 30/300 x 2,000 = 200") })
        #expect(!week.warnings.contains { $0.contains("of the customer base") })
        // Not from a survey: the multipliers are named instead.
        p.customerBase = 1_000
        let minor = RevenueAtRiskModel(parameters: p).cost(ThemeWeekCounts(theme: "m", severity: .minor, customers: ["chat": 3]))
        #expect(minor.warnings.contains { $0.hasPrefix("A = 100 customers a week for 13 weeks would be 130% of the customer base (1,000)") && $0.contains("multipliers") })
    }
}

