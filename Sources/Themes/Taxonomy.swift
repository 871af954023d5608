import Foundation
import Yams

/// The curated theme taxonomy (`lexicons/taxonomy.yaml`): named themes with their owning department,
/// severity class and seed terms. Curated themes take precedence over discovered ones and keep their names.
public struct Taxonomy: Sendable {
    public struct Entry: Sendable, Codable {
        public var id: String
        public var name: String
        public var department: String
        public var severity: Severity
        public var terms: [String]
        /// Words or phrases that keep a sentence out of the theme though it holds a seed term: "the password
        /// reset email never arrives" is not a late delivery. Matched like the terms (stemmed, same gap).
        public var exclude: [String]

        public init(id: String, name: String, department: String, severity: Severity, terms: [String], exclude: [String] = []) {
            self.id = id
            self.name = name
            self.department = department
            self.severity = severity
            self.terms = terms
            self.exclude = exclude
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            try self.init(
                id: container.decode(String.self, forKey: .id), name: container.decode(String.self, forKey: .name),
                department: container.decode(String.self, forKey: .department), severity: container.decode(Severity.self, forKey: .severity),
                terms: container.decode([String].self, forKey: .terms),
                exclude: container.decodeIfPresent([String].self, forKey: .exclude) ?? [])
        }
    }

    public var entries: [Entry]
    public var departments: [String]
    /// Department for failed-search demand themes.
    public var searchDepartment: String
    /// Department for discovered themes that resemble no curated theme.
    public var triageDepartment = "triage"
    /// Words shoppers use for one thing, read as one before failed searches are grouped (`SearchSynonyms`).
    public var searchSynonyms = SearchSynonyms.none

    struct File: Codable {
        var version: Int
        var search_department: String?
        var search_synonyms: [[String]]?
        var departments: [String]
        var themes: [Entry]
    }

    public init(entries: [Entry], departments: [String], searchDepartment: String) {
        self.entries = entries
        self.departments = departments
        self.searchDepartment = searchDepartment
    }

    public static func load(path: String) throws -> Taxonomy {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        // Parsed once: its keys are checked on the node tree, which is then decoded.
        guard let node = try Yams.compose(yaml: text) else { throw TaxonomyError(reason: "\(path): empty") }
        try checkKeys(node, path: path)
        let file = try YAMLDecoder().decode(File.self, from: node)
        var seen = Set<String>()
        for entry in file.themes {
            guard seen.insert(entry.id).inserted else { throw TaxonomyError(reason: "\(path): duplicate theme id \(entry.id)") }
            guard file.departments.contains(entry.department) else {
                throw TaxonomyError(reason: "\(path): theme \(entry.id) names unknown department \(entry.department)")
            }
            let both = Set(entry.terms.map { $0.lowercased() }).intersection(entry.exclude.map { $0.lowercased() })
            guard both.isEmpty else {
                throw TaxonomyError(reason: "\(path): theme \(entry.id) both seeds and excludes \(both.sorted().joined(separator: ", "))")
            }
        }
        var taxonomy = Taxonomy(entries: file.themes, departments: file.departments, searchDepartment: file.search_department ?? "search_catalogue")
        do {
            taxonomy.searchSynonyms = try SearchSynonyms(groups: file.search_synonyms ?? [])
        } catch {
            throw TaxonomyError(reason: "\(path): search_synonyms \(error.reason)")
        }
        return taxonomy
    }

    /// A misspelt key ("excludes:") would otherwise be dropped without a word, and the theme quietly match
    /// what it was meant not to.
    private static func checkKeys(_ root: Node, path: String) throws {
        func unknown(_ node: Node, _ known: Set<String>) -> [String] {
            (node.mapping?.keys.compactMap(\.string) ?? []).filter { !known.contains($0) }.sorted()
        }
        let top = unknown(root, ["version", "search_department", "search_synonyms", "departments", "themes"])
        guard top.isEmpty else { throw TaxonomyError(reason: "\(path): unknown key(s) \(top.joined(separator: ", "))") }
        for theme in root["themes"]?.sequence ?? [] {
            let keys = unknown(theme, ["id", "name", "department", "severity", "terms", "exclude"])
            guard keys.isEmpty else {
                throw TaxonomyError(reason: "\(path): theme \(theme["id"]?.string ?? "?"): unknown key(s) \(keys.joined(separator: ", ")) (known: department, exclude, id, name, severity, terms)")
            }
        }
    }

    /// Every word of every seed term, lowercased (what `Misspellings.swaps` is asked about).
    public var words: [String] { entries.flatMap(\.terms).flatMap { $0.lowercased().split(separator: " ").map(String.init) } }

    public static let empty = Taxonomy(entries: [], departments: [], searchDepartment: "search_catalogue")
}

public struct TaxonomyError: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}
