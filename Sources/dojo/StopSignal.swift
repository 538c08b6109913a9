// Ctrl-C (SIGINT) and SIGTERM during training or a tournament: the first one asks the loop to
// stop at the next frame, game or step, write what it has and exit 130 after saying what was
// saved and how to continue; a second one exits 130 at once.
import ArgumentParser
import Foundation

enum StopSignal {
    nonisolated(unsafe) static var requested = false

    static func install() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig) { _ in
                if StopSignal.requested { exit(130) }
                StopSignal.requested = true
            }
        }
    }

    /// After a loop has saved its work: when a stop was asked for, says `how` to continue and
    /// exits 130.
    static func exitIfRequested(continueWith how: String) throws {
        guard requested else { return }
        emit("continue with: \(how)")
        throw ExitCode(130)
    }
}
