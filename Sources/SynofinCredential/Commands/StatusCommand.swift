extension Commands {
    static let status = CommandSpec(name: "status", summary: "todo", help: "todo") { _ in .success }
}
