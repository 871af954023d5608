import ArgumentParser
import Foundation
import Impact
import Ingest
import Store
import Themes

struct ImpactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "impact",
        abstract: "Cost of inaction per theme; --explain shows each formula with its numbers and sources.",
        discussion: "With --counts FILE.json it needs no store: a what-if calculator (schema in docs/cost-model.md).")

    @Argument(help: "A theme id or label (default: every theme of the week).") var theme: String?
    @Flag(help: "Print each formula with the numbers substituted and where each parameter came from.") var explain = false
    @Option(help: "Compute from counts in this JSON file instead of the store.") var counts: String?
    @Flag(help: "JSON output.") var json = false
    @OptionGroup var weekOptions: WeekOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var options: PipelineOptions

    /// docs/cost-model.md, "What-if calculator": snake_case keys, decoded with convertFromSnakeCase.
    struct CountsFile: Decodable {
        var customerBase: Double?
        var surveyPopulation: Double?
        var customerValue: Double?
        var averageOrderValue: Double?
        var themes: [ThemeWeekCounts]
    }

    func run() async throws {
        let configuration = try Configuration.find(options.config)
        var parameters = configuration.parameters
        if let counts {
            // A file handle also reads pipes and process substitution (`--counts <(...)`).
            guard let handle = FileHandle(forReadingAtPath: counts) else { throw UsageError("cannot read counts file \(counts)") }
            let data = handle.readDataToEndOfFile()
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            let file: CountsFile
            do { file = try decoder.decode(CountsFile.self, from: data) } catch { throw UsageError("\(counts): \(DecodingErrors.describe(error))") }
            for (index, theme) in file.themes.enumerated() {
                if let problem = theme.problems.first { throw UsageError("\(counts): themes[\(index)] (\(theme.theme)): \(problem)") }
            }
            for (name, value) in [("customer_base", file.customerBase), ("survey_population", file.surveyPopulation), ("customer_value", file.customerValue), ("average_order_value", file.averageOrderValue)] {
                if let value, !(value >= 0) { throw UsageError("\(counts): \(name) \(value) is not a non-negative number") }
            }
            if let b = file.customerBase { parameters.customerBase = b }
            if let s = file.surveyPopulation { parameters.surveyPopulation = s }
            if let v = file.customerValue { parameters.customerValue = Parameter(v, source: "counts file") }
            if let a = file.averageOrderValue { parameters.averageOrderValue = Parameter(a, source: "counts file") }
            let model = RevenueAtRiskModel(parameters: parameters)
            let results = file.themes.map { (input: $0, cost: model.cost($0)) }
            if json {
                struct Out: Encodable { var theme: String; var inputs: ThemeWeekCounts; var affected: Span; var rar: Span?; var cost_of_inaction: Span?; var cost_per_week_of_delay: Span?; var lost_search_revenue: Span?; var warnings: [String] }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                let out = results.map { Out(theme: $0.input.theme, inputs: $0.input, affected: $0.cost.affected, rar: $0.cost.revenueAtRisk, cost_of_inaction: $0.cost.costOfInaction, cost_per_week_of_delay: $0.cost.costPerWeekOfDelay, lost_search_revenue: $0.cost.lostSearchRevenue, warnings: $0.cost.warnings) }
                print(String(decoding: try encoder.encode(out), as: UTF8.self))
            } else {
                for r in results { print(Self.text(r.input.theme, r.cost, explain: true)) }
            }
            return
        }
        let db = try store.open()
        let week = try weekOptions.resolve(db)
        if let stored = try db.impactParameters(week: week) {
            Pipeline.noteDiffering(stored: stored, configured: parameters.fingerprint, source: configuration.source, week: week)
        }
        let impacts = try db.impacts(week: week)
        let themes = try db.themes()
        var selected = themes.filter { impacts[$0.theme.id] != nil }
        if let theme {
            selected = selected.filter { $0.theme.id == theme || $0.theme.label.lowercased() == theme.lowercased() }
            if selected.isEmpty { throw UsageError("no theme \"\(theme)\" in \(week)") }
        }
        selected.sort { (impacts[$0.theme.id]!.costOfInaction?.base ?? impacts[$0.theme.id]!.affected.base) > (impacts[$1.theme.id]!.costOfInaction?.base ?? impacts[$1.theme.id]!.affected.base) }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(selected.map { impacts[$0.theme.id]! }), as: UTF8.self))
            return
        }
        // The figures were computed when the week was analysed: show the parameters they carry.
        let stored = Set(selected.map { impacts[$0.theme.id]!.parameters }).sorted().joined(separator: ", ")
        print("cost of inaction, \(week) (computed with impact parameters \(stored) when the week was analysed)")
        for s in selected { print(Self.text("\(s.theme.label) [\(s.theme.id)], severity \(s.theme.severity.rawValue)", impacts[s.theme.id]!, explain: explain)) }
    }

    static func text(_ title: String, _ cost: CostOfInaction, explain: Bool) -> String {
        func span(_ s: Span?) -> String { s.map { "\(Int($0.base.rounded())) (\(Int($0.low.rounded()))–\(Int($0.high.rounded())))" } ?? "n/a" }
        var lines = ["", title, "  affected customers \(span(cost.affected)); cost per week of delay \(span(cost.revenueAtRisk)); cost of inaction \(span(cost.costOfInaction)); accrued \(span(cost.accrued))"]
        if let lost = cost.lostSearchRevenue { lines.append("  lost search revenue \(span(lost))") }
        if explain { lines += cost.explanation.map { "  " + $0 } }
        lines += cost.warnings.map { "  warning: " + $0 }
        return lines.joined(separator: "\n")
    }
}
