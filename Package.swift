// swift-tools-version: 6.0
// Dojo: a reinforcement-learning agent suite. Module floors (DESIGN.md §1), lowest first:
// C libraries → Tensors → Neural → RL → Rendering → environments → agents (no game named) →
// game-specific agents (GoSearch, AlphaGo) → Arena → Catalog → Bench → dojo.
import Foundation
import PackageDescription

// Release builds generate code for the build machine's vector units (like `-march=native`):
// AVX2/FMA, or AVX-512 where present, roughly 10–15% faster steps (DESIGN.md §5). The binary
// then needs a CPU at least as capable as the one that built it; set DOJO_PORTABLE=1 to build a
// binary for any x86-64. OpenBLAS picks its own kernels at run time either way.
func nativeCodeSettings() -> [SwiftSetting] {
    let environment = ProcessInfo.processInfo.environment
    guard environment["DOJO_PORTABLE"] == nil,
          let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return [] }
    let flags = Set(line.split(separator: " ").map(String.init))
    let cpu: String
    if ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl", "fma", "bmi2"].allSatisfy(flags.contains) {
        cpu = "skylake-avx512"
    } else if ["avx2", "fma", "bmi2", "movbe"].allSatisfy(flags.contains) {
        cpu = "haswell"
    } else {
        return []
    }
    return [.unsafeFlags(["-target-cpu", cpu], .when(configuration: .release))]
}

let native = nativeCodeSettings()

let package = Package(
    name: "Dojo",
    platforms: [.macOS("26.0")],   // InlineArray (MinAtar); Debian is the supported platform
    products: [
        .executable(name: "dojo", targets: ["dojo"]),
        .library(name: "Neural", targets: ["Neural"]),
        .library(name: "Tensors", targets: ["Tensors"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Floor 0: system libraries found through pkg-config.
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"]), .brew(["openblas"])]),
        .systemLibrary(name: "CSDL2", path: "Sources/CSDL2", pkgConfig: "sdl2",
                       providers: [.apt(["libsdl2-dev"]), .brew(["sdl2"])]),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng16",
                       providers: [.apt(["libpng-dev"]), .brew(["libpng"])]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        .systemLibrary(name: "CGIF", path: "Sources/CGIF", providers: [.apt(["libgif-dev"]), .brew(["giflib"])]),
        // Inline vector helpers Swift cannot express without a libm call, and the AVX-512
        // small-matrix products (see CSIMD.h). Optimised in debug builds too: the tests run
        // their networks through these products.
        .target(name: "CSIMD", path: "Sources/CSIMD", cSettings: [.unsafeFlags(["-O2"])]),
        // Open MPI's calls, the library opened at run time (`--distributed` only; no MPI needed to build).
        .target(name: "CMPI", path: "Sources/CMPI", linkerSettings: [.linkedLibrary("dl")]),
        // Floor ½: files written atomically, read within a size limit, checked by CRC-32C.
        .target(name: "Files", path: "Sources/Files"),
        // Floor ½: the processes of an MPI job and byte messages between them.
        .target(name: "Cluster", dependencies: ["CMPI"], path: "Sources/Cluster"),
        // Floor 1: tensors, BLAS, kernels, seeded generators.
        .target(name: "Tensors", dependencies: ["CBLAS", "CSIMD"], swiftSettings: native),
        // Floor 2: layers, losses, optimizers, checkpoints.
        .target(name: "Neural", dependencies: ["Files", "Tensors"], swiftSettings: native),
        // Floor 3: the Environment protocol, wrappers, vector runner, policies.
        .target(name: "RL", dependencies: ["Tensors"], swiftSettings: native),
        // Floor 3½: a run's bookkeeping: run folders and their lock, metrics (CSV, TensorBoard),
        // config overrides and checks, learning curves read back for plots.
        .target(name: "Runs", dependencies: ["Files", "RL"], path: "Sources/Runs"),
        // Floor 4: pictures of environments: terminal, PNG/GIF files, the SDL2 window.
        .target(name: "Rendering", dependencies: ["CGIF", "CPNG", "CSDL2", "Files", "RL", "Runs", "Tensors"]),
        // Floor 5: environment families.
        .target(name: "MinAtar", dependencies: ["RL"], path: "Environments/MinAtar", swiftSettings: native),
        .target(name: "GridWorld", dependencies: ["RL", "Tensors"], path: "Environments/GridWorld"),
        .target(name: "Go", dependencies: ["Files", "Rendering", "RL", "Tensors"], path: "Environments/Go", swiftSettings: native),
        .target(name: "BoardGames", dependencies: ["RL"], path: "Environments/BoardGames"),
        // Floor 6: agents that know no game.
        .target(name: "DQN", dependencies: ["Neural", "RL", "Runs", "Tensors"], path: "Agents/DQN", swiftSettings: native),
        .target(name: "PPO", dependencies: ["Neural", "RL", "Runs", "Tensors"], path: "Agents/PPO", swiftSettings: native),
        .target(name: "R2D2", dependencies: ["DQN", "Neural", "RL", "Runs", "Tensors"], path: "Agents/R2D2", swiftSettings: native),
        .target(name: "Baselines", dependencies: ["Neural", "RL", "Runs", "Tensors"], path: "Agents/Baselines"),
        .target(name: "MCTS", dependencies: ["Neural", "RL", "Runs", "Tensors"], path: "Agents/MCTS", swiftSettings: native),
        .target(name: "AlphaZero", dependencies: ["Files", "MCTS", "Neural", "RL", "Runs", "Tensors"], path: "Agents/AlphaZero", swiftSettings: native),
        // Floor 6½: Go's side of search and self-play: playouts as evaluators, the Go player (clock, tree
        // reuse, analysis), Leela Zero's weight files and input planes, AlphaZero's Go presets
        // and evaluation players. Game meets agent here (and in the catalog), nowhere below.
        .target(name: "GoSearch", dependencies: ["AlphaZero", "CZlib", "Go", "MCTS", "Neural", "RL", "Tensors"], path: "Agents/GoSearch", swiftSettings: native),
        .target(name: "AlphaGo", dependencies: ["Files", "Go", "GoSearch", "MCTS", "Neural", "RL", "Runs", "Tensors"], path: "Agents/AlphaGo", swiftSettings: native),
        // Floor 7: matches, tournaments, ratings and their results store; outside engines.
        .target(name: "Arena", dependencies: ["CSQLite", "Files", "Go", "RL", "Tensors"]),
        // Floor 8: the registry of environment ids and agent specs, where agents meet games.
        // Networks/: the networks Dojo ships (`az:go9`), copied beside the binary by the build.
        .target(name: "Catalog", dependencies: ["AlphaGo", "AlphaZero", "Arena", "Baselines", "BoardGames", "DQN", "Files", "Go", "GoSearch", "GridWorld", "MCTS", "MinAtar", "PPO", "R2D2", "RL", "Runs", "Tensors"],
                resources: [.copy("Networks")]),
        // Floor 8½: benchmark workloads (`dojo bench`), kept out of the CLI so the CLI only wires.
        .target(name: "Bench", dependencies: ["AlphaGo", "Catalog", "DQN", "Go", "GoSearch", "MCTS", "Neural", "PPO", "R2D2", "RL", "Runs", "Tensors"], swiftSettings: native),
        // Floor 9: the command line.
        .executableTarget(name: "dojo", dependencies: [
            "AlphaGo", "AlphaZero", "Arena", "Baselines", "Bench", "Catalog", "Cluster", "DQN", "Files", "Go", "GoSearch", "MCTS", "MinAtar", "Neural", "PPO", "R2D2", "RL", "Rendering", "Runs", "Tensors",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Helpers the test targets share (running programs, Python interop).
        .target(name: "TestSupport", dependencies: ["Neural", "Tensors"], path: "Tests/TestSupport"),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors"]),
        .testTarget(name: "NeuralTests", dependencies: ["Neural", "Tensors", "TestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "RunsTests", dependencies: ["Files", "Rendering", "RL", "Runs", "TestSupport"]),
        .testTarget(name: "RLTests", dependencies: ["RL", "Rendering", "Tensors", "TestSupport"]),
        .testTarget(name: "MinAtarTests", dependencies: ["MinAtar", "RL"], resources: [.copy("Fixtures")]),
        .testTarget(name: "CatalogTests", dependencies: ["Arena", "Catalog", "DQN", "MinAtar", "RL", "Runs"]),
        .testTarget(name: "GridWorldTests", dependencies: ["GridWorld", "RL", "Tensors", "TestSupport"]),
        .testTarget(name: "BoardGamesTests", dependencies: ["BoardGames", "RL", "Rendering"]),
        .testTarget(name: "GoTests", dependencies: ["Go", "RL", "Tensors", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "RenderingTests", dependencies: ["Rendering", "RL"]),
        .testTarget(name: "ArenaTests", dependencies: ["Arena", "BoardGames", "Go", "RL", "Tensors", "TestSupport"]),
        .testTarget(name: "AlphaGoTests", dependencies: ["AlphaGo", "Go", "GoSearch", "MCTS", "Neural", "Tensors", "TestSupport"]),
        .testTarget(name: "AlphaZeroTests", dependencies: ["AlphaZero", "BoardGames", "Files", "Go", "GoSearch", "MCTS", "Neural", "RL", "Runs", "Tensors", "TestSupport"]),
        .testTarget(name: "MCTSTests", dependencies: ["BoardGames", "Go", "GoSearch", "GridWorld", "MCTS", "Neural", "RL", "Tensors", "TestSupport"]),
        .testTarget(name: "GoSearchTests", dependencies: ["Go", "GoSearch", "MCTS", "Neural", "Tensors", "TestSupport"]),
        .testTarget(name: "BaselinesTests", dependencies: ["Baselines", "GridWorld", "RL"]),
        .testTarget(name: "PPOTests", dependencies: ["GridWorld", "MinAtar", "Neural", "PPO", "RL", "Runs", "Tensors", "TestSupport"]),
        .testTarget(name: "DQNTests", dependencies: ["DQN", "GridWorld", "MinAtar", "Neural", "RL", "Runs", "Tensors", "TestSupport"]),
        .testTarget(name: "R2D2Tests", dependencies: ["DQN", "GridWorld", "MinAtar", "Neural", "R2D2", "RL", "Runs", "Tensors", "TestSupport"]),
        .testTarget(name: "DojoTests", dependencies: ["Arena", "dojo", "Files", "Go", "Neural", "RL", "Runs", "Tensors", "TestSupport"]),
    ]
)
