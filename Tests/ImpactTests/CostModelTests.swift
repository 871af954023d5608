import Impact
import Testing
import Themes

@Suite struct CostModelTests {
    /// Sound counts have no problem; each figure that cannot be a count or a rate is named once.
    @Test func countsThatCannotBeAreNamed() {
        var counts = ThemeWeekCounts(theme: "x", severity: .serious, customers: ["chat": 12, "email": 0], surveyMentions: 3, surveyRespondents: 40)
        #expect(counts.problems.isEmpty)
        counts.customers["email"] = -1
        counts.surveyMentions = 41
        counts.overlap = -2
        counts.conversionFailed = 1.5
        #expect(counts.problems == [
            "customers.email is -1", "overlap is -2", "survey_mentions (41) is more than survey_respondents (40)",
            "conversion_failed 1.5 is not a rate in 0...1",
        ])
    }
}
