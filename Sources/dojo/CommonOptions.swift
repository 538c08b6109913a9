// Options every subcommand shares, in one place (`@OptionGroup var common: CommonOptions`).
import ArgumentParser
import Tensors

struct CommonOptions: ParsableArguments {
    @Option(help: "Seed of the run's one random generator (same seed, build and threads ⇒ same results).")
    var seed: UInt64 = 0

    @Option(help: "OpenBLAS threads (1 is fastest for RL-sized networks on this kind of machine).")
    var threads: Int = 1

    @Flag(name: .shortAndLong, help: "Report setup details (OpenBLAS kernels, threads) on standard error.")
    var verbose = false

    func validate() throws {
        guard (1...256).contains(threads) else {
            throw ValidationError("--threads must be between 1 and 256, got \(threads).")
        }
    }

    /// Applies the options to the process: BLAS threads, and the verbose report.
    func apply() {
        BLAS.threads = threads
        if verbose { printError(OpenBLASKernels.report()) }
    }
}
