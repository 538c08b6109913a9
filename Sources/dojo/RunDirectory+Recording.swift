// One episode of a policy recorded as a GIF in a run's videos/ folder: the picture of what a
// training run learned, written at its end.
import Foundation
import RL
import Rendering
import Runs

extension RunDirectory {
    /// One episode of `policy` recorded as run/videos/`name`; returns the GIF's path.
    func recordEpisode<E: Environment>(_ environment: inout E, _ player: any Player, name: String,
                                       seed: UInt64, maxSteps: Int) throws -> String {
        try createSubfolders()
        let path = (videos as NSString).appendingPathComponent(name)
        var options = ViewerOptions()
        options.gifPath = path
        options.maxSteps = maxSteps
        options.seed = seed
        let viewer = try Viewer(options: options, title: "", frameSize: environment.frameSize, person: false)
        _ = try viewer.run(&environment, actor: .player(player))
        try viewer.save()
        return path
    }
}
