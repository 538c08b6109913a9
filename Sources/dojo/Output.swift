// Unbuffered line output: progress and results appear as they are made, even through a pipe.
//
// SIGPIPE is ignored for the whole process (main.swift), so that an outside engine that dies
// while Dojo writes to it is an error Dojo reports, not a silent death. Standard output closed
// by its reader (`dojo envs | head -1`) then ends the program quietly with the status a
// SIGPIPE would have given (141): nobody is left to read a message.
import Foundation

func emit(_ line: String) {
    writeStandardOutput(line + "\n")
}

func writeStandardOutput(_ text: String) {
    do { try FileHandle.standardOutput.write(contentsOf: Data(text.utf8)) } catch { exit(141) }
}

func printError(_ line: String) {
    try? FileHandle.standardError.write(contentsOf: Data((line + "\n").utf8))
}
