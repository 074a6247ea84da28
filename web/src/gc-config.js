// gc-config.js - the collector modes the playground offers and their parameters.
//
// One table drives the GC controls, the defaults, share-link validation and the worker payload,
// so a parameter is named in exactly one place. Parameter names follow web/src/PROTOCOL.md.
// Invariant: normalizeGc() always returns a known mode with every parameter of that mode set to
// an integer inside its range.

export const GC_MODES = {
  incremental: {
    label: 'Incremental (Lua 5.4)',
    params: {
      pause: { def: 200, min: 0, max: 1000, step: 10, unit: '%',
        help: 'Wait until the heap grows by this percentage of the live size before a new cycle' },
      stepmul: { def: 100, min: 0, max: 1000, step: 10, unit: '%',
        help: 'How much work each step does relative to the bytes allocated' },
      stepsize: { def: 13, min: 0, max: 30, step: 1, unit: 'log2 B',
        help: 'Bytes allocated between steps, as a power of two (13 = 8 KB)' },
    },
  },
  generational: {
    label: 'Generational (Lua 5.4)',
    params: {
      minormul: { def: 20, min: 0, max: 100, step: 1, unit: '%',
        help: 'A minor collection runs when the heap grows this much past the last major' },
      majormul: { def: 100, min: 0, max: 1000, step: 10, unit: '%',
        help: 'A major collection runs when the old generation grows this much' },
    },
  },
  luajit: {
    label: 'LuaJIT 2.1 pacing',
    params: {
      pause: { def: 200, min: 0, max: 1000, step: 10, unit: '%',
        help: 'Threshold for the next cycle as a percentage of the estimate after the last one' },
      stepmul: { def: 200, min: 0, max: 1000, step: 10, unit: '%',
        help: 'Work per GCSTEPSIZE (1024 bytes) of allocation debt' },
    },
  },
};

export const DEFAULT_MODE = 'incremental';

export function defaultParams(mode) {
  const out = {};
  for (const [name, spec] of Object.entries(GC_MODES[mode].params)) out[name] = spec.def;
  return out;
}

// Defaults for every mode: switching modes back and forth keeps what the user typed per mode.
export function defaultParamsByMode() {
  const out = {};
  for (const mode of Object.keys(GC_MODES)) out[mode] = defaultParams(mode);
  return out;
}

export function clampParam(mode, name, value) {
  const spec = GC_MODES[mode].params[name];
  const n = Math.round(Number(value));
  if (!Number.isFinite(n)) return spec.def;
  return Math.min(spec.max, Math.max(spec.min, n));
}

// Accepts anything (user input, a share link, localStorage) and returns {mode, params} that is
// safe to use. `strict` reports problems instead of repairing them (for share links).
export function normalizeGc(input, { strict = false } = {}) {
  const problem = (why) => {
    if (strict) throw new Error(why);
  };
  let mode = input && typeof input.mode === 'string' ? input.mode : undefined;
  if (!Object.hasOwn(GC_MODES, mode ?? '')) {
    problem(`unknown collector mode ${JSON.stringify(mode)}`);
    mode = DEFAULT_MODE;
  }
  const given = input && typeof input.params === 'object' && input.params ? input.params : {};
  const params = {};
  for (const [name, spec] of Object.entries(GC_MODES[mode].params)) {
    const v = given[name];
    if (v === undefined) {
      params[name] = spec.def;
    } else if (typeof v !== 'number' || !Number.isInteger(v) || v < spec.min || v > spec.max) {
      problem(`parameter ${name} out of range`);
      params[name] = clampParam(mode, name, v);
    } else {
      params[name] = v;
    }
  }
  return { mode, params };
}
