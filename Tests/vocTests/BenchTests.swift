import Testing
@testable import voc

@Suite struct BenchTests {
    func run(_ messages: Int, _ seconds: Double) -> Bench.Figures {
        Bench.Figures(messages: messages, megabytes: 1, seconds: ["end-to-end": seconds], perChannel: [:], peakRSSMB: 1)
    }

    /// The scaling ratio per round divides each 1M run by the 100k run of the same round, so a slow spell
    /// that falls on one round moves one ratio, not every 1M run against every 100k run.
    @Test func scalingIsTakenRoundByRound() {
        let samples = [
            [run(10_000, 0.4), run(10_000, 0.4), run(10_000, 0.4)],
            [run(100_000, 3), run(100_000, 4), run(100_000, 3.5)],
            [run(1_000_000, 27), run(1_000_000, 44), run(1_000_000, 31.5)],
        ]
        #expect(Bench.scalingByRound(samples) == "scaling 100k -> 1M per round (1M run over the 100k run of its round): 9.00, 11.00, 9.00; median 9.00")
        #expect(Bench.scalingByRound(Array(samples.prefix(2))) == nil)
    }
}
