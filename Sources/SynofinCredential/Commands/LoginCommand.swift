extension Commands {
    static let login = CommandSpec(name: "login", summary: "todo", help: "todo") { _ in .success }
}
