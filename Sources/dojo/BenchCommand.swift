// `dojo bench <workload>`: speed measurements (release builds only), as a table or as one JSON
// object per line with a stable schema (workload, threads, batch, unit, median, min, max, runs).
import ArgumentParser
import Bench
import Catalog
import Foundation
import Runs
import Tensors

extension Dojo {
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure speed: GEMM, convolution, DQN and AlphaZero steps, environment steps.",
            discussion: """
            Workloads (core: the first five):
            \(Workload.listing)

            Each result is the median of 7 timed repeats (each ≥ 0.3 s) after warm-up, the method of the PyTorch reference benchmark scripts/side_by_side.sh compares against. Build with `swift build -c release` first: debug builds are 10–100× slower.

            Examples:
              dojo bench core
              dojo bench gemm --json > gemm.jsonl
              dojo bench az-infer --threads 2
              dojo bench az-infer --batch 8 --repeats 15
              dojo bench env --env minatar/seaquest
              dojo bench go-playouts --size 9
            """)

        @Argument(help: "Workload to run: \(Workload.names.joined(separator: ", ")).")
        var workload: String

        @Flag(help: "One JSON object per result line instead of a table.")
        var json = false

        @Option(help: "Environment for env, dqn-train, r2d2-train, ppo-train and ppo-memory (default: the five MinAtar games; minatar/breakout).")
        var env: String?

        @Option(help: "Board size for go-playouts, mcts, mcts-nn and alphago (default: 9 and 19; 9; 19; 9 and 19).")
        var size: Int?

        @Option(help: "Residual blocks of the network of mcts-nn and the az-/kata- workloads (default 6).")
        var blocks: Int?

        @Option(help: "Filters of the network of mcts-nn and the az-/kata- workloads (default 64).")
        var filters: Int?

        @Option(help: "Batch size for the az-/kata- workloads; repeat for several (default: inference 1, 8 and 64; training 256).")
        var batch: [Int] = []

        @Option(help: "Timed repeats per result.")
        var repeats = 7

        @Option(name: .customLong("min-time"), help: "Minimum seconds per repeat.")
        var minTime = 0.3

        @OptionGroup var common: CommonOptions

        func validate() throws {
            guard Workload.named(workload) != nil else {
                throw ValidationError("unknown workload '\(workload)'; choose one of: \(Workload.names.joined(separator: ", ")).")
            }
            let chosen = Workload.named(workload) ?? []
            let given: [(BenchOption, Bool)] = [(.env, env != nil), (.size, size != nil), (.blocks, blocks != nil),
                                                (.filters, filters != nil), (.batch, !batch.isEmpty)]
            for (option, isGiven) in given where isGiven && !chosen.contains(where: { $0.takes.contains(option) }) {
                let readers = (Workload.all + Workload.extra).filter { $0.takes.contains(option) }.map(\.name)
                throw ValidationError("--\(option.rawValue) does not change \(workload); it is read by \(readers.joined(separator: ", ")).")
            }
            if let env {
                let environment = try EnvironmentCatalog.make(env)
                for w in chosen {
                    do { try w.check?(environment, env) } catch let error as ConfigError { throw ValidationError("\(w.name) --env \(env): \(error.description).") }
                }
            }
            if let size, !(2...19).contains(size) { throw ValidationError("--size must be 2…19, got \(size).") }
            if let blocks, !(1...40).contains(blocks) { throw ValidationError("--blocks must be 1…40, got \(blocks).") }
            if let filters, !(1...512).contains(filters) { throw ValidationError("--filters must be 1…512, got \(filters).") }
            if let bad = batch.first(where: { !(1...4096).contains($0) }) {
                throw ValidationError("--batch must be 1…4096, got \(bad).")
            }
            guard repeats >= 1, minTime > 0 else { throw ValidationError("--repeats must be ≥ 1 and --min-time > 0.") }
        }

        func run() throws {
            common.apply()
            var settings = BenchmarkSettings()
            settings.repeats = repeats
            settings.minRepeatSeconds = minTime
            settings.threads = common.threadCount
            settings.seed = common.seed
            settings.environment = env
            settings.boardSize = size
            if let blocks { settings.blocks = blocks }
            if let filters { settings.filters = filters }
            if !batch.isEmpty { settings.batches = batch }
            let workloads = Workload.named(workload)!
            #if DEBUG
            printError("warning: this is a debug build; timings are 10–100× slower than `swift build -c release`.")
            #endif
            let peak = workloads.contains(where: \.reportsFlops) ? measureGemmPeak(settings) : 0
            if !json {
                let peakNote = peak > 0 ? "; sgemm 1024³ peak this run: \(String(format: "%.1f", peak)) GFLOP/s" : ""
                emit("Dojo bench — OpenBLAS \(BLAS.coreName) kernels, threads \(settings.threads)\(peakNote)")
                emit("| workload | variant | batch | median | min | max | unit | GFLOP/s | of peak |")
                emit("|---|---|---|---|---|---|---|---|---|")
            }
            for w in workloads {
                for var row in try w.run(settings) {
                    if let g = row.gflops, peak > 0 { row.peakFraction = g / peak }
                    emit(json ? row.jsonLine : tableRow(row))
                }
            }
            if common.verbose {
                for line in SplitCalibration.shared.report { printError("measured on this CPU: \(line)") }
            }
        }

        func tableRow(_ r: BenchmarkResult) -> String {
            func f(_ v: Double) -> String { String(format: v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v) }
            let g = r.gflops.map { f($0) } ?? "–"
            let p = r.peakFraction.map { String(format: "%.0f%%", $0 * 100) } ?? "–"
            return "| \(r.workload) | \(r.variant ?? "") | \(r.batch) | \(f(r.median)) | \(f(r.min)) | \(f(r.max)) | \(r.unit) | \(g) | \(p) |"
        }
    }
}
