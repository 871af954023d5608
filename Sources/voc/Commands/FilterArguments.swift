/// The command lines of `voc score` and `voc cluster`, the filters other tools start once per batch, read
/// without the argument parser when they hold nothing but that command's own long options: the parser's
/// reflection over the commands was 1.7 ms of `voc score`'s 14 ms start-up, and of `voc cluster`'s 13 ms
/// (a third of its run on a few thousand lines). Anything else (help, a short, unknown or repeated option,
/// a value the command would refuse, a value that starts with "-") is nil here and goes to the argument
/// parser as before, which stays the one place that describes, checks and explains the options; the tests
/// hold both readings to the same options.
enum FilterArguments {
    /// The options of `voc score …` (the arguments after the program's name), or nil.
    static func score(_ arguments: [String]) -> ScoreCommand.Options? {
        guard let found = options(arguments, command: "score", valued: ["format", "input", "lexicons"], flags: ["explain", "english-only"]) else { return nil }
        var options = ScoreCommand.Options(
            input: found["input"], explain: found["explain"] != nil, lexicons: found["lexicons"], englishOnly: found["english-only"] != nil)
        return read(found["format"], ScoreCommand.Format.init(rawValue:), into: &options.format) ? options : nil
    }

    /// The options of `voc cluster …` (the arguments after the program's name), or nil.
    static func cluster(_ arguments: [String]) -> ClusterCommand.Options? {
        guard let found = options(arguments, command: "cluster", valued: ["k", "seed", "format", "input", "lexicons"], flags: ["summary"])
        else { return nil }
        var options = ClusterCommand.Options(input: found["input"], summary: found["summary"] != nil, lexicons: found["lexicons"])
        // A k below one is left to the parser, which refuses it with its reason.
        let valid = read(found["k"], { Int($0).flatMap { $0 >= 1 ? $0 : nil } }, into: &options.k) && read(found["seed"], { UInt64($0) }, into: &options.seed)
            && read(found["format"], ClusterCommand.Format.init(rawValue:), into: &options.format)
        return valid ? options : nil
    }

    /// Sets `target` to `text` made a value by `make`, when the option was given; false when `make` refuses it.
    private static func read<Value>(_ text: String?, _ make: (String) -> Value?, into target: inout Value) -> Bool {
        guard let text else { return true }
        guard let value = make(text) else { return false }
        target = value
        return true
    }

    private static func read<Value>(_ text: String?, _ make: (String) -> Value?, into target: inout Value?) -> Bool {
        guard let text else { return true }
        guard let value = make(text) else { return false }
        target = value
        return true
    }

    /// The options after `command` by name (a flag's value is empty), when every argument is one of
    /// `valued` as `--name value` or `--name=value`, or one of `flags` as `--name`, each at most once; nil
    /// otherwise. Arrays, not a set and a dictionary: their first use at start-up cost a scan of the
    /// runtime's protocol conformances, a tenth of what reading the line here saves.
    private static func options(_ arguments: [String], command: String, valued: [String], flags: [String]) -> Found? {
        guard arguments.first == command else { return nil }
        var found = Found()
        var k = 1
        while k < arguments.count {
            guard arguments[k].hasPrefix("--") else { return nil }
            var name = String(arguments[k].dropFirst(2))
            var value: String?
            if let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if flags.contains(name) {
                guard value == nil else { return nil }
                value = ""
            } else if valued.contains(name) {
                if value == nil {
                    k += 1
                    guard k < arguments.count else { return nil }
                    value = arguments[k]
                }
                guard let given = value, !given.isEmpty, !given.hasPrefix("-") else { return nil }
            } else {
                return nil
            }
            guard found[name] == nil, let value else { return nil }
            found.pairs.append((name, value))
            k += 1
        }
        return found
    }

    /// The options found, by name.
    private struct Found {
        var pairs: [(name: String, value: String)] = []
        subscript(name: String) -> String? { pairs.first { $0.name == name }?.value }
    }
}
