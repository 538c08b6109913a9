// The cluster launch files in deploy/ (issue 22 §3, docs/distributed.md) are checked as far as
// this machine can: the MPIJob manifest is parsed (its launcher runs mpirun over as many ranks
// as there are worker slots, the learner's run folder is on a volume the workers mount), and the
// dojo command lines of both the manifest and the Slurm script pass every one of dojo's checks
// up to joining an MPI job — which, started outside one, is the usage sentence and exit 64.
import Foundation
import TestSupport
import XCTest

final class DeployFilesTests: XCTestCase, RunsDojo {
    let root = ExternalProcess.repositoryRoot.appendingPathComponent("deploy")

    func testMPIJobManifestLaunchesALearnerAndActors() throws {
        let manifest = root.appendingPathComponent("kubernetes/alphazero-go9-mpijob.yaml").path
        let parsed = try ExternalProcess.python("""
        import json, sys, yaml
        job = yaml.safe_load(open(sys.argv[1]))
        specs = job["spec"]["mpiReplicaSpecs"]
        launcher = specs["Launcher"]["template"]["spec"]["containers"][0]
        worker = specs["Worker"]["template"]["spec"]
        print(json.dumps({"api": job["apiVersion"], "kind": job["kind"], "launchers": specs["Launcher"]["replicas"],
                          "workers": specs["Worker"]["replicas"], "slots": job["spec"]["slotsPerWorker"],
                          "command": launcher["command"] + launcher["args"],
                          "mounts": [m["mountPath"] for c in worker["containers"] for m in c.get("volumeMounts", [])]}))
        """, [manifest], requires: "yaml")
        XCTAssertEqual(parsed.status, 0, parsed.stderr)
        struct Job: Decodable { let api, kind: String; let launchers, workers, slots: Int; let command, mounts: [String] }
        let job = try JSONDecoder().decode(Job.self, from: Data(parsed.stdout.utf8))
        XCTAssertEqual(job.api, "kubeflow.org/v2beta1")
        XCTAssertEqual(job.kind, "MPIJob")
        XCTAssertEqual(job.launchers, 1)
        XCTAssertEqual(job.command.first, "mpirun")
        let np = try XCTUnwrap(job.command.firstIndex(of: "-np"))
        XCTAssertEqual(Int(job.command[np + 1]), job.workers * job.slots, "one rank per worker slot")
        XCTAssertGreaterThanOrEqual(job.workers * job.slots, 2, "a learner and at least one actor")
        let dojoAt = try XCTUnwrap(job.command.firstIndex(of: "dojo"))
        var arguments = Array(job.command[(dojoAt + 1)...])
        XCTAssertEqual(Array(arguments.prefix(3)), ["train", "alphazero", "--distributed"])
        let runDir = try XCTUnwrap(arguments.firstIndex(of: "--run-dir"))
        XCTAssertTrue(job.mounts.contains(arguments[runDir + 1]), "the run folder is on a mounted volume: \(job.mounts)")
        let dir = try TemporaryDirectory(prefix: "dojo-deploy")
        defer { dir.remove() }
        arguments[runDir + 1] = dir.url.path
        try expectCheckedUpToMPI(arguments)
    }

    func testSlurmScriptStartsDojoUnderSrun() throws {
        let script = root.appendingPathComponent("slurm/alphazero-go9.sbatch").path
        let dir = try TemporaryDirectory(prefix: "dojo-slurm")
        defer { dir.remove() }
        // A stand-in srun that records its arguments and runs the command it was given, with
        // the real dojo on PATH.
        let bin = dir.path("bin")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try "#!/bin/sh\necho \"$@\" > \(dir.path("srun-arguments"))\nshift\nexec \"$@\"\n".write(toFile: "\(bin)/srun", atomically: true, encoding: .utf8)
        chmod("\(bin)/srun", 0o755)
        try FileManager.default.createSymbolicLink(atPath: "\(bin)/dojo", withDestinationPath: try dojo.path)
        let path = "\(bin):" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        for resume in [nil, dir.path("no-such-run")] {
            let r = try ExternalProcess.run("/bin/bash", [script], environment: ["PATH": path, "DOJO_RUNS": dir.path("runs"), "DOJO_RESUME": resume,
                                                                                "SLURM_CPUS_PER_TASK": "2", "OMPI_COMM_WORLD_SIZE": nil, "PMIX_RANK": nil])
            XCTAssertEqual(r.status, 64, r.stderr)
            XCTAssertTrue(r.stderr.contains("--distributed runs inside an MPI job"), "the command line passed dojo's checks: \(r.stderr)")
            let recorded = try String(contentsOfFile: dir.path("srun-arguments"), encoding: .utf8)
            XCTAssertTrue(recorded.hasPrefix("--mpi=pmix dojo train alphazero --distributed "), recorded)
            XCTAssertTrue(recorded.contains(resume.map { "--resume \($0)" } ?? "--env go:9 --preset small --run-dir \(dir.path("runs"))"), recorded)
            XCTAssertTrue(recorded.hasSuffix("--threads 2\n"), recorded)
        }
        let header = try String(contentsOfFile: script, encoding: .utf8)
        let nodes = header.firstMatch(of: /#SBATCH --nodes=(\d+)/).flatMap { Int($0.1) } ?? 0
        let tasks = header.firstMatch(of: /#SBATCH --ntasks-per-node=(\d+)/).flatMap { Int($0.1) } ?? 0
        XCTAssertGreaterThanOrEqual(nodes * tasks, 2, "a learner and at least one actor")
    }

    /// `arguments` pass dojo's parser and checks and stop only at joining the MPI job.
    func expectCheckedUpToMPI(_ arguments: [String]) throws {
        let r = try run(arguments, environment: ["OMPI_COMM_WORLD_SIZE": nil, "PMIX_RANK": nil])
        XCTAssertEqual(r.status, 64, r.stderr)
        XCTAssertTrue(r.stderr.contains("--distributed runs inside an MPI job"), r.stderr)
    }
}
