extension Commands {
    static let token = CommandSpec(name: "token", summary: "todo", help: "todo") { _ in .success }
}
