extension Commands {
    static let erase = CommandSpec(name: "erase", summary: "todo", help: "todo") { _ in .success }
}
