import ArgumentParser
import Testing
@testable import voc

/// The batch filters' command lines read without the argument parser must mean what the parser makes of
/// them, and everything else must be left to the parser.
@Suite struct FilterArgumentsTests {
    /// What the argument parser makes of a command line: the command's options, or nil when it refuses it
    /// or reads another command.
    static func parsed(_ arguments: [String]) -> (score: ScoreCommand.Options?, cluster: ClusterCommand.Options?) {
        guard let command = try? VOC.parseAsRoot(arguments) else { return (nil, nil) }
        return ((command as? ScoreCommand)?.options, (command as? ClusterCommand)?.options)
    }

    static let plain: [[String]] = [
        ["score"], ["score", "--format", "jsonl"], ["score", "--format=tsv", "--explain"], ["score", "--explain", "--format", "jsonl"],
        ["score", "--input", "texts.txt", "--lexicons", "lexicons"], ["score", "--lexicons=/x/y", "--input=a b.txt"],
        ["score", "--english-only"], ["score", "--format", "jsonl", "--english-only", "--explain"],
        ["cluster"], ["cluster", "--k", "77", "--seed", "3", "--format", "tsv"], ["cluster", "--seed=0", "--k=1", "--summary"],
        ["cluster", "--format", "jsonl", "--input", "docs.txt", "--lexicons", "lexicons"], ["cluster", "--k", "+5"],
        ["cluster", "--seed", "18446744073709551615"],
    ]

    /// Read here, and the same options the argument parser gives.
    @Test(arguments: plain)
    func plainCommandLinesAreReadAsTheParserReadsThem(_ arguments: [String]) throws {
        let (score, cluster) = Self.parsed(arguments)
        #expect(score != nil || cluster != nil, "the parser takes \(arguments)")
        #expect(FilterArguments.score(arguments) == score)
        #expect(FilterArguments.cluster(arguments) == cluster)
    }

    static let others: [[String]] = [
        [], ["run"], ["themes", "--format", "tsv"], ["score", "--help"], ["score", "-h"], ["cluster", "--version"],
        ["score", "--format", "xml"], ["score", "--format"], ["score", "--format="], ["score", "--format", "tsv", "--format", "jsonl"],
        ["score", "--explain=yes"], ["score", "--explain", "--explain"], ["score", "--verbose"], ["score", "texts.txt"],
        ["score", "--input", "-"], ["score", "--", "--explain"], ["cluster", "--k", "-3"], ["cluster", "--k", "seven"],
        ["cluster", "--seed", "18446744073709551616"], ["cluster", "--summary", "--k"], ["cluster", "-k", "5"],
        ["cluster", "--explain"], ["cluster", "--english-only"], ["score", "--english-only=yes"], ["score", "--summary"], ["score", "--k", "5"], ["cluster", "--k", "0"], ["cluster", "--k=0"],
    ]

    /// Left to the argument parser: help, errors, and anything the reader here does not know.
    @Test(arguments: others)
    func everythingElseIsLeftToTheParser(_ arguments: [String]) {
        #expect(FilterArguments.score(arguments) == nil)
        #expect(FilterArguments.cluster(arguments) == nil)
    }

    /// Every ordering and spelling of a few options: whatever is read here, the parser reads the same.
    @Test func noReadingDisagreesWithTheParser() {
        let pieces: [[String]] = [
            ["--format", "jsonl"], ["--format=tsv"], ["--explain"], ["--summary"], ["--k", "4"], ["--seed=9"], ["--input", "f"],
            ["--lexicons=d"], ["--format", "csv"], ["--k"], ["--english-only"],
        ]
        var read = 0
        for command in ["score", "cluster"] {
            for a in pieces.indices {
                for b in pieces.indices {
                    let arguments = [command] + pieces[a] + pieces[b]
                    let (score, cluster) = Self.parsed(arguments)
                    if let options = FilterArguments.score(arguments) {
                        #expect(options == score, "\(arguments)")
                        read += 1
                    }
                    if let options = FilterArguments.cluster(arguments) {
                        #expect(options == cluster, "\(arguments)")
                        read += 1
                    }
                }
            }
        }
        #expect(read > 20)
    }
}
