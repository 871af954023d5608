import Foundation
import Testing

@testable import Ingest

@Suite struct LanguageGuessTests {
    @Test(arguments: [
        ("My order was late and the box is not here", "en"),
        ("Mi pedido no ha llegado y la caja está rota", "es"),
        ("Je suis très déçu, ma commande est pas arrivée", "fr"),
        ("Meine Bestellung ist nicht angekommen und ich bin sehr sauer", "de"),
        ("MEINE BESTELLUNG IST NICHT ANGEKOMMEN", "de"),
        ("RÜCKERSTATTUNG FEHLT", "de"),  // capitals with a diacritic are read as small letters
        ("Il mio ordine non è arrivato, molto male", "it"),
        ("Meu pedido não chegou e a caixa é muito pequena", "pt"),
        ("Mijn bestelling is niet aangekomen en ik ben heel boos", "nl"),
        ("Para é muito", "pt"),
        ("", "und"),
        ("12345 !!! 678", "und"),
        // One marker word is not enough to leave English.
        ("pedido 4417 refund", "en"),
        // English at least as likely as the best other language stays English.
        ("the order de la", "en"),
        ("Min beställning har inte kommit och jag är mycket besviken", "sv"),
        ("Min bestilling er ikke kommet og jeg er meget skuffet", "da"),
        ("Moje zamówienie nie dotarło i jestem bardzo zawiedziony", "pl"),
        ("Siparişim hala gelmedi ve çok üzgünüm", "tr"),
        ("Pesanan saya belum sampai dan saya sangat kecewa", "id"),
        ("Comanda mea nu a ajuns și sunt foarte dezamăgit", "ro"),
        ("Moje objednávka ještě nedorazila a jsem velmi zklamaný", "cs"),
        ("Tilaukseni ei ole vielä saapunut ja olen hyvin pettynyt", "fi"),
        ("A rendelésem még nem érkezett meg és nagyon csalódott vagyok", "hu"),
        // Short messages, with the words of a complaint or a thank-you and letters English does not write.
        ("Lieferung kam zu spät; sehr ärgerlich", "de"),
        ("Paket immer noch nicht da", "de"),
        ("Colis toujours pas reçu", "fr"),
        ("J’ai été débité deux fois", "fr"),  // a curly apostrophe is the straight one
        ("¿Dónde está mi reembolso?", "es"),
        ("Envío rápido, ¡gracias!", "es"),  // "¡" parts words
        ("Grazie, tutto perfetto", "it"),
        ("Pakket nog steeds niet ontvangen", "nl"),
        ("Encomenda ainda não chegou", "pt"),
        // A loanword's letter, or a place's name, is not enough to leave English.
        ("The jalapeño poppers arrived cold", "en"),
        ("Delivery to Zürich took forever", "en"),
        ("Los Angeles flight delayed 3 hours", "en"),
        ("you're almost as bad as @united", "en"),
        ("Réclamation #861044. No complaints, quick refund, very impressed.", "en"),  // "no" is Spanish too
        ("Great service, thanks", "en"),
        // Handles, addresses and links are no words ("o" and "co" of a t.co link are Portuguese markers), and
        // a hyphen keeps a word one ("de-icing" is no Dutch "de").
        ("@SouthwestAir https://t.co/OQUKSo3s2O subscribe please https://t.co/OQUKSo3s2O", "en"),
        ("@SouthwestAir de-icing is important!", "en"),
        ("my refund? see www.la-de.es/o/os/el", "en"),
        ("@la_de_el Mi pedido no ha llegado", "es"),
        ("¿Dónde está mi pedido? http://example.com/the/order/is/late", "es"),
        // Names and loanwords from those languages leave English English.
        ("The smorgasbord at the gate was great but my flight to Malmo via Istanbul was late", "en"),
        // English words, names and abbreviations that look like those languages' function words.
        ("van delivery to AZ", "en"),
        ("customer care nu", "en"),
        ("slow af til monday har har", "en"),
        ("Ada and Dan", "en"),
        // Other scripts are told by their letters, whatever the words.
        ("注文した商品がまだ届きません", "ja"),
        ("我的订单还没有到，请帮我查一下", "zh"),
        ("주문한 상품이 아직 도착하지 않았습니다", "ko"),
        ("Мой заказ до сих пор не доставлен", "und-Cyrl"),
        ("Η παραγγελία μου δεν έφτασε ακόμα", "el"),
        ("لم يصل طلبي بعد", "und-Arab"),
        ("ההזמנה שלי לא הגיעה", "he"),
        ("คำสั่งซื้อของฉันยังไม่มาถึง", "th"),
        ("मेरा ऑर्डर अभी तक नहीं आया", "und-Deva"),
        // A few foreign letters in an English message leave it English; accented Latin is Latin.
        ("My order from 東京 is late and the box is broken", "en"),
        ("Über order was late and the crème brûlée is not here", "en"),
        ("😡😡😡", "en"),
    ])
    func guessesTheLanguage(_ text: String, _ expected: String) {
        #expect(LanguageGuess.language(of: text) == expected, "\(text)")
    }

    /// Only the first 80 words are read: Spanish after 80 English-free words is not seen.
    /// English and text without words to tell by are read with the English lexicons; anything else is not.
    @Test func whatReadsAsEnglish() {
        #expect(LanguageGuess.readsAsEnglish("en") && LanguageGuess.readsAsEnglish("und"))
        #expect(!LanguageGuess.readsAsEnglish("fr") && !LanguageGuess.readsAsEnglish("und-Cyrl"))
        #expect(LanguageGuess.isEnglish("my parcel never arrived") && LanguageGuess.isEnglish("12345 :)"))
        #expect(!LanguageGuess.isEnglish("mon colis n'est jamais arrivé") && !LanguageGuess.isEnglish("Посылка так и не пришла"))
    }

    @Test func readsTheFirstEightyWords() {
        let filler = Array(repeating: "zzz", count: 80).joined(separator: " ")
        #expect(LanguageGuess.language(of: filler + " mi pedido no ha llegado y la caja") == "en")
        #expect(LanguageGuess.language(of: "mi pedido no ha llegado y la caja " + filler) == "es")
    }

    /// A word longer than every marker, or one that merely starts like one, is not a marker.
    @Test func wholeWordsOnly() {
        #expect(LanguageGuess.language(of: "bestellungen nichtig dieser") == "en")
        #expect(LanguageGuess.language(of: "bestellung nicht") == "de")
    }

    /// On `corpora/language/check.tsv`, short messages written only to measure: no English one is taken for
    /// another language, and at least 55% of the others are found (32 of 57 when it was written).
    @Test func shortMessagesOfTheCheckSet() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../corpora/language/check.tsv").path
        let rows = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: "\t").map(String.init) }
        let english = rows.filter { $0[0] == "en" }, others = rows.filter { $0[0] != "en" }
        #expect(english.count >= 20 && others.count >= 50)
        for row in english { #expect(LanguageGuess.language(of: row[1]) == "en", "\(row[1])") }
        let found = others.filter { LanguageGuess.language(of: $0[1]) == $0[0] }.count
        #expect(Double(found) >= 0.55 * Double(others.count), "\(found) of \(others.count)")
    }
}
