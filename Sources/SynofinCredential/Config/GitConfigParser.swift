/// git-config syntax, the part our file uses: `[section]` and `[section "subsection"]` headers,
/// `name = value` lines (a bare name means true), `#`/`;` comments, double quotes with the `\"`,
/// `\\`, `\n`, `\t`, `\b` escapes, and `\` line continuation. Names are case-insensitive.
public enum GitConfigParser {
    public struct Entry: Equatable, Sendable {
        public let section: String
        public let subsection: String?
        public let name: String
        /// nil for a bare `name` line, which git reads as boolean true.
        public let value: String?
        public let line: Int
    }

    /// Where a section's text starts and ends (1-based, inclusive), so editors can replace it.
    public struct SectionSpan: Equatable, Sendable {
        public let section: String
        public let subsection: String?
        public let firstLine: Int
        public var lastLine: Int
    }

    public struct SyntaxError: Error, Equatable {
        public let line: Int
        public let reason: String
    }

    public static func parse(_ text: String) throws -> (entries: [Entry], sections: [SectionSpan]) {
        var entries: [Entry] = []
        var sections: [SectionSpan] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? $0.dropLast() : $0
        }
        var index = 0
        var current: (section: String, subsection: String?)?
        while index < lines.count {
            let lineNumber = index + 1
            var line = lines[index]
            index += 1
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            if trimmed.isEmpty || trimmed.first == "#" || trimmed.first == ";" {
                continue
            }
            if trimmed.first == "[" {
                let header = try parseSectionHeader(trimmed, line: lineNumber)
                current = header
                if let last = sections.indices.last { sections[last].lastLine = lastContentLine(lines, before: lineNumber) }
                sections.append(SectionSpan(section: header.section, subsection: header.subsection,
                                            firstLine: lineNumber, lastLine: lineNumber))
                continue
            }
            guard let section = current else {
                throw SyntaxError(line: lineNumber, reason: "a setting before any [section] header")
            }
            // Join continuation lines: a value ending in an unescaped backslash goes on.
            while endsWithContinuation(line), index < lines.count {
                line = line.dropLast() + lines[index]
                index += 1
            }
            let (name, value) = try parseSetting(line.drop(while: { $0 == " " || $0 == "\t" }), line: lineNumber)
            entries.append(Entry(section: section.section, subsection: section.subsection, name: name,
                                 value: value, line: lineNumber))
            sections[sections.count - 1].lastLine = index
        }
        return (entries, sections)
    }

    /// The last line before `line` that is not blank, so a section's span ends at its content.
    private static func lastContentLine(_ lines: [Substring], before line: Int) -> Int {
        var candidate = line - 1
        while candidate > 1 && lines[candidate - 1].allSatisfy({ $0 == " " || $0 == "\t" }) { candidate -= 1 }
        return candidate
    }

    private static func parseSectionHeader(_ text: Substring, line: Int) throws -> (section: String, subsection: String?) {
        var rest = text.dropFirst()
        let name = rest.prefix(while: { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." })
        guard !name.isEmpty else { throw SyntaxError(line: line, reason: "a section header needs a name") }
        rest = rest.dropFirst(name.count)
        var subsection: String?
        if rest.first == " " || rest.first == "\t" {
            rest = rest.drop(while: { $0 == " " || $0 == "\t" })
            guard rest.first == "\"" else { throw SyntaxError(line: line, reason: "a subsection name must be in double quotes") }
            rest = rest.dropFirst()
            var value = ""
            var closed = false
            while let character = rest.popFirst() {
                if character == "\\" {
                    guard let escaped = rest.popFirst() else { break }
                    value.append(escaped)
                } else if character == "\"" {
                    closed = true
                    break
                } else {
                    value.append(character)
                }
            }
            guard closed else { throw SyntaxError(line: line, reason: "the subsection name has no closing quote") }
            subsection = value
        }
        guard rest.first == "]" else { throw SyntaxError(line: line, reason: "the section header has no closing ]") }
        let after = rest.dropFirst().drop(while: { $0 == " " || $0 == "\t" })
        guard after.isEmpty || after.first == "#" || after.first == ";" else {
            throw SyntaxError(line: line, reason: "unexpected text after the section header")
        }
        var section = name.lowercased()
        // Legacy `[section.sub]` form: the part after the dot is the (lower-cased) subsection.
        if subsection == nil, let dot = section.firstIndex(of: ".") {
            subsection = String(section[section.index(after: dot)...])
            section = String(section[..<dot])
        }
        return (section, subsection)
    }

    private static func parseSetting(_ text: Substring, line: Int) throws -> (String, String?) {
        let name = text.prefix(while: { $0.isLetter || $0.isNumber || $0 == "-" })
        guard let first = name.first, first.isLetter else {
            throw SyntaxError(line: line, reason: "expected 'name = value'")
        }
        var rest = text.dropFirst(name.count).drop(while: { $0 == " " || $0 == "\t" })
        if rest.isEmpty || rest.first == "#" || rest.first == ";" { return (name.lowercased(), nil) }
        guard rest.first == "=" else { throw SyntaxError(line: line, reason: "expected '=' after '\(name)'") }
        rest = rest.dropFirst()
        return (name.lowercased(), try parseValue(rest, line: line))
    }

    private static func parseValue(_ text: Substring, line: Int) throws -> String {
        var value = ""
        var pendingSpace = ""
        var quoted = false
        var rest = text.drop(while: { $0 == " " || $0 == "\t" })
        while let character = rest.popFirst() {
            if !quoted && (character == "#" || character == ";") { break }
            if !quoted && (character == " " || character == "\t") {
                pendingSpace.append(character)
                continue
            }
            if !pendingSpace.isEmpty {
                value += pendingSpace
                pendingSpace = ""
            }
            switch character {
            case "\"":
                quoted.toggle()
            case "\\":
                guard let escaped = rest.popFirst() else { break }
                switch escaped {
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "b": value.append("\u{8}")
                case "\\", "\"": value.append(escaped)
                default: throw SyntaxError(line: line, reason: "unknown escape \\\(escaped)")
                }
            default:
                value.append(character)
            }
        }
        guard !quoted else { throw SyntaxError(line: line, reason: "a value has no closing quote") }
        return value
    }

    private static func endsWithContinuation(_ line: Substring) -> Bool {
        let trailingBackslashes = line.reversed().prefix(while: { $0 == "\\" }).count
        return trailingBackslashes % 2 == 1
    }

    /// A value written so that `parse` reads it back unchanged.
    public static func quote(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.first == " " || value.last == " "
            || value.contains(where: { "#;\"\\\t\n".contains($0) })
        guard needsQuotes else { return value }
        var text = "\""
        for character in value {
            switch character {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\t": text += "\\t"
            default: text.append(character)
            }
        }
        return text + "\""
    }
}
