// A Go player where environment-generic code wants a `Policy` (the viewer, dojo watch and
// play): its move, and a pass where it would resign (the window has no resignation).
import Go
import RL

/// A Go player as a `Policy` (for the viewer and other environment-generic code).
public struct GoPlayerPolicy: Policy {
    public var player: any GoPlayer
    public mutating func act(on env: some Environment) -> Int {
        guard let game = env as? GoGame else { preconditionFailure("a Go player only plays Go") }
        let a = player.chooseMove(game, secondsLeft: nil)
        return a == GoPlayerMove.resign ? game.passAction : a     // the window has no resignation: pass instead
    }
}
