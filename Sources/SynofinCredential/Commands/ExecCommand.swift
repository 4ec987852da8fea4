extension Commands {
    static let exec = CommandSpec(name: "exec", summary: "todo", help: "todo") { _ in .success }
}
