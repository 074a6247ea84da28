// Shared by the tests/wasm suites: paths, the native binary, and running a script the way
// tests/lua/difftest.sh does (from the script's directory, by base name, with its `-- args:` and
// `-- stdin:` directives).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const luaDir = path.join(repo, 'tests/lua');
export const runMjs = path.join(repo, 'wasm/run.mjs');
export const nativeBinary = process.env.LUNETTE_NATIVE ?? path.join(repo, 'build/lunette');
export const lua54 = process.env.LUA54 ?? '/usr/bin/lua5.4';

export function nativeAvailable() {
  return existsSync(nativeBinary);
}

// The script's directives: { args: [...], stdin: absolute path or null }.
export function directives(script) {
  const head = readFileSync(script, 'utf8').split('\n').slice(0, 5);
  const found = { args: [], stdin: null };
  for (const line of head) {
    const args = /^-- args: *(.*)$/.exec(line);
    if (args) found.args = args[1].split(/\s+/).filter((word) => word !== '');
    const stdin = /^-- stdin: *(.*\S)\s*$/.exec(line);
    if (stdin) found.stdin = path.join(path.dirname(script), stdin[1]);
  }
  return found;
}

// Runs `command [...prefix, basename, ...args]` from the script's directory; resolves to
// {status, stdout, stderr} (status: the exit code, or "signal X" / "timeout").
export function runScript(command, prefix, script, { timeoutMs = 60000 } = {}) {
  const { args, stdin } = directives(script);
  return new Promise((resolve) => {
    const child = spawn(command, [...prefix, path.basename(script), ...args], {
      cwd: path.dirname(script),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out = [];
    const err = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    child.stdin.on('error', () => {});  // the script may exit without reading its input
    child.stdin.end(stdin ? readFileSync(stdin) : Buffer.alloc(0));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      let status = code;
      if (timedOut) status = 'timeout';
      else if (code === null) status = `signal ${signal}`;
      resolve({ status, stdout: Buffer.concat(out), stderr: Buffer.concat(err) });
    });
  });
}

export function runNative(script, options) {
  return runScript(nativeBinary, [], script, options);
}

export function runWasm(script, options) {
  return runScript(process.execPath, [runMjs], script, options);
}

export function runReference(script, options) {
  return runScript(lua54, [], script, options);
}
