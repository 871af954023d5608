import Foundation
import Ingest
import Testing
@testable import voc

@Suite struct WeekAnalyzerTests {
    static func message(_ id: String, customer: String?, conversation: String? = nil, channel: Channel = .chat) -> Feedback {
        Feedback(channel: channel, source: SourceRef(file: "test", position: "line 1"), externalID: id, timestamp: Date(timeIntervalSince1970: 0), text: "hello", customer: customer,
                 conversation: conversation)
    }

    /// A customer is one key however many messages they sent; a message without a customer reference is a
    /// customer of its own; a survey's respondent is its conversation, and equal strings are one key.
    @Test func customerKeysFollowTheCustomerThenTheMessage() {
        let feedback = [
            Self.message("m1", customer: "ann"),
            Self.message("m2", customer: "bob"),
            Self.message("m3", customer: "ann"),
            Self.message("m4", customer: nil),
            Self.message("m5", customer: nil),
            Self.message("m6", customer: "cy", conversation: "ann", channel: .survey),
            Self.message("m7", customer: "dee", channel: .survey),
        ]
        var keys = CustomerKeys(feedback: feedback)
        let people = feedback.indices.map { keys.person($0) }
        #expect(people[0] == people[2])
        #expect(Set(people).count == 6)  // ann, bob, m4, m5, cy, dee
        #expect(keys.session(5) == people[0])  // the respondent "ann" is the customer "ann"
        #expect(keys.session(6) == people[6])  // no conversation: the person
        #expect(keys.person(2) == people[2])  // asked again: the same key
    }

    @Test func distinctMembersAreSortedWithoutRepeats() {
        #expect(CustomerKeys.distinct([5, 1, 5, 3, 1, 1]) == [1, 3, 5])
        #expect(CustomerKeys.distinct([]) == [])
        #expect(CustomerKeys.distinct([7]) == [7])
    }

    @Test func sharedMembersOfTwoDistinctLists() {
        #expect(CustomerKeys.sharedCount([1, 3, 5, 9], [2, 3, 4, 9, 10]) == 2)
        #expect(CustomerKeys.sharedCount([1, 2], [3, 4]) == 0)
        #expect(CustomerKeys.sharedCount([], [1]) == 0)
        #expect(CustomerKeys.sharedCount([4, 8], [4, 8]) == 2)
    }
}
