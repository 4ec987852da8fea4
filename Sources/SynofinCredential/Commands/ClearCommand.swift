extension Commands {
    static let clear = CommandSpec(name: "clear", summary: "todo", help: "todo") { _ in .success }
}
