@testable import Ingest
import Testing

@Suite struct SignatureAddressesTests {
    @Test(arguments: [
        // After a delimiter or a sign-off: street lines, post office boxes and postal codes with their towns.
        ("Late again.\n-- \nJane Doe\n221B Baker Street\nLondon NW1 6XE\n", "Late again.\n-- \nJane Doe\n[ADDRESS]\n[ADDRESS]\n"),
        ("Late again.\n\nRegards,\nJane\nHauptstraße 5\n10115 Berlin", "Late again.\n\nRegards,\nJane\n[ADDRESS]\n[ADDRESS]"),
        ("Late.\nThanks\nBob\nSuite 400, 1 Main St.\nSan Francisco, CA 94105-1234\r\nPO Box 77", "Late.\nThanks\nBob\n[ADDRESS]\n[ADDRESS]\r\n[ADDRESS]"),
        ("Late.\n\nCheers\nAnn\n12 rue de la Paix\n75002 Paris", "Late.\n\nCheers\nAnn\n[ADDRESS]\n[ADDRESS]"),
        // A name and address block closing the message, without a sign-off.
        ("My parcel never came.\n\nJane Doe\n12 High Street\nLeeds LS1 4AB", "My parcel never came.\n\nJane Doe\n[ADDRESS]\n[ADDRESS]"),
    ])
    func signatureAddressesAreReplaced(_ text: String, _ expected: String) {
        #expect(SignatureAddresses.redact(text) == expected)
    }

    /// What customers write about places stays: outside a signature, in a last paragraph that is the
    /// complaint itself, and lines of a signature that are no address.
    @Test(arguments: [
        "The store at 12 High Street was closed.\nPlease fix it.",
        "Hi,\n\nMy parcel never came to 12 High Street!",
        "Hello\n\nWaited 45 minutes on hold at 10:15 today\nAnd again at 11:00",
        "Late.\n-- \nJane Doe\nSent from my phone\nOrder 12",
        "Late.\n\nRegards,\nJane Doe, Head of Ops",
    ])
    func otherTextStays(_ text: String) {
        #expect(SignatureAddresses.redact(text) == nil)
    }

    /// In a whole message, a sign-off above a long quoted reply still opens the signature (the stricter rule
    /// looks at the last ten lines only), and a name and address block above it is found too.
    @Test func aSignOffAnywhereCountsInAWholeMessage() {
        let quote = (1...12).map { "> We are sorry (\($0))." }.joined(separator: "\n")
        let message = "Late.\n\nRegards,\nJane\n221B Baker Street\n\nOn Mon, Shop wrote:\n" + quote + "\n> Thanks\n> Shop team\n"
        #expect(SignatureAddresses.redact(message) == nil)
        #expect(SignatureAddresses.redact(message, anywhere: true)?.contains("Jane\n[ADDRESS]\n\nOn Mon") == true)
        let block = "Late.\n\nJane Doe\n12 High Street\nLeeds LS1 4AB\n\nOn Mon, Shop wrote:\n> Sorry, 1 Main St is shut.\n"
        #expect(SignatureAddresses.redact(block, anywhere: true) == "Late.\n\nJane Doe\n[ADDRESS]\n[ADDRESS]\n\nOn Mon, Shop wrote:\n> Sorry, 1 Main St is shut.\n")
    }
}
