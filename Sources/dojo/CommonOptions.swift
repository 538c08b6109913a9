// Options every subcommand shares, in one place (`@OptionGroup var common: CommonOptions`).
import ArgumentParser
import Tensors

struct CommonOptions: ParsableArguments {
    @Option(name: .customLong("seed"), help: "Seed of the run's one random generator (same seed, build and threads ⇒ same results; default 0).")
    var givenSeed: UInt64?

    /// The seed in effect (0 unless --seed is given).
    var seed: UInt64 { givenSeed ?? 0 }

    @Option(help: "Worker threads (default 1; train alphazero: one self-play worker per core): layers split each batch across them, each calling single-threaded BLAS (faster than threaded BLAS for RL-sized matrices). Same seed and threads ⇒ same results.")
    var threads: Int?

    /// The thread count in effect once `apply` has run.
    var threadCount: Int { Parallel.threads }

    @Flag(name: .shortAndLong, help: "Report setup details (OpenBLAS kernels, threads) on standard error.")
    var verbose = false

    func validate() throws {
        if let threads, !(1...256).contains(threads) {
            throw ValidationError("--threads must be between 1 and 256, got \(threads).")
        }
    }

    /// Applies the options to the process: worker threads (`defaultThreads` unless --threads
    /// is given; BLAS stays single-threaded), and the verbose report.
    func apply(defaultThreads: Int = 1) {
        Parallel.threads = threads ?? defaultThreads
        BLAS.threads = 1
        if verbose { printError(OpenBLASKernels.report()) }
    }
}
