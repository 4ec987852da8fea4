import Glibc

/// Changes to the config file: add or replace one profile's section, or remove it. Everything
/// else in the file (other sections, comments) is kept as written. The file is re-read under a
/// lock and replaced atomically, so concurrent `login`s never lose each other's profiles.
public enum ConfigEditor {
    /// Replaces (or appends) the section of `profile.name`.
    public static func save(_ profile: Profile, path: String) throws {
        try edit(path: path) { text in
            removingSections(named: profile.name, from: text) + section(for: profile)
        }
    }

    /// Removes every section of the profile called `name`.
    public static func remove(profileNamed name: String, path: String) throws {
        try edit(path: path) { text in removingSections(named: name, from: text) }
    }

    private static func edit(path: String, change: (String) throws -> String) throws {
        let target = resolvedPath(path)
        try FileSystem.makePrivateDirectory(FileSystem.parentDirectory(of: target))
        let lock = try FileLock(path: target + ".lock", timeout: 10)
        defer { lock.unlock() }
        let current = try ConfigFile.load(path: target)
        let updated = try change(current.text)
        // Never write a file we could not read back.
        _ = try ConfigFile.profiles(in: updated, path: target)
        try FileSystem.writeAtomically(target, bytes: Array(updated.utf8), mode: FileSystem.mode(of: target) ?? 0o600)
    }

    /// A config file kept in a dotfiles repository is often a symlink: write through it.
    private static func resolvedPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func section(for profile: Profile) -> String {
        var lines = ["[profile \"\(profile.name)\"]", "\turl = \(GitConfigParser.quote(profile.url.baseString))",
                     "\tclient-name = \(GitConfigParser.quote(profile.clientName))"]
        if let store = profile.store { lines.append("\tstore = \(store.rawValue)") }
        if profile.isDefault { lines.append("\tdefault = true") }
        if profile.tokenPath != Profile.defaultTokenPath { lines.append("\ttoken-path = \(GitConfigParser.quote(profile.tokenPath))") }
        if let caFile = profile.caFile { lines.append("\tca-file = \(GitConfigParser.quote(caFile))") }
        if profile.timeoutSeconds != Profile.defaultTimeoutSeconds { lines.append("\ttimeout = \(profile.timeoutSeconds)") }
        if let username = profile.username { lines.append("\tusername = \(GitConfigParser.quote(username))") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func removingSections(named name: String, from text: String) -> String {
        guard let sections = try? GitConfigParser.parse(text).sections else { return text }
        let doomed = sections.filter { $0.section == "profile" && $0.subsection == name }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        for span in doomed.reversed() {
            lines.removeSubrange((span.firstLine - 1)..<min(span.lastLine, lines.count))
        }
        while lines.last?.allSatisfy({ $0 == " " || $0 == "\t" }) == true { lines.removeLast() }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n\n"
    }
}
