/// A theme the corpus generator plants, with its ground truth: owner, severity, wording and weekly shape.
public struct PlantedTheme: Sendable {
    public enum Shape: Sendable { case steady, rising, fading, emergingInLastWeek }

    public let key: String
    public let department: String
    public let polarity: String
    public let shape: Shape
    public let weight: Double
    /// Sentence templates; `{order}`, `{n}`, `{product}`, `{days}` are filled at random.
    public let sentences: [String]

    /// Relative volume in week `index` of `count` (0-based).
    public func volume(week index: Int, of count: Int) -> Double {
        let t = count > 1 ? Double(index) / Double(count - 1) : 1
        switch shape {
        case .steady: return weight
        case .rising: return weight * (0.6 + 0.9 * t)
        case .fading: return weight * max(0.04, 1.2 - 1.15 * t)
        case .emergingInLastWeek: return index == count - 1 ? weight : 0
        }
    }

    /// The default plan: 14 issue themes over 10 departments, plus praise and neutral questions.
    public static let catalogue: [PlantedTheme] = [
        PlantedTheme(key: "double_charge", department: "billing", polarity: "negative", shape: .steady, weight: 1.0, sentences: [
            "I was charged twice for order {order}", "you billed my card two times for the same order",
            "there is a double charge on my credit card statement", "I see two identical payments for order {order}",
            "why was I charged twice this month", "my card got debited twice for one purchase",
            "duplicate payment taken from my account for order {order}", "charged me twice and nobody explains why",
        ]),
        PlantedTheme(key: "refund_delay", department: "returns", polarity: "negative", shape: .steady, weight: 1.0, sentences: [
            "I am still waiting for my refund after {days} days", "my refund has not arrived yet",
            "you promised a refund {days} days ago and I still have nothing", "where is my refund for order {order}",
            "the refund for my returned item never came through", "still no refund for the return I sent weeks ago",
            "how long does a refund take, it has been {days} days", "returned the item but the money was never refunded",
        ]),
        PlantedTheme(key: "late_delivery", department: "delivery", polarity: "negative", shape: .rising, weight: 1.4, sentences: [
            "my package is {days} days late", "the delivery never arrived", "my parcel still has not been delivered",
            "order {order} was supposed to arrive last week", "the courier keeps postponing my delivery",
            "still waiting for my order to be delivered", "delivery date passed and no parcel", "my order is late again",
        ]),
        PlantedTheme(key: "damaged_item", department: "product_quality", polarity: "negative", shape: .steady, weight: 0.9, sentences: [
            "the {product} arrived broken", "the screen of my {product} was cracked on arrival",
            "the {product} stopped working after two days", "item came damaged in the box",
            "my {product} is defective and makes a strange noise", "the {product} was scratched and dented when it arrived",
            "received a faulty {product}", "the {product} broke the first time I used it",
        ]),
        PlantedTheme(key: "login_problems", department: "accounts", polarity: "negative", shape: .steady, weight: 0.8, sentences: [
            "I can't log in to my account", "the password reset email never arrives", "my account is locked after one attempt",
            "login keeps failing with an error", "I cannot sign in since the update", "two factor code never comes so I can't log in",
            "the website says my password is wrong but it is not", "locked out of my account again",
        ]),
        PlantedTheme(key: "app_crash", department: "digital", polarity: "negative", shape: .steady, weight: 0.8, sentences: [
            "the app crashes when I open my basket", "checkout page freezes on the payment step",
            "your app keeps crashing on my phone", "the website shows an error at checkout",
            "the app closes itself every time I search", "checkout button does nothing in the app",
            "the mobile app is so slow it times out", "page crashes when I try to pay",
        ]),
        PlantedTheme(key: "long_hold", department: "customer_service", polarity: "negative", shape: .steady, weight: 1.0, sentences: [
            "I was on hold for {n} minutes", "nobody answers the phone at your call centre",
            "waited {n} minutes on hold and then got cut off", "impossible to reach a human on the phone",
            "your hotline keeps me on hold forever", "I called three times and no one picked up",
            "the agent put me on hold and never came back", "hold time was over an hour",
        ]),
        PlantedTheme(key: "rude_agent", department: "customer_service", polarity: "negative", shape: .steady, weight: 0.6, sentences: [
            "the agent was rude and hung up on me", "your support person was unfriendly and dismissive",
            "the staff member I spoke to was very rude", "the representative was condescending and unhelpful",
            "I was treated rudely by your agent", "support agent laughed at my complaint",
        ]),
        PlantedTheme(key: "price_increase", department: "pricing", polarity: "negative", shape: .steady, weight: 0.7, sentences: [
            "your prices went up again", "the subscription price increase is too much",
            "why did the monthly fee go up without notice", "prices are much higher than last month",
            "the membership price rise is not fair", "you raised the price of my plan again",
        ]),
        PlantedTheme(key: "promo_code", department: "marketing", polarity: "negative", shape: .steady, weight: 0.6, sentences: [
            "the promo code does not work", "discount code rejected at checkout", "my voucher code says invalid",
            "the coupon from your email is not accepted", "promo code expired before the date you advertised",
            "the discount was not applied to my order",
        ]),
        PlantedTheme(key: "wrong_item", department: "fulfilment", polarity: "negative", shape: .steady, weight: 0.7, sentences: [
            "I received the wrong size", "wrong item in my box", "you sent me a different {product} than I ordered",
            "the colour I received is not the one I ordered", "my order had someone else's items",
            "received the wrong product in my parcel",
        ]),
        PlantedTheme(key: "return_label", department: "returns", polarity: "negative", shape: .steady, weight: 0.5, sentences: [
            "the return label does not work", "I can't print the return label", "return label link is broken",
            "the drop off point rejected my return label", "no return label was included in the parcel",
        ]),
        PlantedTheme(key: "loyalty_points", department: "loyalty", polarity: "negative", shape: .emergingInLastWeek, weight: 1.3, sentences: [
            "my loyalty points disappeared", "all my reward points are gone from my account",
            "the new loyalty programme wiped my points", "my points balance shows zero after the update",
            "where did my loyalty points go", "lost all my bonus points overnight",
        ]),
        PlantedTheme(key: "tracking_link", department: "delivery", polarity: "negative", shape: .fading, weight: 1.0, sentences: [
            "the tracking link is broken", "tracking page says no information for my parcel",
            "the tracking number you sent does not work", "can't track my order, the link gives an error",
            "tracking has not updated for days",
        ]),
        PlantedTheme(key: "praise", department: "none", polarity: "positive", shape: .steady, weight: 0.9, sentences: [
            "great service, thank you so much", "the delivery was fast and the {product} is perfect",
            "really happy with my {product}", "your support team was very helpful", "excellent quality, will buy again",
            "love the new {product}, works great", "quick refund, very impressed", "friendly agent solved my problem in minutes",
        ]),
        PlantedTheme(key: "question", department: "none", polarity: "neutral", shape: .steady, weight: 0.4, sentences: [
            "how do I change my delivery address", "can I add an item to an existing order",
            "do you ship to Norway", "what are your opening hours", "is the {product} available in blue",
        ]),
    ]

    /// Queries customers search for and do not find, by demand theme.
    public static let searchDemand: [(key: String, weight: Double, queries: [String])] = [
        ("search:vegan_boots", 1.0, ["vegan leather boots", "vegan boots", "vegan leather boot women", "non leather boots"]),
        ("search:usb_c_hub", 0.9, ["usb c hub", "usb-c hub", "usbc hub 4 port", "usb c dock"]),
        ("search:gluten_free", 0.8, ["gluten free pasta", "gluten-free pasta", "gluten free bread", "gluten free flour"]),
        ("search:kids_raincoat", 0.7, ["kids raincoat", "children rain jacket", "kids rain coat", "toddler raincoat"]),
        ("search:ps5_controller", 0.6, ["ps5 controller", "playstation 5 controller", "dualsense controller", "ps5 pad"]),
    ]
}
