// Exit codes (DESIGN.md §4): a usage mistake — an option missing, out of range or contradicting
// another — is a `ValidationError` (ArgumentParser prints the usage line and exits 64); every
// other failure — a file that cannot be read or is damaged, a checkpoint of the wrong kind, a
// missing tool — is a `Failure`: one sentence, exit 1, no usage line. Ctrl-C after a clean save
// exits 130 (`StopSignal`).
struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
