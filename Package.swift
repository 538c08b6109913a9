// swift-tools-version: 6.0
// Dojo: a reinforcement-learning agent suite. Module floors (DESIGN.md §1), lowest first:
// CBLAS/CSDL2 → Tensors → Neural → (RL → Rendering → environments → agents → Arena) → Bench → dojo.
import PackageDescription

let package = Package(
    name: "Dojo",
    platforms: [.macOS(.v13)],
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
        // Floor 1: tensors, BLAS, kernels, seeded generators.
        .target(name: "Tensors", dependencies: ["CBLAS"]),
        // Floor 2: layers, losses, optimizers, checkpoints.
        .target(name: "Neural", dependencies: ["Tensors"]),
        // Benchmark workloads (`dojo bench`), kept out of the CLI so the CLI only wires.
        .target(name: "Bench", dependencies: ["Neural", "Tensors"]),
        // Floor 8: the command line.
        .executableTarget(name: "dojo", dependencies: [
            "Bench", "Neural", "Tensors",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors"]),
        .testTarget(name: "NeuralTests", dependencies: ["Neural", "Tensors"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "DojoTests", dependencies: ["dojo", "Neural", "Tensors"]),
    ]
)
