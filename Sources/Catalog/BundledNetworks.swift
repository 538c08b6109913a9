// Networks shipped with Dojo, played by name: `az:go9` is AlphaZero's best 9×9 network so far
// (its training and match record in docs/results/go.md), options as alphazero:'s
// (`az:go9,seconds=1`). The files are the Catalog's resources (Sources/Catalog/Networks/),
// which the build copies beside the dojo binary (Dojo_Catalog.resources/); DOJO_NETWORKS names
// another folder holding them. Found by hand rather than through Bundle.module, whose accessor
// stops the program when the folder is missing — here that is a sentence.
import Foundation

public enum BundledNetworks {
    /// Name → file in the networks folder.
    public static let files = ["go9": "alphazero-go9.safetensors"]

    /// The spec with a bundled network's name replaced by its file (`az:go9,seconds=1` →
    /// `alphazero:checkpoint=…/alphazero-go9.safetensors,seconds=1`); other specs unchanged.
    public static func expand(_ spec: String) throws -> String {
        guard spec.hasPrefix("az:") else { return spec }
        let rest = spec.dropFirst(3)
        let name = String(rest.prefix { $0 != "," })
        return "alphazero:checkpoint=\(try bundled(name, otherwise: "play a file with alphazero:checkpoint=FILE"))" + rest.dropFirst(name.count)
    }

    /// The file a network argument names: `az:NAME` a bundled network's, anything else as given.
    public static func file(_ argument: String) throws -> String {
        guard argument.hasPrefix("az:") else { return argument }
        return try bundled(String(argument.dropFirst(3)), otherwise: "give a checkpoint's path")
    }

    private static func bundled(_ name: String, otherwise: String) throws -> String {
        guard let file = files[name] else {
            throw CatalogError("no bundled network '\(name)'; Dojo ships \(files.keys.sorted().map { "az:\($0)" }.joined(separator: ", ")) (or \(otherwise))")
        }
        return try path(of: file)
    }

    /// Where a bundled file is: DOJO_NETWORKS, else the resources beside the running binary.
    static func path(of file: String) throws -> String {
        var folders: [String] = []
        if let custom = ProcessInfo.processInfo.environment["DOJO_NETWORKS"] { folders.append(custom) }
        if let binary = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent() {
            folders.append(binary.appendingPathComponent("Dojo_Catalog.resources/Networks").path)
        }
        for folder in folders {
            let candidate = (folder as NSString).appendingPathComponent(file)
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        throw CatalogError("the bundled network \(file) is not in \(folders.joined(separator: " or ")); keep the dojo binary beside its Dojo_Catalog.resources folder (as the build leaves it) or set DOJO_NETWORKS to a folder holding the file")
    }
}
