import ArgumentParser
import Testing
@testable import voc

@Suite struct HelpTests {
    /// Every command, subcommands of subcommands included.
    static func commands(_ root: any ParsableCommand.Type = VOC.self) -> [any ParsableCommand.Type] {
        [root] + root.configuration.subcommands.flatMap { commands($0) }
    }

    /// The help wraps each line of a discussion at 80 columns. A long line hard-broken in the source as well
    /// came out broken twice ("(repaired" alone on a line); aligned lines must fit, paragraphs must be one line.
    @Test func discussionsWrapOnceAtEightyColumns() {
        for command in Self.commands() {
            let lines = command.configuration.discussion.split(separator: "\n", omittingEmptySubsequences: false)
            for (i, line) in lines.enumerated() where line.count > 80 {
                let endsParagraph = i + 1 == lines.count || lines[i + 1].isEmpty
                #expect(endsParagraph, "\(command.configuration.commandName ?? "?"): a wrapped line is broken again by hand: \(line)")
            }
            let help = command.helpMessage(columns: 80)
            #expect(!help.contains("\n(repaired\n"))
        }
    }

    /// The feed's overview says Markdown: "markdown" is read as "md"; anything else still fails with the choices.
    @Test func theFeedTakesMarkdownSpelledOut() throws {
        #expect(try FeedCommand.parse(["--format", "markdown"]).format == .md)
        #expect(try FeedCommand.parse(["--format", "md"]).format == .md)
        #expect(throws: (any Error).self) { try FeedCommand.parse(["--format", "html"]) }
    }
}
