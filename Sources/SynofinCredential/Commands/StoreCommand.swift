extension Commands {
    static let store = CommandSpec(name: "store", summary: "todo", help: "todo") { _ in .success }
}
