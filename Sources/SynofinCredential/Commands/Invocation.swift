/// The command line taken apart: options anywhere before `--`, the first other word is the
/// command (git puts its operation last, after the helper's own options), later words are its
/// arguments, and everything after `--` is passed on untouched (for `exec`).
public struct Invocation: Sendable {
    public var command: String?
    public var arguments: [String] = []
    public var trailing: [String]?
    /// Long option name to value; flags map to "".
    public var options: [String: String] = [:]

    /// Options that take a value, by long name.
    static let valueOptions: Set<String> = ["profile", "config", "url", "client-name", "store", "identity"]
    /// Options that are flags, by long name.
    static let flagOptions: Set<String> = [
        "non-interactive", "verbose", "help", "version", "json", "stdin", "no-verify", "network", "passphrase",
    ]
    static let shortOptions: [Character: String] = ["v": "verbose", "h": "help"]

    public static func parse(_ arguments: [String]) throws -> Invocation {
        var invocation = Invocation()
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            if argument == "--" {
                invocation.trailing = Array(remaining)
                break
            }
            if argument.hasPrefix("--") {
                var name = String(argument.dropFirst(2))
                var value: String?
                if let equals = name.firstIndex(of: "=") {
                    value = String(name[name.index(after: equals)...])
                    name = String(name[..<equals])
                }
                if valueOptions.contains(name) {
                    if value == nil {
                        guard let next = remaining.popFirst() else { throw UsageError("--\(name) needs a value") }
                        value = next
                    }
                    invocation.options[name] = value
                } else if flagOptions.contains(name) {
                    guard value == nil else { throw UsageError("--\(name) takes no value") }
                    invocation.options[name] = ""
                } else {
                    throw UsageError("unknown option --\(name); see synofin-credential --help")
                }
            } else if argument.hasPrefix("-") && argument.count > 1 {
                for letter in argument.dropFirst() {
                    guard let name = shortOptions[letter] else {
                        throw UsageError("unknown option -\(letter); see synofin-credential --help")
                    }
                    invocation.options[name] = ""
                }
            } else if invocation.command == nil {
                invocation.command = argument
            } else {
                invocation.arguments.append(argument)
            }
        }
        return invocation
    }

    public func flag(_ name: String) -> Bool { options[name] != nil }
    public func value(_ name: String) -> String? { options[name] }

    /// Refuses options that `command` does not take, so typos never pass silently.
    func checkOptions(allowed: Set<String>, command: String) throws {
        let global: Set<String> = ["profile", "config", "non-interactive", "verbose", "help", "version"]
        for name in options.keys.sorted() where !global.contains(name) && !allowed.contains(name) {
            throw UsageError("'\(command)' takes no --\(name); see synofin-credential \(command) --help")
        }
    }
}
