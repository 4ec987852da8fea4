/// How long each kind of Secret Service call may take (SPEC.md: 5 s, unless a person at a
/// desktop may be answering a prompt). The watchdog message is the one error a person sees when
/// a call had to be abandoned, so it names the fix like every other.
struct SecretServiceLimits {
    /// Any call no person takes part in.
    var seconds: Double = 5
    /// A call that may wait for a person: an unlock prompt, or a keyring that asks to confirm.
    var promptSeconds: Double = 120

    /// Connecting and looking at the default collection: no prompt is possible, so a stall is
    /// cancelled cleanly.
    var connect: SecretServiceCallLimit { limit(seconds, mayCancel: true) }

    /// Never cancelled: cancelling a pending prompt hangs libsecret 0.20.5.
    var unlock: SecretServiceCallLimit { limit(promptSeconds, mayCancel: false) }

    /// A search that never unlocks starts no prompt, so it may be cancelled; a desktop keyring
    /// may still hold its answer while it asks the person to confirm access.
    func read(promptPossible: Bool) -> SecretServiceCallLimit {
        limit(promptPossible ? promptSeconds : seconds, mayCancel: true)
    }

    /// Creating or deleting an item may start a prompt on some keyrings.
    func change(promptPossible: Bool) -> SecretServiceCallLimit {
        limit(promptPossible ? promptSeconds : seconds, mayCancel: !promptPossible)
    }

    private func limit(_ seconds: Double, mayCancel: Bool) -> SecretServiceCallLimit {
        SecretServiceCallLimit(
            seconds: seconds, mayCancel: mayCancel,
            hangMessage: "synofin-credential: error: " + SecretServiceError.timedOut(seconds: seconds).message)
    }
}
