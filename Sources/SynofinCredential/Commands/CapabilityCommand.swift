extension Commands {
    static let capability = CommandSpec(name: "capability", summary: "todo", help: "todo") { _ in .success }
}
