import Sentiment
import Text
import Testing

/// The conformance suite: short sentences written for voc, each with its expected polarity, and pairs that
/// show one relation of the rules. Run as tables; the count is printed in the closing note.
@Suite struct ConformanceTests {
    typealias L = SentimentScore.Label

    /// Sentence, expected label, the behaviour it demonstrates.
    static let polarity: [(String, L, String)] = [
        // plain lexicon
        ("The service was excellent.", .positive, "lexicon"), ("This is terrible.", .negative, "lexicon"),
        ("I love this shop.", .positive, "lexicon"), ("I hate waiting.", .negative, "lexicon"),
        ("The staff were friendly and helpful.", .positive, "lexicon"), ("The app is useless.", .negative, "lexicon"),
        ("Great job, thank you!", .positive, "lexicon"), ("Worst experience ever.", .negative, "lexicon"),
        ("The parcel arrived on Tuesday.", .neutral, "no sentiment words"), ("My order is 12345.", .neutral, "no sentiment words"),
        ("What are your opening hours?", .neutral, "question without sentiment"), ("Please send me the invoice.", .neutral, "politeness alone"),
        ("The kettle is blue.", .neutral, "no sentiment words"), ("I ordered two lamps.", .neutral, "no sentiment words"),
        // customer-service language
        ("I was on hold for 45 minutes.", .negative, "service phrase"), ("Still waiting for my refund.", .negative, "service phrase"),
        ("No response to my emails.", .negative, "service phrase"), ("I was charged twice for one order.", .negative, "service phrase"),
        ("They cancelled my flight without notice.", .negative, "service phrase"), ("You lost my bag.", .negative, "service phrase"),
        ("My package never arrived.", .negative, "service phrase"), ("The flight was delayed again.", .negative, "service phrase"),
        ("The password reset email never arrives.", .negative, "service phrase"), ("The chat never works on my phone.", .negative, "service phrase"),
        ("The app keeps crashing.", .negative, "service phrase"), ("The item arrived damaged.", .negative, "service phrase"),
        ("My loyalty points disappeared.", .negative, "service phrase"), ("The promo code is invalid.", .negative, "service phrase"),
        ("My card was declined twice.", .negative, "service phrase"), ("The agent hung up on me.", .negative, "service phrase"),
        ("It stopped working after a week.", .negative, "service phrase"), ("The login does not work.", .negative, "service phrase"),
        ("I got the wrong item.", .negative, "service phrase"), ("Delivery was late.", .negative, "service phrase"),
        ("The refund was quick.", .positive, "service phrase"), ("Resolved in minutes, great support.", .positive, "service phrase"),
        ("Arrived on time and well packed.", .positive, "service phrase"), ("Smooth checkout.", .positive, "service phrase"),
        ("No problem at all.", .positive, "idiom"), ("No complaints.", .positive, "idiom"), ("Not bad at all.", .positive, "idiom"),
        ("Can't complain.", .positive, "idiom"), ("No worries, thanks.", .positive, "idiom"), ("Second to none.", .positive, "idiom"),
        ("Couldn't be happier.", .positive, "idiom"), ("Thanks for nothing.", .negative, "idiom"), ("What a joke.", .negative, "idiom"),
        ("Never again.", .negative, "idiom"), ("Total waste of money.", .negative, "idiom"), ("I'm fed up with this.", .negative, "idiom"),
        ("Sick of these delays.", .negative, "idiom"), ("Waste of time.", .negative, "idiom"),
        // politeness inside complaints
        ("Please help, my bag is lost.", .negative, "politeness in a complaint"),
        ("Thanks, but the parcel still hasn't arrived.", .negative, "politeness in a complaint"),
        ("Kindly refund me, the item is broken.", .negative, "politeness in a complaint"),
        // a remedy that did not come is no praise; not needing one is fine
        ("They won't refund me.", .negative, "negated remedy"), ("I never got a refund.", .negative, "negated remedy"),
        ("Nobody escalated my case.", .negative, "negated remedy"), ("They haven't rebooked me.", .negative, "negated remedy"),
        ("No need to escalate, all sorted now.", .positive, "negated need, not a remedy"),
        ("Help! I was charged twice.", .negative, "politeness in a complaint"),
        ("Thank you for the fast delivery.", .positive, "politeness in praise"),
        ("I appreciate the quick help.", .positive, "politeness in praise"),
        // negation
        ("The staff were not helpful.", .negative, "negation"), ("It is not good.", .negative, "negation"),
        ("I am not happy.", .negative, "negation"), ("Never satisfied with this shop.", .negative, "negation"),
        ("The delivery wasn't great.", .negative, "negation"), ("Nobody was friendly.", .negative, "negation"),
        ("It was not terrible.", .positive, "negation"), ("I'm not disappointed.", .positive, "negation"),
        ("The app didn't crash once.", .positive, "negation"), ("Don’t love it.", .negative, "negation with a curly apostrophe"),
        // contrast
        ("The food was good but the service was awful.", .negative, "contrast: but"),
        ("The delay was annoying but the staff were lovely.", .positive, "contrast: but"),
        ("The app looks nice, but the menu moved again.", .negative, "contrast: an unrated main clause opposes the praise it concedes"),
        ("Great flight but the wifi was down.", .negative, "contrast: an unrated main clause opposes the praise it concedes"),
        ("An incredible view from the room.", .positive, "evaluative word the general lexicon lacks"),
        ("The strap feels flimsy.", .negative, "evaluative word the general lexicon lacks"),
        ("The sequel was forgettable.", .negative, "evaluative word the general lexicon lacks"),
        ("Sturdy, reliable and easy to clean.", .positive, "evaluative word the general lexicon lacks"),
        ("I can't believe how rude the agent was.", .negative, "disbelief is no negation"),
        ("Don't waste your money on this kettle.", .negative, "advice not to buy"),
        ("I can't thank you enough.", .positive, "praise through a negation"),
        ("Your customers deserve better.", .negative, "service phrase"),
        ("I want to top up my card.", .neutral, "a top-up is no praise (the general lexicon rates \"top\")"),
        ("It is definitely not worth it.", .negative, "a degree word before a negator boosts, it does not praise"),
        ("Nice app, however it crashes constantly.", .negative, "contrast: however"),
        ("Although the price is high, the quality is excellent.", .positive, "contrast: although"),
        ("The quality is excellent, although the price is terrible.", .positive, "contrast: although"),
        ("Great phone except the battery is awful.", .negative, "contrast: except"),
        // emoji, emoticons, handles
        ("Delivery done 👍", .positive, "emoji"), ("Order late again 😡", .negative, "emoji"), ("Love it 😍", .positive, "emoji"),
        ("Thanks 🙂", .positive, "emoji"), ("Another delay 😞", .negative, "emoji"), ("Great :)", .positive, "emoticon"),
        ("Bad :(", .negative, "emoticon"), ("@united my flight is at 10.", .neutral, "handle ignored"),
        ("@happy_airline my flight", .neutral, "handle ignored"), ("#fail", .negative, "hashtag body is a word"), ("@united my flight #united", .neutral, "a hashtag that repeats a handle is a name"),
        ("Facepalm 🤦🏽‍♀️", .negative, "emoji ZWJ with skin tone"),
        // emphasis
        ("This is GREAT", .positive, "caps"), ("This is TERRIBLE", .negative, "caps"),
        ("sooo good", .positive, "elongation"), ("sooo bad", .negative, "elongation"), ("goooood", .positive, "elongation"),
        ("Terrible!!!", .negative, "exclamation"), ("Amazing!!!", .positive, "exclamation"),
        // more customer-service language
        ("Your courier left my parcel in the rain.", .neutral, "no lexicon evidence (known limit)"),
        ("The replacement arrived quickly, thank you!", .positive, "gratitude with praise"),
        ("Refund received, thanks for sorting it.", .positive, "gratitude"),
        ("Why is my refund taking so long?", .negative, "service phrase in a question"),
        ("Were the staff nice?", .neutral, "irrealis: a positive word in a question"),
        ("Is this the best you can do?", .neutral, "irrealis: a positive word in a question"),
        ("Love the new seats, will they be on every plane?", .positive, "question scope is its own clause"),
        ("Lovely crew but is the lounge open today?", .positive, "question scope starts at the contrast word"),
        ("I have been waiting three weeks for a reply.", .negative, "service phrase"),
        ("Nobody answers the phone.", .negative, "service phrase"),
        ("The hotline kept me on hold forever.", .negative, "service phrase"),
        ("My account is locked again.", .negative, "service phrase"),
        ("The tracking page shows no information.", .negative, "service phrase"),
        ("The discount was not applied.", .negative, "service phrase"),
        ("The driver was very kind.", .positive, "booster"),
        ("Excellent quality, will buy again.", .positive, "lexicon"),
        ("Really impressed with the quick refund.", .positive, "booster"),
        ("The new app is fantastic.", .positive, "lexicon"),
        ("The website is so slow.", .negative, "booster"),
        ("The checkout keeps freezing.", .negative, "service phrase"),
        ("I want my money back.", .negative, "service phrase"),
        ("This is unacceptable!", .negative, "exclamation"),
        ("Absolutely brilliant service!", .positive, "booster and exclamation"),
        ("Not happy at all.", .negative, "negation"),
        ("Not impressed.", .negative, "negation"),
        ("I'm disappointed with the quality.", .negative, "lexicon"),
        ("Very disappointed.", .negative, "booster"),
        ("It's fine.", .positive, "lexicon"),
        ("Meh.", .negative, "lexicon"),
        ("The staff were lovely and the room was clean.", .positive, "lexicon"),
        ("My bag was damaged and nobody helped.", .negative, "service phrase"),
        ("Cancelled flight, no hotel, no food.", .negative, "service phrase"),
        ("Flight delayed 5 hours, missed my connection.", .negative, "service phrase"),
        ("Finally got my refund, thanks.", .positive, "service phrase: refund received"),
        ("Great crew, smooth flight, thanks!", .positive, "lexicon"),
        ("Seats were comfortable and the food was good.", .positive, "lexicon"),
        ("Lost luggage again.", .negative, "service phrase"),
        ("Overcharged for a simple repair.", .negative, "service phrase"),
        ("The return label does not work.", .negative, "service phrase"),
        ("No one has replied to my complaint.", .negative, "service phrase"),
        ("Good price, fast shipping.", .positive, "lexicon"),
        ("Quick and friendly service.", .positive, "lexicon"),
        ("I am furious.", .negative, "lexicon"),
        ("What a nightmare.", .negative, "lexicon"),
        // multi-sentence messages
        ("I waited an hour. Nobody answered. Terrible.", .negative, "sentences"),
        ("The first parcel was late. The second was perfect and fast.", .positive, "sentences"),
        ("Great product. Awful, awful, awful delivery.", .negative, "sentences"),
        ("", .neutral, "empty"), ("   ", .neutral, "blank"), ("12345", .neutral, "number only"),
        ("https://example.com/order/123", .neutral, "url only"), ("jane@example.org", .neutral, "email only"),
        // degree words that are also sentiment words, run-together hashtags, courtesy
        ("What a pretty dress.", .positive, "degree word alone is its own word"), ("That is pretty bad.", .negative, "degree word boosts"),
        ("The staff were super.", .positive, "degree word alone is its own word"), ("Pretty good service.", .positive, "degree word boosts"),
        ("Lost my bag again #brandfail", .negative, "run-together hashtag"), ("#notimpressed with the delay", .negative, "run-together hashtag"),
        ("Booked for Friday #summertrip", .neutral, "run-together hashtag without sentiment"),
        ("Back home at last #happy", .positive, "a one-word tag is its word"),
        ("Oh no, the flight is full.", .negative, "idiom"), ("I will need a receipt as well.", .neutral, "\"as well\" is not praise"),
        ("Can you check my booking? Thanks!", .neutral, "courtesy closing a question"),
        ("Thanks, the agent was great!", .positive, "gratitude with praise"),
        ("My order number is 4471.", .neutral, "identifier, not praise"), ("I want to change my seat.", .neutral, "a request, not praise"),
        // verdicts, help that is thanked for, a mildly positive message
        ("I would recommend this shop to anyone.", .positive, "a verdict, not a wish"),
        ("I wouldn't recommend them.", .negative, "a verdict, negated"), ("Would not recommend.", .negative, "a verdict, negated"),
        ("I could not put it down.", .positive, "a negated phrase after \"could\" says what happened, not a wish"),
        ("Couldn't put it down, a real page-turner.", .positive, "review idiom"),
        ("I wouldn't change a thing.", .positive, "a verdict through a negation"),
        ("Thanks for your help!", .positive, "help thanked for is part of the thanks"),
        ("Thank you so much for all your help.", .positive, "gratitude, not the sarcastic \"so much for\""),
        ("So much for customer service.", .negative, "idiom"),
        ("Thanks for your help, but my bag is still lost.", .negative, "politeness in a complaint"),
        ("The new fee makes no sense.", .negative, "service phrase"),
        ("They didn't fix the problem.", .negative, "a negated fix leaves the problem standing"),
        ("Your reply doesn't address the issue.", .negative, "a negated fix leaves the problem standing"),
        ("No one is answering the phone.", .negative, "service phrase"), ("Still nothing from your team.", .negative, "service phrase"),
        ("I have been trying to reach you for days.", .negative, "service phrase"), ("What a rip off.", .negative, "service phrase"),
        ("I am unable to log in.", .negative, "service phrase"), ("You just lost a customer.", .negative, "churn"),
        ("Hope you have a wonderful day.", .positive, "a well-wish, not a wish about the service"),
        ("I wish you all the best.", .positive, "a well-wish"), ("I wish you had better staff.", .negative, "a counterfactual wish"),
        ("It couldn't be worse.", .negative, "unsurpassed, not negated"), ("Couldn't be better.", .positive, "unsurpassed, not negated"),
        ("The staff could not have been more helpful.", .positive, "unsurpassed"), ("I couldn't be more disappointed.", .negative, "unsurpassed"),
        ("It can't get any worse.", .negative, "unsurpassed"),
        ("The staff were not friendly or helpful.", .negative, "negation carries over a list"),
        ("It was not funny, clever or original.", .negative, "negation carries over a list"),
        ("Save your money.", .negative, "commerce verdict"), ("Don't bother.", .negative, "commerce verdict"),
        ("Five stars, would buy again.", .positive, "commerce verdict"),
        ("Exceeded my expectations, would definitely buy again.", .positive, "a repurchase is a verdict, not a wish"),
        ("A tedious slog with no payoff.", .negative, "\"no\" that negates nothing says no"), ("No.", .negative, "\"no\" alone says no"),
        ("Not feeling great today.", .negative, "a linking verb passes the negation on"),
        ("An original, witty film.", .positive, "\"original\" is creative"), ("My original flight was at noon.", .neutral, "\"original\" names the earlier booking"),
        ("I did not like the ending.", .negative, "the verb \"like\", negated"), ("Kids will like it.", .positive, "the verb \"like\""),
        ("It looks like rain.", .neutral, "\"like\" as a preposition"),
        ("The least helpful agent I have dealt with.", .negative, "\"least\" negates"),
        ("At least the crew was friendly.", .positive, "\"at least\" concedes, it does not negate"),
        ("Yeah right, like that will happen.", .negative, "idiom"), ("She has a broken heart.", .negative, "idiom"),
        ("The food was good, the delivery was slow.", .positive, "mildly positive is positive (label threshold 0.05)"),
        ("I'm never flying with you again.", .negative, "never ... again: churn"),
        ("Will never order from them again.", .negative, "never ... again: churn"),
        ("I never had to wait, I will book again.", .neutral, "never ... again only within one clause"),
        ("The staff went above and beyond.", .positive, "idiom"), ("The promo code didn't work.", .negative, "service phrase"),
        ("Got my refund without any hassle.", .positive, "idiom built from a negative word"),
        ("The chatbot sent me in circles.", .negative, "service phrase"), ("Delivery took forever.", .negative, "service phrase"),
        ("I was promised a callback.", .negative, "a passive promise in service talk is a broken one"),
        ("The app logs me out every five minutes.", .negative, "service phrase"),
        ("Been on the phone for an hour and got nowhere.", .negative, "service phrase"),
        ("I've been passed from department to department.", .negative, "service phrase"),
        ("The new loyalty scheme is a rip off.", .negative, "a programme's name is not praise"),
        ("I had to chase them for weeks.", .negative, "service phrase"), ("Not what I ordered.", .negative, "service phrase"),
        ("The product does exactly what it says.", .positive, "product verdict"),
        ("Staff were polite but couldn't help.", .negative, "service phrase"),
        ("I couldn't help but smile.", .positive, "\"couldn't help but\" is an idiom, not a failure"),
        ("The staff could not help enough.", .positive, "idiom"),
        ("The website is down again.", .negative, "service phrase"), ("Nothing but excuses from your team.", .negative, "service phrase"),
        ("I've never been happier with an airline.", .positive, "unsurpassed: never been + comparative"),
        ("Their service has never been worse.", .negative, "unsurpassed: never been + comparative"),
        ("Never felt better after a flight.", .positive, "unsurpassed: never felt + comparative"),
        ("I have never been happy with them.", .negative, "never been + a plain word is negation"),
        ("Nobody bothered to reply.", .negative, "negated \"bother to\" is neglect, not praise"),
        ("They didn't even bother to call me back.", .negative, "negated \"bother to\" is neglect, not praise"),
        ("Thanks for bothering to reply at last.", .positive, "\"bother to\" alone is taking the trouble"),
        ("The agent helped me sort it out.", .positive, "lexicon: past tense of a rated verb"),
        ("Calling them three times hasn't helped.", .negative, "negated past tense of a rated verb"),
        ("No one at the store seems to care.", .negative, "a negative subject denies its predicate past the window"),
        ("Nobody in your support team was helpful.", .negative, "a negative subject denies its predicate past the window"),
        ("No-one seems to care about customers.", .negative, "\"no-one\" is \"no one\""),
        ("Nobody called me, but the refund came quickly and the staff were great.", .positive,
         "a negative subject's reach ends at its clause"),
        ("Nobody expected the service to be this good.", .positive, "a denied expectation exceeded is praise"),
        ("Nothing could have prepared me for how good the food was.", .positive, "a denied expectation exceeded is praise"),
        ("No one expected it to be this bad.", .negative, "a denied expectation exceeded: the negative word stays"),
        ("Nobody expected the staff to be helpful.", .negative, "without a degree the subject still denies"),
        ("Took them 3 weeks to reply.", .negative, "a delay: how long it took"),
        ("It took over a month to get my refund.", .negative, "a delay: how long it took"),
        ("Why does it take an hour to offload bags?", .negative, "a delay asked about is still a delay"),
        ("It doesn't take 6 days to answer an email.", .negative, "a delay denied is the same complaint"),
        ("Take a day off, you deserve it.", .neutral, "time taken off is leave, not a wait"),
        ("Delivered in 2 days.", .neutral, "a duration without a verb of taking time says nothing"),
        ("It has been 10 days.", .negative, "a delay: time gone by"),
        ("I have been a customer for ten years.", .neutral, "\"been\" with more than a count after it is no delay"),
        ("You promised a refund two weeks ago and I still have nothing.", .negative, "a promise named in service talk is one not kept"),
        ("Impossible to reach a human on the phone.", .negative, "service phrase"),
        ("The lamp arrived scratched and dented.", .negative, "service phrase"), ("I cannot sign in since the update.", .negative, "service phrase"),
        ("I want this fixed.", .negative, "a demand for a fix names a fault"), ("I'm thinking of switching to another shop.", .negative, "churn intent"),
        ("This book is impossible to put down.", .positive, "idiom"),
        ("The case scratches far too easily.", .negative, "\"too easily\": a product that gives way, not praise"),
        ("The strap wore out too quickly.", .negative, "\"too quickly\": wear that comes early, not praise"),
        ("The handle breaks easily.", .negative, "goods that give way easily: damage, not praise"),
        ("My parcel still has not been delivered.", .negative, "service phrase"), ("Prices are much higher than last month.", .negative, "service phrase"),
        ("My parcel never even arrived.", .negative, "\"even\" stresses a negated phrase, not breaks it"),
        ("They didn't even respond to my email.", .negative, "\"even\" stresses a negated phrase, not breaks it"),
        ("I didn't even like it.", .negative, "\"even\" stresses a negated phrase, not breaks it"),
        ("They never replied.", .negative, "service phrase"), ("The engineer never showed up.", .negative, "service phrase"),
        ("Nobody has replied to my emails in a week.", .negative, "service phrase: unreachable support"),
        ("I haven't heard back from anyone.", .negative, "service phrase: unreachable support"),
        ("I asked for a callback and nobody called.", .negative, "service phrase: unreachable support"),
        ("I can't find the cancel button anywhere.", .negative, "\"can't find\" is the complaint, not a negated \"cancel\""),
        ("I couldn't find anything wrong with it.", .positive, "no fault found is praise"),
        ("They renewed my plan without asking.", .negative, "service phrase: acting without consent"),
        ("The chatbot keeps sending me round in a loop.", .negative, "service phrase"),
        ("The order says dispatched but hasn't moved in 6 days.", .negative, "service phrase: tracking that stands still"),
        ("The battery drains in a couple of hours.", .negative, "service phrase: a device defect"),
        ("Each time I call I'm told something different.", .negative, "service phrase: a runaround"),
        ("The courier never even knocked.", .negative, "\"even\" stresses a negated phrase, not breaks it"),
        ("Order #823366 was supposed to arrive last week.", .negative, "an expectation not met is a complaint"),
        ("You were supposed to call me back.", .negative, "an expectation not met is a complaint"),
        ("When is it supposed to arrive?", .neutral, "asking what to expect is no complaint"),
        ("It should have arrived by now.", .negative, "service phrase: an overdue delivery"),
        ("This is supposed to be waterproof but it leaks.", .negative, "a defect after \"but\""),
        ("DEAR TEAM, PRICES ARE MUCH HIGHER THAN LAST MONTH.", .negative, "a greeting is not praise: the complaint stands"),
        ("Dear team, the new loyalty programme wiped my points.", .negative, "a greeting is not praise"),
        ("Dear team, you were amazing, thank you!", .positive, "praise keeps the greeting"),
        ("Honestly the subscription price increase is too much.", .negative, "service phrase; \"honestly\" opens it, praises nothing"),
        ("Why did the monthly fee go up without notice?", .negative, "service phrase"),
        ("Support agent laughed at my complaint.", .negative, "service phrase: laughing at a customer"),
        ("We laughed a lot, great evening.", .positive, "laughing with, not at"),
        ("Is the loyalty scheme still running?", .neutral, "a programme's name is no praise"),
        ("The driver was friendly but the money was never refunded.", .negative, "\"but\" shifts weight to the second clause"),
        ("My card got debited twice for one purchase.", .negative, "service phrase: a double charge"),
        ("My order had someone else's items.", .negative, "service phrase: the wrong order"),
        ("You raised the price of my plan again.", .negative, "service phrase"),
        ("The service was rubbish.", .negative, "British complaint words are rated"),
        ("Absolutely gutted, the parcel never came.", .negative, "British complaint words are rated"),
        ("Well chuffed with the quick refund!", .positive, "British praise is rated"),
        ("Diabolical customer service from start to finish.", .negative, "British complaint words are rated"),
    ]

    @Test(arguments: polarity)
    func labels(_ text: String, _ expected: L, _ relation: String) {
        #expect(SentimentFixture.label(text) == expected, "\(relation): \(text)")
    }

    enum Relation: String { case flips, stronger, weaker, same, morePositive, moreNegative }

    /// (a, b, how b relates to a)
    static let pairs: [(String, String, Relation)] = [
        ("The service was good.", "The service was not good.", .flips), ("I am happy.", "I am not happy.", .flips),
        ("It is good.", "It is never good.", .flips), ("Helpful staff.", "Staff not helpful.", .flips),
        // "Never so / such" is an exclamation; "not so" and "never ... this" still negate.
        ("Awful service.", "I have never had such awful service.", .same), ("Rude agent.", "Never met so rude an agent.", .same),
        ("They were helpful.", "Never seen staff so helpful.", .same), ("It is good.", "It is not so good.", .flips),
        ("I found it helpful.", "I never found this helpful.", .flips),
        // A remedy keeps its sign under negation: "won't refund" is as much a complaint as asking for one.
        ("I want a refund.", "They won't refund me.", .same), ("Please escalate.", "Nobody would escalate it.", .same),
        ("They replied.", "They didn't bother to reply.", .moreNegative), ("Someone helped.", "Nobody helped.", .flips),
        ("Someone at the store seems to care.", "No one at the store seems to care.", .flips),
        ("The service was this good.", "Nobody expected the service to be this good.", .same),
        ("It took ages to reply.", "It took them three weeks to reply.", .same),
        ("My parcel never arrived.", "My parcel never even arrived.", .same),
        ("It was a great trip.", "It was not a great trip.", .flips), ("I like it.", "I don't like it.", .flips),
        ("I like it.", "I dont like it.", .flips), ("Nice people.", "No nice people.", .flips),
        ("Bad experience.", "Not a bad experience.", .flips), ("Terrible service.", "Not terrible service.", .flips),
        // "Far from" negates as one negator, counted from its last word: "far from the best" is no praise.
        ("The service was perfect.", "The service was far from perfect.", .flips), ("It was the best.", "It was far from the best.", .flips),
        ("The fit was bad.", "The fit was far from bad.", .flips),
        // Too much of a good thing: "easily" and "quickly" are praise until "too" says they come early.
        ("The lid opens easily.", "The lid opens too easily.", .flips), ("It wears in quickly.", "It wears out too quickly.", .flips),
        ("The delivery was good.", "The delivery was very good.", .stronger), ("The delivery was bad.", "The delivery was very bad.", .stronger),
        ("Good service.", "Extremely good service.", .stronger), ("Rude agent.", "Incredibly rude agent.", .stronger),
        ("Happy with it.", "Really happy with it.", .stronger), ("Slow website.", "Totally slow website.", .stronger),
        ("Good.", "Good!", .stronger), ("Bad.", "Bad!!!", .stronger), ("Great service", "GREAT service", .stronger),
        ("Awful service", "AWFUL service", .stronger), ("The food was ok.", "The food was OK.", .same),
        ("ty, that helps", "TY, that helps", .same), ("fyi the link is broken", "FYI the link is broken", .same),
        ("wtf is wrong with the app", "WTF is wrong with the app", .same), ("The app is good.", "The app is sooo good.", .same),
        ("Good service.", "Somewhat good service.", .weaker), ("Bad service.", "Slightly bad service.", .weaker),
        ("Good product.", "Kind of good product.", .weaker), ("Annoying delay.", "A bit annoying delay.", .weaker),
        ("The staff were nice but the food was bad.", "The food was bad but the staff were nice.", .morePositive),
        ("Fast delivery but broken item.", "Broken item but fast delivery.", .morePositive),
        ("I like the app, however it crashes.", "It crashes, however I like the app.", .morePositive),
        ("Although it arrived, it was broken.", "Although it was broken, it arrived and works great.", .morePositive),
        // Repeated identical words: the contrast weight follows positions, not values (VADER's _but_check bug).
        ("good good but bad", "bad but good good", .morePositive), ("bad bad but good", "good but bad bad", .moreNegative),
        ("nice nice nice but awful", "awful but nice nice nice", .morePositive),
        ("I will book with you.", "I will never book with you again.", .moreNegative),
        // A double charge as customers word it, the object before "twice".
        ("They charged me.", "They charged me twice.", .moreNegative), ("I was billed.", "I was billed twice.", .moreNegative),
        ("@united my flight", "my flight", .same), ("@happy my order", "my order", .same), ("@love thanks", "thanks", .same),
        ("great https://example.com/awful", "great", .same), ("bad jane@awful.com", "bad", .same),
        ("Please help, my bag is lost.", "My bag is lost.", .same), ("Kindly fix this, the app crashes.", "Fix this, the app crashes.", .same),
        ("Thanks, the parcel is late.", "The parcel is late.", .same), ("Please, the refund never came.", "The refund never came.", .same),
        ("Thanks for the help.", "Thanks for nothing.", .moreNegative), ("No problem.", "A problem.", .moreNegative),
        ("No complaints here.", "Complaints here.", .moreNegative), ("Not bad.", "Bad.", .moreNegative),
        ("The flight was fine.", "The flight was cancelled.", .moreNegative), ("My bag arrived.", "They lost my bag.", .moreNegative),
        ("I got my refund.", "Still waiting for my refund.", .moreNegative), ("Answered at once.", "On hold for an hour.", .moreNegative),
        ("Charged once.", "Charged twice.", .moreNegative), ("The order is here.", "The order is late.", .moreNegative),
        ("Delivery 🙂", "Delivery 😡", .moreNegative), ("Delivery 👍", "Delivery 👎", .moreNegative),
        ("Delivery :)", "Delivery :(", .moreNegative), ("Okay.", "Okay 😍", .morePositive),
        ("The staff.", "The lovely staff.", .morePositive), ("The refund.", "The quick refund.", .morePositive),
        ("Service.", "Service was excellent!", .morePositive), ("Support.", "Support was useless.", .moreNegative),
        ("Great.", "Great. Great. Great.", .same),
        ("The service was great.", "It would be great if the service worked.", .moreNegative),
        ("I love to chat with you.", "I would love to chat with you, but the app is broken.", .moreNegative),
        ("Helpful staff.", "I wish the staff were helpful.", .moreNegative),
        ("#fail", "fail", .same), ("#not happy", "not happy", .same), ("#love it", "love it", .same),
        ("@united thanks", "@united thanks #United", .same),
        ("I flew today.", "I flew United today.", .same), ("My order from Best Buy.", "My order from the shop.", .same),
        ("great service", "Great Service From Your Team", .same),
        ("That is bad.", "That is pretty bad.", .stronger), ("Good service.", "Pretty good service.", .stronger),
        ("Lost my bag again", "Lost my bag again #brandfail", .moreNegative), ("happy", "#nothappy", .flips),
        ("Can you check my booking?", "Can you check my booking? Thanks!", .same),
        ("The agent was helpful.", "Was the agent helpful?", .moreNegative),
        ("My refund is late.", "Why is my refund so late?", .moreNegative),
        ("The agent was kind.", "The agent was kind, thanks!", .morePositive),
        ("I would love a reply.", "I would recommend them.", .morePositive), ("I recommend them.", "I would recommend them.", .same),
        ("It could be better.", "I could not put it down.", .morePositive),
        ("Can you help me?", "Thanks for your help.", .morePositive),
        ("I hope you can fix it.", "Hope you have a great day.", .morePositive),
        ("I was not happy.", "I was not happy or satisfied.", .stronger), ("It is not good.", "It is not good, it is great.", .morePositive),
        ("It is worse.", "It couldn't be worse.", .stronger), ("The staff were helpful.", "The staff could not have been more helpful.", .stronger),
        ("I am feeling great.", "I am not feeling great.", .flips), ("The film has a payoff.", "The film has no payoff.", .moreNegative), ("My favorite airline.", "My least favorite airline.", .flips),
        ("The problem is still there.", "They didn't fix the problem.", .same), ("No problem.", "They never fixed the problem.", .moreNegative),
        // British spellings read as the American ones the general lexicon rates (`spellings.tsv`).
        ("My favorite shop.", "My favourite shop.", .same), ("The staff were disorganized.", "The staff were disorganised.", .same),
        ("An unsavory business.", "An unsavoury business.", .same),
    ]

    @Test(arguments: pairs)
    func relations(_ a: String, _ b: String, _ relation: Relation) {
        let x = SentimentFixture.compound(a)
        let y = SentimentFixture.compound(b)
        switch relation {
        case .flips: #expect(x * y < 0, "negation should flip: \(a) \(x) → \(b) \(y)")
        case .stronger: #expect(abs(y) > abs(x) && x * y > 0, "booster/emphasis should raise: \(a) \(x) → \(b) \(y)")
        case .weaker: #expect(abs(y) < abs(x) && x * y > 0, "dampener should lower: \(a) \(x) → \(b) \(y)")
        case .same: #expect(abs(x - y) < 0.15, "should not change much: \(a) \(x) → \(b) \(y)")
        case .morePositive: #expect(y > x, "\(a) \(x) → \(b) \(y)")
        case .moreNegative: #expect(y < x, "\(a) \(x) → \(b) \(y)")
        }
    }

    @Test func theSuiteHasAtLeast250Sentences() {
        #expect(Self.polarity.count + 2 * Self.pairs.count >= 250)
    }

    @Test func everyScoreExplainsItself() {
        let score = SentimentFixture.scorer.score(SentimentFixture.tokenizer.tokenize("The agent was not helpful but VERY quick!"))
        let hits = score.sentences.flatMap(\.hits)
        #expect(hits.map(\.text) == ["helpful", "quick"])
        #expect(hits[0].rules.contains("negated") && hits[0].rules.contains { $0.hasPrefix("contrast: conceded") })
        #expect(hits[1].rules.contains("booster") && hits[1].rules.contains { $0.hasPrefix("contrast: main clause") })
        #expect(score.compound > 0 && score.compound <= 1)
        #expect(abs(score.positive + score.neutral + score.negative - 1) < 1e-9)
    }

    /// Found by fuzzing: 150 clause-initial "yet"s multiplied the contrast weights past the largest Double, and
    /// explaining the hits trapped. Contrast words now stack up to three in each direction.
    @Test func stackedContrastWordsStayBounded() {
        let text = "I like it " + String(repeating: "-yet it was fine ", count: 150)
        let score = SentimentFixture.scorer.score(SentimentFixture.tokenizer.tokenize(text))
        let hits = score.sentences.flatMap(\.hits)
        #expect(score.compound.isFinite && abs(score.compound) <= 1)
        #expect(!hits.isEmpty && hits.allSatisfy { $0.value.isFinite && abs($0.value) <= 4 * 1.5 * 1.5 * 1.5 })
        #expect(hits[0].rules.contains("contrast: conceded x0.13"))  // 0.5 three times, not 150
        let buts = "good " + String(repeating: "but fine ", count: 20_000)
        #expect(SentimentFixture.compound(buts).isFinite)
    }

    /// Run-together tags are split up to `Hashtags.longestSplit` bytes: a 10 MB tag on one line (hostile
    /// input) must not be tried at every cut.
    @Test func onlyTagsOfWordLengthAreSplit() {
        #expect(SentimentFixture.compound("#brandfail") < 0)
        #expect(SentimentFixture.compound("#" + String(repeating: "x", count: 300) + "fail") == 0)
    }

    @Test func compoundStaysInRangeForLongMessages() {
        let text = String(repeating: "Awful, terrible, horrible service!!! ", count: 200)
        let score = SentimentFixture.scorer.score(SentimentFixture.tokenizer.tokenize(text))
        #expect(score.compound >= -1 && score.compound < -0.5)
    }
}
