// Go's results as SGF and GTP write them, for game records and self-play logs: "B+R" / "W+R"
// after a resignation, else the area count ("B+3.5", "W+0.5", "0").
import RL

extension GoGame: ResultDescribing {
    public func resultText(outcome: SIMD2<Float>, resignedBy loser: Int?) -> String {
        if let loser { return loser == 0 ? "W+R" : "B+R" }
        return resultString
    }
}
