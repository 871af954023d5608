import Impact
import Ingest
import Themes

/// The weekly report as one self-contained HTML file: no scripts, fonts, images or network requests;
/// charts are inline SVG; prints on A4/Letter.
public struct HTMLReport: ReportRenderer {
    public init() {}

    public func render(_ r: WeeklyReport) -> String {
        let h = r.headline
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Voice of the Customer — \(r.week)</title>
            <style>
            body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;max-width:1100px;margin:2em auto;padding:0 1.2em}
            h1{font-size:1.7em;margin:.2em 0}h2{font-size:1.25em;margin-top:1.8em;border-bottom:2px solid #e3e7ef;padding-bottom:.2em}
            h3{font-size:1.05em;margin:1.2em 0 .3em}
            .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:.8em}
            .card{background:#f5f7fb;border-radius:8px;padding:.7em .9em}.card b{display:block;font-size:1.35em}
            table{border-collapse:collapse;width:100%;font-size:.9em}th,td{padding:.35em .5em;border-bottom:1px solid #e3e7ef;text-align:left;vertical-align:top}
            th{background:#f5f7fb}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            td.theme{min-width:12em}td.n small{display:block;color:#5b6475;font-size:.8em}
            .up{color:#b42318;font-weight:600}.down{color:#067647;font-weight:600}.muted{color:#5b6475;font-size:.88em}
            blockquote{margin:.4em 0;padding:.4em .8em;border-left:3px solid #c5cbe0;background:#fafbfd}
            mark{background:#fff1b8;padding:0 .1em}
            .tag{display:inline-block;font-size:.75em;padding:0 .45em;border-radius:4px;background:#eef1f8;color:#3a4256}
            .new{background:#fde7e7;color:#912018}
            @media print{body{margin:0;max-width:none;font-size:11px}h2{break-after:avoid}table,svg,blockquote{break-inside:avoid}}
            </style></head><body>
            <h1>Voice of the Customer — \(esc(r.weekTitle))</h1>
            <p class="muted">Run \(r.run.id) · voc \(esc(r.run.version)) · seed \(r.run.seed) · parameters \(r.parameters.fingerprint)</p>
            <h2>Headline</h2><div class="cards">
            """
        let total = h.channels.values.reduce(0, +)
        let previous = h.previousChannels.values.reduce(0, +)
        html += card("Customer messages", Format.number(total), "\(Format.change(total, previous)) vs previous week")
        let caveats = r.caveats
        if let cost = r.totalCost {
            html += card("Cost of inaction, \(r.parameters.horizonWeeks) weeks", Format.number(cost.base), "range \(Format.number(cost.low))–\(Format.number(cost.high)) · \(esc(Format.valuation(r.parameters)))"
                + (caveats.isEmpty ? "" : " · \(caveats.count) caveat(s) under the table"))
        } else {
            html += card("Cost of inaction", "not computed", "configure customer_value (docs/cost-model.md)")
        }
        if let nps = h.nps { html += card("NPS", "\(Int(nps.rounded()))", Format.count(h.npsRespondents, "respondent", "respondents") + (h.csat.map { " · CSAT \(String(format1: $0))/5" } ?? "")) }
        html += card("Not hidden", "\(h.quarantined) quarantined", "\(h.setAside.values.reduce(0, +)) set aside · \(h.notEnglish) not English\(h.languageCounts.isEmpty ? "" : " (" + esc(h.languageCounts) + ")") · \(h.tooShort) too short · \(h.otherTheme) in “other”")
        html += "</div>\n<div class=\"cards\" style=\"margin-top:.8em\"><div>" + channelChart(h) + "</div><div>" + sentimentChart(h) + "</div></div>\n"
        html += "<h2>Issue themes ranked by cost of inaction</h2>\n" + costChart(r.ranked.prefix(12).map { $0 })
        html += "<table><thead><tr><th>#</th><th>Theme</th><th>Owner</th><th>Msgs</th><th>Customers</th><th>Negative</th><th>Change</th><th>8 weeks</th><th>Cost / week of delay</th><th>Accrued</th></tr></thead><tbody>\n"
        for (i, row) in r.ranked.enumerated() {
            let arrow = row.trend.arrow.isEmpty ? "" : " <span class=\"\(row.trend.arrow == "↑" ? "up" : "down")\">\(row.trend.arrow)</span>"
            let status = row.trend.status == .new ? " <span class=\"tag new\">new</span>" : row.trend.status == .rising ? " <span class=\"tag\">rising</span>" : ""
            html += "<tr><td class=\"n\">\(i + 1)</td><td class=\"theme\">\(esc(row.theme.label))\(status)</td><td>\(esc(row.theme.department))</td>"
            html += "<td class=\"n\">\(Format.number(row.messages))</td><td class=\"n\">\(Format.number(row.customers))</td><td class=\"n\">\(Format.percent(row.negativeShare))</td>"
            html += "<td class=\"n\">\(Format.change(row.messages, Int(row.trend.baselineMean.rounded())))\(arrow)</td><td>\(sparkline(row.weekly, held: row.weeksHeld))</td>"
            html += "<td class=\"n\">\(row.cost?.revenueAtRisk.map(spanCell) ?? "A≈" + Format.number(row.cost?.affected.base ?? 0))</td><td class=\"n\">\(row.cost?.accrued.map(spanCell) ?? "n/a")</td></tr>\n"
        }
        html += "</tbody></table><p class=\"muted\">Figures are base (low–high). Arrows only where an exact conditional Poisson rate test against the previous weeks gives p &lt; 0.05 and the change is at least \(Format.percent(ThemeTrend.materialChange)).</p>\n"
        if !caveats.isEmpty {
            html += "<p class=\"muted\">Caveats from the cost model:</p><ul class=\"muted\">"
                + caveats.map { "<li><b>\(esc($0.theme))</b>: \(esc($0.warning))</li>" }.joined() + "</ul>\n"
        }
        html += "<h2>Emerging, fading, merged and split</h2><ul>"
        for row in r.emerging { html += "<li><b>\(esc(row.theme.label))</b> — \(row.trend.status.rawValue), \(Format.count(row.messages, "message", "messages")), first seen \(row.firstSeen), owner \(esc(row.theme.department))</li>" }
        for row in r.fading { html += "<li>\(esc(row.theme.label)) — \(row.trend.status.rawValue)</li>" }
        for change in r.changes { html += "<li>\(esc(change.sentence))</li>" }
        if r.emerging.isEmpty && r.fading.isEmpty && r.changes.isEmpty { html += "<li>No significant changes.</li>" }
        html += "</ul>\n<h2>What else customers talk about</h2><ul>"
        for row in r.praise { html += "<li>\(esc(row.theme.label)): \(Format.count(row.messages, "message", "messages")), \(Format.percent(row.negativeShare)) negative</li>" }
        if r.praise.isEmpty { html += "<li>Nothing beyond the issue themes.</li>" }
        html += "</ul>\n<h2>Failed-search demand</h2><table><thead><tr><th>Demand theme</th><th>Zero-result searches</th><th>Sessions</th><th>Lost revenue</th><th>Searched as</th></tr></thead><tbody>"
        for row in r.searchThemes {
            html += "<tr><td>\(esc(row.theme.label))</td><td class=\"n\">\(Format.number(row.messages))</td><td class=\"n\">\(Format.number(row.customers))</td><td class=\"n\">\(row.cost?.lostSearchRevenue.map(Format.span) ?? "n/a")</td><td>\(Format.searched(row.searchedAs, escape: esc))</td></tr>"
        }
        html += "</tbody></table>\n<h2>By department</h2><ul>"
        for department in r.departments {
            let owned = (r.themes + r.searchThemes).filter { $0.theme.department == department && $0.messages > 0 }
            guard !owned.isEmpty else { continue }
            html += "<li><b>\(esc(department))</b>: " + owned.map { "\(esc($0.theme.label)) (\(Format.number($0.messages)))" }.joined(separator: "; ") + "</li>"
        }
        html += "</ul>\n<h2>What customers say</h2>\n"
        for row in r.ranked.prefix(5) {
            html += "<h3>\(esc(row.theme.label))</h3>\n"
            if !row.subthemes.isEmpty {
                html += "<p class=\"muted\">Sub-themes: " + row.subthemes.map { "\(esc($0.label)) (\(Format.number($0.messages)))" }.joined(separator: " · ") + "</p>\n"
            }
            let terms = Format.keyTerms(row.theme)
            for quote in row.quotes.prefix(3) {
                html += "<blockquote>" + Format.highlight(Format.excerpt(quote, limit: 280, around: terms), terms: terms, open: "<mark>", close: "</mark>", escape: esc) + "</blockquote>\n"
            }
        }
        html += "<h2>Method</h2>\n" + MethodNote.lines(r.parameters).map { $0.isEmpty ? "" : "<p class=\"muted\">\(escCode($0))</p>" }.joined(separator: "\n")
        html += "<p class=\"muted\">Lexicons: " + r.run.lexiconHashes.map { "\(esc($0.0)) \($0.1)" }.joined(separator: ", ") + "</p>\n</body></html>\n"
        return html
    }

    /// Base on top, the low–high range below it in small type, so the table stays narrow.
    func spanCell(_ span: Span) -> String {
        "\(Format.number(span.base))<small>\(Format.number(span.low))–\(Format.number(span.high))</small>"
    }

    func card(_ title: String, _ value: String, _ note: String) -> String {
        "<div class=\"card\">\(esc(title))<b>\(esc(value))</b><span class=\"muted\">\(esc(note))</span></div>\n"
    }

    /// Horizontal bars: base cost, with a line from low to high.
    func costChart(_ rows: [ThemeRow]) -> String {
        let values: [Span] = rows.map { $0.cost?.costOfInaction ?? $0.cost?.affected ?? Span.zero }
        let top = max(1, values.map(\.high).max() ?? 1)
        let height = 22 * rows.count + 30
        var svg = "<svg role=\"img\" aria-label=\"Cost of inaction per theme\" viewBox=\"0 0 900 \(height)\" width=\"100%\" style=\"max-width:900px\">"
        for (i, row) in rows.enumerated() {
            let y = 10 + i * 22
            let v = values[i]
            func x(_ value: Double) -> Int { 300 + Int(560 * value / top) }
            svg += "<text x=\"292\" y=\"\(y + 13)\" text-anchor=\"end\" font-size=\"12\">\(esc(String(row.theme.label.prefix(40))))</text>"
            svg += "<rect x=\"300\" y=\"\(y + 3)\" width=\"\(max(1, x(v.base) - 300))\" height=\"13\" fill=\"#4a6cf7\" opacity=\"0.85\"/>"
            svg += "<line x1=\"\(x(v.low))\" x2=\"\(x(v.high))\" y1=\"\(y + 9)\" y2=\"\(y + 9)\" stroke=\"#1d2330\" stroke-width=\"1.5\"/>"
            svg += "<line x1=\"\(x(v.high))\" x2=\"\(x(v.high))\" y1=\"\(y + 4)\" y2=\"\(y + 14)\" stroke=\"#1d2330\"/>"
        }
        let unit = rows.first?.cost?.costOfInaction == nil ? "affected customers" : "cost of inaction (base bar, low–high line)"
        svg += "<text x=\"300\" y=\"\(height - 4)\" font-size=\"11\" fill=\"#5b6475\">\(unit); max \(Format.number(top))</text></svg>\n"
        return svg
    }

    /// The line starts at the first week the store holds (`held` from the end): earlier weeks had no
    /// feedback to count, not no mentions.
    func sparkline(_ values: [Int], held: Int? = nil) -> String {
        let top = max(1, values.max() ?? 1)
        let step = values.count > 1 ? 80.0 / Double(values.count - 1) : 0
        let unheld = Format.unheldWeeks(values.count, held: held)
        let points = values.enumerated().dropFirst(unheld).map { i, v in "\(Int(Double(i) * step)),\(18 - 16 * v / top)" }.joined(separator: " ")
        return "<svg viewBox=\"0 0 82 20\" width=\"82\" height=\"20\" aria-label=\"weekly mentions \(values.map(String.init).joined(separator: ", "))\"><polyline fill=\"none\" stroke=\"#4a6cf7\" stroke-width=\"1.6\" points=\"\(points)\"/></svg>"
    }

    func channelChart(_ h: Headline) -> String {
        let top = max(1, h.channels.values.max() ?? 1)
        var svg = "<svg role=\"img\" aria-label=\"Volume by channel\" viewBox=\"0 0 420 140\" width=\"100%\"><text x=\"0\" y=\"12\" font-size=\"12\" font-weight=\"600\">Volume by channel</text>"
        for (i, channel) in Channel.allCases.enumerated() {
            let v = h.channels[channel] ?? 0
            let y = 22 + i * 22
            svg += "<text x=\"80\" y=\"\(y + 12)\" text-anchor=\"end\" font-size=\"12\">\(channel.rawValue)</text>"
            svg += "<rect x=\"88\" y=\"\(y + 2)\" width=\"\(max(1, 260 * v / top))\" height=\"13\" fill=\"#7a8ab8\"/>"
            svg += "<text x=\"\(94 + 260 * v / top)\" y=\"\(y + 12)\" font-size=\"11\">\(v)</text>"
        }
        return svg + "</svg>"
    }

    func sentimentChart(_ h: Headline) -> String {
        let labels = [("negative", "#d92d20"), ("neutral", "#98a2b3"), ("positive", "#12b76a")]
        let total = max(1, labels.map { h.sentiment[$0.0] ?? 0 }.reduce(0, +))
        var svg = "<svg role=\"img\" aria-label=\"Sentiment distribution\" viewBox=\"0 0 420 140\" width=\"100%\"><text x=\"0\" y=\"12\" font-size=\"12\" font-weight=\"600\">Sentiment of customer messages</text>"
        var x = 0
        for (label, colour) in labels {
            let width = 400 * (h.sentiment[label] ?? 0) / total
            svg += "<rect x=\"\(x)\" y=\"24\" width=\"\(width)\" height=\"26\" fill=\"\(colour)\"/>"
            x += width
        }
        for (i, (label, colour)) in labels.enumerated() {
            let share = Format.percent(Double(h.sentiment[label] ?? 0) / Double(total))
            svg += "<rect x=\"\(i * 130)\" y=\"64\" width=\"10\" height=\"10\" fill=\"\(colour)\"/><text x=\"\(i * 130 + 14)\" y=\"73\" font-size=\"12\">\(label) \(share)</text>"
        }
        return svg + "</svg>"
    }
}

/// `esc`, with the method note's Markdown code spans (`docs/cost-model.md`) as `<code>`: the note is
/// written once for both reports, and the HTML showed the backticks.
func escCode(_ text: String) -> String {
    let escaped = esc(text)
    let parts = escaped.split(separator: "`", omittingEmptySubsequences: false)
    guard parts.count % 2 == 1 else { return escaped }  // an unpaired backtick is text
    return parts.enumerated().map { $0.offset % 2 == 1 ? "<code>\($0.element)</code>" : String($0.element) }.joined()
}

/// HTML escaping of text and attribute values; also drops what `Format.safe` drops (bidi, zero-width and control characters).
func esc(_ text: String) -> String {
    var out = ""
    for c in Format.safe(text) {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(c)
        }
    }
    return out
}
