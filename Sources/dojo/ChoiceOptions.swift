// Options that take one of a few names are enums the parser checks, so a wrong name is a usage
// error listing the choices (and --help lists them).
import Arena
import ArgumentParser

extension TournamentFormat: ExpressibleByArgument {}

/// How finished Go games are scored (Arena/GoScorer.swift): auto is GNU Go when installed, else tt.
enum ScorerName: String, ExpressibleByArgument, CaseIterable { case auto, gnugo, tt }
