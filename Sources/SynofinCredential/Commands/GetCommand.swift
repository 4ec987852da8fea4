extension Commands {
    static let get = CommandSpec(name: "get", summary: "todo", help: "todo") { _ in .success }
}
