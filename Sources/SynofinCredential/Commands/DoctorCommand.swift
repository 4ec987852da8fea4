extension Commands {
    static let doctor = CommandSpec(name: "doctor", summary: "todo", help: "todo") { _ in .success }
}
