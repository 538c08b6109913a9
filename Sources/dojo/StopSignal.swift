// Ctrl-C (SIGINT) and SIGTERM during training: the first one asks the loop to stop at the next
// frame, write a checkpoint and exit; a second one exits at once.
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
}
