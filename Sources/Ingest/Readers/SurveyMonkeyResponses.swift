import Foundation

/// SurveyMonkey's API response shape (`GET /v3/surveys/{id}/responses/bulk`, best with `simple=true`):
/// `{"data": [response, ...]}` or one response, each with `pages[].questions[].answers[]`.
///
/// A question's free-text answers (`text`, also an "Other" choice's text) become feedback, one per question,
/// linked to the response. NPS comes from a question whose heading asks about recommending, its answer's
/// `simple_text` or `choice_metadata.weight` read as 0-10. A response with no free text is kept set aside,
/// as in CSV exports, so NPS still counts it.
enum SurveyMonkeyResponses {
    static func accepts(_ head: String) -> Bool {
        head.contains("\"pages\"") && (head.contains("\"questions\"") || head.contains("\"data\""))
    }

    static func events(_ file: SourceFile, pseudonymizer: CustomerPseudonymizer, zone: LocalZone = .utc) -> [ReaderEvent] {
        let document = SourceRef(file: file.path, position: "document")
        guard let object = JSONReader.parse(file.data) else {
            return [.rejected(Rejection(source: document, reason: "not valid JSON", raw: Array(file.data.prefix(1 << 20)), channel: .survey))]
        }
        let responses: [Any]
        if let dict = object as? [String: Any], let data = dict["data"] as? [Any] {
            responses = data
        } else if let dict = object as? [String: Any], dict["pages"] != nil {
            responses = [dict]
        } else if let array = object as? [Any] {
            responses = array
        } else {
            return [.rejected(Rejection(source: document, reason: "no \"data\" array of responses", raw: Array(file.data.prefix(4096)), channel: .survey))]
        }
        var out: [ReaderEvent] = []
        for (index, item) in responses.enumerated() {
            let position = SourceRef(file: file.path, position: "response \(index + 1)")
            switch response(item, position: position, pseudonymizer: pseudonymizer, zone: zone) {
            case .success(let feedback): out += feedback.map(ReaderEvent.feedback)
            case .failure(let failure):
                out.append(.rejected(Rejection(source: position, reason: failure.message, raw: ChatJSON.bytes(of: item), channel: .survey)))
            }
        }
        return out
    }

    static func response(_ item: Any, position: SourceRef, pseudonymizer: CustomerPseudonymizer, zone: LocalZone = .utc) -> Result<[Feedback], ReadFailure> {
        guard let r = item as? [String: Any] else { return .failure(ReadFailure(message: "a response must be a JSON object")) }
        guard let id = ChatJSON.string(r["id"]), !id.isEmpty else { return .failure(ReadFailure(message: "response without an id")) }
        let dateText = ChatJSON.string(r["date_modified"] ?? r["date_created"]) ?? ""
        guard let time = DateParsing.parse(dateText, zone: zone) else {
            return .failure(ReadFailure(message: "response \(Rejection.excerpt(id)) has no readable date_modified or date_created"))
        }
        let customer = (ChatJSON.string(r["email_address"]) ?? ChatJSON.string(r["recipient_id"])).flatMap { pseudonymizer.reference(for: $0) }
        var scores = Scores()
        var texts: [(String, String)] = []
        for page in r["pages"] as? [[String: Any]] ?? [] {
            for question in page["questions"] as? [[String: Any]] ?? [] {
                let questionID = ChatJSON.string(question["id"]) ?? "q\(texts.count + 1)"
                let heading = (ChatJSON.string(question["heading"]) ?? "").lowercasedOnBytes()
                let answers = question["answers"] as? [[String: Any]] ?? []
                if heading.contains("recommend") || question["family"] as? String == "nps" {
                    for answer in answers {
                        let metadata = answer["choice_metadata"] as? [String: Any]
                        let value = ChatJSON.string(answer["simple_text"]) ?? ChatJSON.string(metadata?["weight"])
                        if let value, let nps = Int(value.prefix { $0.isNumber }), (0...10).contains(nps) { scores.nps = nps }
                    }
                }
                let text = answers.compactMap { $0["text"] as? String }.map { $0.trimmingCharactersInWhitespace() }
                    .filter { !$0.isEmpty }.joined(separator: "\n")
                if !text.isEmpty { texts.append((questionID, text)) }
            }
        }
        var feedback = texts.map { question, text in
            Feedback(
                channel: .survey, source: position, externalID: "\(id)#\(question)", timestamp: time, text: text, customer: customer,
                scores: scores, role: .customer, conversation: id)
        }
        if feedback.isEmpty {
            feedback = [Feedback(
                channel: .survey, source: position, externalID: id, timestamp: time, text: "", customer: customer, scores: scores,
                role: .customer, setAside: "no free text", conversation: id)]
        }
        return .success(feedback)
    }
}
