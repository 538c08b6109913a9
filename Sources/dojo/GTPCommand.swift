// `dojo gtp`: Dojo as a GTP version 2 engine on standard input and output, for GUIs (Sabaki,
// GoGui) and tournament managers.
import ArgumentParser
import Catalog
import Foundation
import Go

extension Dojo {
    struct GTP: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gtp",
            abstract: "Run as a GTP engine (Go Text Protocol 2) on stdin/stdout.",
            discussion: """
            Supported commands: \(GTPSession.commands.joined(separator: ", ")). \
            final_score counts the position by Tromp-Taylor area (Dojo's rules); with \
            --dead-stones mc it first removes the stones Monte Carlo ownership marks dead, for \
            games against engines that stop before capturing everything.

            Analysis for GUIs: lz-analyze and lz-genmove_analyze (also as analyze and \
            genmove_analyze) stream "info move … visits … winrate … prior … lcb … order … pv …" \
            lines as Sabaki and Lizzie expect; gogui-analyze_commands lists dojo-visits and \
            dojo-ownership for GoGui (docs/gtp.md).

            Examples:
              dojo gtp --agent random
              dojo gtp --agent random --size 19 --komi 6.5 --dead-stones mc
              dojo gtp --agent mcts:seconds=2,network=lz:best-network.gz      # a Leela Zero network, 19×19
              dojo gtp --agent alphago:policy=runs/<sl>/checkpoints/latest.safetensors,value=runs/<value>/checkpoints/latest.safetensors,seconds=1
              gogui-twogtp -black "dojo gtp --agent random" -white "gnugo --mode gtp" -games 10
            """)

        @Option(help: "The player answering genmove: \(GoPlayerCatalog.names.joined(separator: ", ")).")
        var agent = "random"

        @Option(help: "Initial board size (boardsize changes it); default 9, or 19 with a Leela Zero network.")
        var size: Int?

        var boardSize: Int { size ?? (agent.contains("network=") ? 19 : 9) }

        @Option(help: "Initial komi (komi changes it).")
        var komi = 7.5

        @Option(name: .customLong("dead-stones"), help: "final_score and final_status_list: tt (count as it stands) or mc (remove Monte Carlo dead stones).")
        var deadStones = "tt"

        @OptionGroup var common: CommonOptions

        func validate() throws {
            guard (2...19).contains(boardSize) else { throw ValidationError("--size must be 2…19, got \(boardSize).") }
            guard ["tt", "mc"].contains(deadStones) else { throw ValidationError("--dead-stones is tt or mc, got '\(deadStones)'.") }
        }

        func run() throws {
            common.apply()
            let player = try AgentCatalog.goPlayer(agent, seed: common.seed, boardSize: boardSize)
            let session = GTPSession(player: player, size: boardSize, komi: komi,
                                     deadStones: deadStones == "mc" ? .mc : .none, seed: common.seed)
            let input = StandardInputLines()
            session.output = { writeStandardOutput($0) }
            session.inputPending = { input.hasPendingInput }
            while let line = input.next() {
                guard let response = session.respond(to: line) else { continue }
                writeStandardOutput(response)
                if session.wantsToQuit { break }
            }
        }
    }
}
