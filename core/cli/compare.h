// lunette --compare: one script under several collector settings, side by side.
//
//   lunette --compare "incremental pause=100" "generational" [--shim=NAME] script.lua [args]
//
// A setting is a collector mode (incremental, generational, luajit) followed by parameters as
// name=value (pause, stepmul, stepsize, minormul, majormul). The script runs once per setting,
// each time in a fresh Lua state with its output captured (not shown), and the command prints
// a table: status, peak and final heap, cycles, steps, longest and 99th-percentile collector
// step, time in the collector, run time, instructions; the best of each column is starred.
// A script whose output depends on the setting (finalizers, weak tables) is flagged, since its
// behaviour, not only its cost, changes with the collector.
#pragma once

namespace lunette::cli {

// argv[first] is the first setting. Returns the process exit status (0, or 1 on bad usage or
// when a run failed).
int runCompare(int argc, char** argv, int first);

}  // namespace lunette::cli
