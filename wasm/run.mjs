#!/usr/bin/env node
// Runs a Lua script through the WebAssembly module the way the native `lunette` command does:
//   node wasm/run.mjs [--gc=incremental|generational|luajit] [--shim=ngx|skynet]
//                     [--memory-limit=BYTES] script.lua [args]
// stdout and stderr as natively ("lunette: message" and a traceback on an uncaught error),
// exit status 0, 1 on an error, or os.exit's code; the global `arg` table and the main
// chunk's varargs; standard input; the collector in generational mode unless --gc says
// otherwise (the reference's standalone interpreter starts that way); finalizers run at the end
// (the state is closed) except after os.exit without `close`, as natively; no heap limit unless
// --memory-limit gives one, as natively (a Session otherwise keeps the page's default limit,
// whose emergency full collections a benchmark on a 200 MB heap would measure instead of the
// collector's steps).
//
// The module has no access to the disk: the current directory is mirrored into its in-memory
// file system first (see node-host.mjs; a file's bytes are read when the script first opens
// it), so scripts can read files beside them; what they write is not written back. io.popen and os.execute are unavailable in WebAssembly.
import { readFileSync } from 'node:fs';
import v8 from 'node:v8';

import { ModuleMissingError, loadLunette, writeAll } from './node-host.mjs';

const kSliceBudget = 20_000_000;  // instructions between output flushes

// V8's optimising wasm compiler without loop unrolling: the interpreter's dispatch function is
// compiled by TurboFan in the background while the script starts in baseline (Liftoff) code,
// and unrolling its small inner loops made that compile ~40% longer (944 -> 576 ms under load,
// --trace-wasm-compilation-times) and the code 12% larger, for no speed the benchmarks show
// (whole process 4-15% faster without it). Set before the module is compiled.
v8.setFlagsFromString('--no-wasm-loop-unrolling');
// Each function's code is validated when it is first compiled (at its first call) instead of the
// whole module's at WebAssembly.compile: most of the module (the compiler's error paths, the
// inspector, the libraries a script does not use) never runs in a given process, and its
// validation was start-up work on every run (callgrind, --single-threaded, print("ready"):
// 744.8M -> 729.5M instructions). The module is ours and checked at its link; a damaged one
// still fails, at the first call of a damaged function.
v8.setFlagsFromString('--wasm-lazy-validation');

function usage() {
  process.stderr.write('usage: node wasm/run.mjs [--gc=MODE] [--shim=NAME] [--memory-limit=BYTES] script.lua [args]\n');
  process.exit(1);
}

// The source as bytes, with a first line starting with '#' (a shebang) blanked as natively.
function readScript(name) {
  let bytes;
  try {
    bytes = readFileSync(name);
  } catch {
    process.stderr.write(`lunette: cannot open ${name}\n`);
    process.exit(1);
  }
  if (bytes.length > 0 && bytes[0] === 0x23) {
    const eol = bytes.indexOf(0x0a);
    bytes = eol < 0 ? Buffer.alloc(0) : bytes.subarray(eol);
  }
  return bytes;
}

function flush(session) {
  const { stdout, stderr } = session.drainOutput();
  if (stdout.length) writeAll(1, stdout);
  if (stderr.length) writeAll(2, stderr);
}

// Runs the state's finalizers (as the native command's exit does) and exits with `code`. The
// state's objects are not freed one by one first: the process's exit frees the memory whole
// (Session::closeForExit: string_build spent 33-37 ms freeing its heap after its last line).
function finish(session, code) {
  session.closeForExit();
  flush(session);
  process.exit(code);
}

async function main() {
  const argv = process.argv.slice(2);
  let gcMode = 'generational';
  let shim = '';
  let memoryLimit = 0;  // none
  while (argv.length && /^--(gc|shim|memory-limit)=/.test(argv[0])) {
    const option = argv.shift();
    if (option.startsWith('--gc=')) gcMode = option.slice(5);
    else if (option.startsWith('--shim=')) shim = option.slice(7);
    else memoryLimit = Number(option.slice(15)) || 0;
  }
  const [script, ...args] = argv;
  if (!script) usage();
  const source = readScript(script);
  let module;
  try {
    module = await loadLunette({ stdin: 'fd0', mirror: process.cwd(), env: process.env });
  } catch (error) {
    if (!(error instanceof ModuleMissingError)) throw error;
    process.stderr.write(`run.mjs: ${error.message}\n`);
    process.exit(2);
  }
  const session = new module.Session();
  session.setMemoryLimit(memoryLimit);
  const gc = session.setGc(gcMode, {});
  if (!gc.ok) {
    process.stderr.write(`lunette: ${gc.error}\n`);
    process.exit(1);
  }
  const refused = session.setShim(shim);
  if (refused) {
    process.stderr.write(`lunette: ${refused}\n`);
    process.exit(1);
  }
  session.setArgs(script, args);
  const loaded = session.load(source, `@${script}`);
  if (!loaded.ok) {
    process.stderr.write(`lunette: ${loaded.message}\n`);
    finish(session, 1);
  }
  for (;;) {
    const result = session.run(kSliceBudget);
    flush(session);
    if (result.status === 'paused') continue;
    if (result.status === 'finished') finish(session, 0);
    if (result.status === 'exit') {
      // os.exit(code, true) has already closed the state; without `close` nothing more runs.
      process.exit(result.exitCode & 0xff);
    }
    const { message, traceback } = result.error ?? { message: 'unknown failure', traceback: '' };
    process.stderr.write(`lunette: ${message}\n${traceback}\n`);
    finish(session, 1);
  }
}

main().catch((error) => {
  process.stderr.write(`run.mjs: the module failed: ${error?.stack ?? error}\n`);
  process.exit(70);
});
