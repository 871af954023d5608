import Foundation
import Ingest
import Testing

@Suite struct SampleCorpusTests {
    func generate(_ corpus: SampleCorpus) throws -> (String, SampleCorpus.Summary) {
        let directory = NSTemporaryDirectory() + "voc-corpus-\(UUID().uuidString)"
        let summary = try corpus.write(to: directory)
        return (directory, summary)
    }

    func files(_ directory: String) -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        let enumerator = FileManager.default.enumerator(atPath: directory)
        while let path = enumerator?.nextObject() as? String {
            if let data = FileManager.default.contents(atPath: directory + "/" + path) { out[path] = [UInt8](data) }
        }
        return out
    }

    @Test func sameSeedSameBytesOtherSeedOtherBytes() throws {
        let (a, _) = try generate(SampleCorpus(messages: 600, weeks: 3, seed: 5))
        let (b, _) = try generate(SampleCorpus(messages: 600, weeks: 3, seed: 5))
        let (c, _) = try generate(SampleCorpus(messages: 600, weeks: 3, seed: 6))
        defer { for directory in [a, b, c] { try? FileManager.default.removeItem(atPath: directory) } }
        #expect(files(a) == files(b))
        #expect(files(a) != files(c))
    }

    @Test func plantedThemesFollowTheirShapes() throws {
        let (directory, summary) = try generate(SampleCorpus(messages: 4_000, weeks: 4, seed: 1))
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let planted = Set(PlantedTheme.catalogue.map(\.key) + PlantedTheme.searchDemand.map(\.key))
        #expect(planted.count >= 12 + 5)
        #expect(Set(summary.perTheme.keys).isSubset(of: planted))
        #expect(summary.perTheme.values.reduce(0, +) == summary.messages)
        #expect(summary.messages == 4_000)
        let emerging = PlantedTheme.catalogue.first { $0.shape == .emergingInLastWeek }!
        #expect((0..<3).allSatisfy { emerging.volume(week: $0, of: 4) == 0 } && emerging.volume(week: 3, of: 4) > 0)
        let fading = PlantedTheme.catalogue.first { $0.shape == .fading }!
        #expect(fading.volume(week: 3, of: 4) < fading.volume(week: 0, of: 4) / 5)
    }

    /// Every line of the truth sidecar is found by the readers: stored, set aside or quarantined.
    @Test func generatedCorpusRoundTripsThroughTheReaders() throws {
        let (directory, summary) = try generate(SampleCorpus(messages: 1_500, weeks: 2, seed: 3, malformedRate: 0.02))
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var truth: [String: String] = [:]  // "channel|id" -> theme
        for (path, bytes) in files(directory) where path.hasPrefix(".truth/") {
            for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n").dropFirst() {
                let f = line.split(separator: "\t").map(String.init)
                truth[f[0] + "|" + f[1]] = f[2]
            }
        }
        let readers: [any FeedbackReader] = [SurveyReader(), SiteSearchLogReader(), MailboxReader(), ChatTranscriptReader(), CommunityReader()]
        var stored: Set<String> = [], setAside: Set<String> = [], rejected = 0
        for (path, bytes) in files(directory) where !path.hasPrefix(".") {
            let source = SourceFile(path: path, data: Data(bytes))
            let reader = try #require(readers.first { $0.accepts(source) }, "no reader for \(path)")
            for event in reader.readAll(source) {
                switch event {
                case .feedback(let f) where f.isCustomerVoice: stored.insert(f.channel.rawValue + "|" + f.externalID)
                case .feedback(let f) where f.setAside != nil: setAside.insert(f.channel.rawValue + "|" + f.externalID)
                case .feedback: break
                case .rejected: rejected += 1
                }
            }
        }
        let expectedStored = truth.filter { $0.value != "malformed" && $0.value != "set_aside" }.keys
        #expect(Set(expectedStored) == stored)
        #expect(Set(truth.filter { $0.value == "set_aside" }.keys) == setAside)
        #expect(rejected == summary.malformed)
        #expect(truth.count == summary.messages + summary.setAside + summary.silentRespondents)
    }
}
