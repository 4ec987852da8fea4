extension Commands {
    static let logout = CommandSpec(name: "logout", summary: "todo", help: "todo") { _ in .success }
}
