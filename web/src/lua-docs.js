// lua-docs.js - what the editor knows about Lua 5.4's standard library and the `lunette`
// module: every function with its parameters, what it returns and a one-line summary (written
// for Lunette from the meaning of the reference manual, not copied from it), the option strings
// some functions take, and the fields of the tables `lunette` functions return.
//
// Plain data, no Monaco: lua-language.js turns it into completions, signature help and hovers,
// and the page unit tests read it directly.
//
// Notation. A function is [name, params, returns, summary, extra?]. `params` is the text of
// its parameter list: names separated by ', ', a trailing '?' marks an optional one and '...'
// any number more. `returns` is a short description of the results ('' for none). `extra` may
// give `options` (the strings an argument accepts, with `optionArg` the argument's index) or
// `record` (the name of a RECORDS entry describing the returned table, or `recordList` for a
// list of such tables). Values (math.pi, _VERSION...) are [name, null, type, summary].

const BASE = [
  ['assert', 'v, message?', 'v, ...', 'Gives back all its arguments when v is neither nil nor false; otherwise raises message as an error ("assertion failed!" by default).'],
  ['collectgarbage', 'opt?, ...', 'depends on opt', 'Talks to the garbage collector: collect, stop or restart it, read the heap size, run a step, or switch its mode and tuning. See the options.', { optionArg: 0, options: 'collectgarbage' }],
  ['dofile', 'filename?', '...', 'Loads and runs a Lua file (standard input without a name) and returns what its chunk returns; errors propagate.'],
  ['error', 'message, level?', '', 'Raises message as an error value. With a string message, level 1 (default) prefixes the position of the caller of error, 2 of its caller, 0 none.'],
  ['getmetatable', 'object', 'table | nil', "Returns the object's metatable, or its __metatable field when that field is set; nil without a metatable."],
  ['ipairs', 't', 'function, t, 0', 'Iterator for `for i, v in ipairs(t)`: visits t[1], t[2], ... and stops at the first nil.'],
  ['load', 'chunk, chunkname?, mode?, env?', 'function | nil, message', 'Compiles chunk (a string, or a function returning its pieces) into a function without running it; on a syntax error returns nil and the message.', { optionArg: 2, options: 'loadMode' }],
  ['loadfile', 'filename?, mode?, env?', 'function | nil, message', 'Like load, but reads the chunk from a file (standard input without a name).', { optionArg: 1, options: 'loadMode' }],
  ['next', 't, key?', 'key, value | nil', 'Returns the key after key in t and its value (the first pair for nil key), or nil at the end. The order is unspecified.'],
  ['pairs', 't', 'function, t, nil', 'Iterator for `for k, v in pairs(t)` over every pair of t; uses the __pairs metamethod when there is one.'],
  ['pcall', 'f, ...', 'boolean, ...', 'Calls f with the arguments in protected mode: returns true and its results, or false and the error value instead of propagating it.'],
  ['print', '...', '', 'Writes each argument converted with tostring to standard output, separated by tabs and followed by a newline.'],
  ['rawequal', 'v1, v2', 'boolean', 'Tells whether v1 and v2 are primitively equal, without calling __eq.'],
  ['rawget', 't, key', 'value', 'Reads t[key] without invoking __index.'],
  ['rawlen', 'v', 'integer', 'Length of a table or string, without invoking __len.'],
  ['rawset', 't, key, value', 't', 'Writes t[key] = value without invoking __newindex; returns t.'],
  ['require', 'modname', 'module, loaderdata', 'Loads a module once and returns it (cached in package.loaded). `require "lunette"` gives the inspector module.'],
  ['select', 'index, ...', '...', 'With a number, returns the arguments from that position on (negative counts from the end); with "#", how many arguments follow.'],
  ['setmetatable', 't, metatable', 't', "Sets (or with nil, removes) the metatable of table t and returns t; refused when the current one has a __metatable field."],
  ['tonumber', 'e, base?', 'number | nil', 'Converts a string (or number) to a number, nil when it cannot; with base (2..36) the string is an integer numeral in that base.'],
  ['tostring', 'v', 'string', 'Converts any value to a readable string; __tostring and __name are honoured.'],
  ['type', 'v', 'string', 'The name of the basic type of v: "nil", "number", "string", "boolean", "table", "function", "thread" or "userdata".'],
  ['xpcall', 'f, msgh, ...', 'boolean, ...', 'Like pcall, but on an error calls msgh with the error first (still at the failing point, so it can take a traceback) and returns its result.'],
  ['warn', 'msg1, ...', '', 'Emits a warning made of the concatenated strings (to standard error). "@on" and "@off" switch warnings on and off.'],
  ['_G', null, 'table', 'The global environment table: every global variable is a field of it.'],
  ['_VERSION', null, 'string', 'The running Lua version as a string: "Lua 5.4".'],
];

const COROUTINE = [
  ['close', 'co', 'boolean, error?', 'Closes a suspended or dead coroutine: its pending to-be-closed variables are closed and it becomes dead. Returns false and the error if one happened.'],
  ['create', 'f', 'thread', 'Makes a new coroutine whose body is f; it starts suspended and runs on the first resume.'],
  ['isyieldable', 'co?', 'boolean', 'Tells whether co (default: the running coroutine) may yield: not the main thread, and not inside a non-yieldable native call.'],
  ['resume', 'co, ...', 'boolean, ...', 'Starts or continues coroutine co, passing the values; returns true and what it yields or returns, or false and the error.'],
  ['running', '', 'thread, boolean', 'The running coroutine, and true when it is the main thread.'],
  ['status', 'co', 'string', 'The status of co: "running", "suspended", "normal" (it resumed another) or "dead".', { returnsOptions: 'coroutineStatus' }],
  ['wrap', 'f', 'function', 'Makes a coroutine with body f and returns a function that resumes it; errors propagate to the caller instead of being returned.'],
  ['yield', '...', '...', 'Suspends the running coroutine; the values become the results of the resume that ran it, and the next resume\'s arguments become the results of yield.'],
];

const STRING = [
  ['byte', 's, i?, j?', 'integer, ...', 'The internal byte codes of s[i..j] (default: just the first character).'],
  ['char', '...', 'string', 'Builds a string from byte codes, one character per argument.'],
  ['dump', 'f, strip?', 'string', 'The binary chunk of Lua function f, which load can turn back into a function (without debug information when strip is true).'],
  ['find', 's, pattern, init?, plain?', 'start, end, captures... | nil', 'Finds the first match of pattern in s from position init; returns where it starts and ends plus its captures. plain = true searches for the literal text.', { patterns: true }],
  ['format', 'formatstring, ...', 'string', 'Builds a string from a printf-like template: each % directive formats the next argument. See the directives.', { optionArg: 0, options: 'format' }],
  ['gmatch', 's, pattern, init?', 'function', 'Iterator over successive matches of pattern in s: each step returns the captures (or the whole match).', { patterns: true }],
  ['gsub', 's, pattern, repl, n?', 'string, count', 'Copies s with every match of pattern (at most n) replaced by repl: a string with %1.. references, a table indexed by the capture, or a function called with the captures.', { patterns: true }],
  ['len', 's', 'integer', 'Length of s in bytes.'],
  ['lower', 's', 'string', 'Copy of s with upper-case letters made lower case.'],
  ['match', 's, pattern, init?', 'captures... | nil', 'The captures of the first match of pattern in s (the whole match when it has none), or nil.', { patterns: true }],
  ['pack', 'fmt, v1, ...', 'string', 'Serialises the values into a binary string following format fmt (see string.pack formats).', { optionArg: 0, options: 'pack' }],
  ['packsize', 'fmt', 'integer', 'The size of a string string.pack would produce with fmt (no variable-length items allowed).', { optionArg: 0, options: 'pack' }],
  ['rep', 's, n, sep?', 'string', 'n copies of s concatenated, with sep between them.'],
  ['reverse', 's', 'string', 's with its bytes in reverse order.'],
  ['sub', 's, i, j?', 'string', 'The substring from position i to j (default: the end); negative positions count from the end.'],
  ['unpack', 'fmt, s, pos?', '..., nextpos', 'Reads values packed with format fmt from s starting at pos; also returns the position after them.', { optionArg: 0, options: 'pack' }],
  ['upper', 's', 'string', 'Copy of s with lower-case letters made upper case.'],
];

const TABLE = [
  ['concat', 'list, sep?, i?, j?', 'string', 'Joins list[i..j] (strings or numbers) with sep between them.'],
  ['insert', 'list, pos?, value', '', 'Inserts value at position pos (default: at the end), shifting later elements up.'],
  ['move', 'a1, f, e, t, a2?', 'a2', 'Copies a1[f..e] into a2 (default a1) starting at index t; overlapping ranges are handled.'],
  ['pack', '...', 'table', 'A new table holding the arguments at 1..n, with n set to their count.'],
  ['remove', 'list, pos?', 'value', 'Removes and returns list[pos] (default: the last element), shifting later elements down.'],
  ['sort', 'list, comp?', '', 'Sorts list[1..#list] in place, with < or with comp(a, b) returning true when a must come first. Not stable.'],
  ['unpack', 'list, i?, j?', '...', 'Returns list[i], ..., list[j] (default: 1 to #list) as separate values.'],
];

const MATH = [
  ['abs', 'x', 'number', 'Absolute value of x.'],
  ['acos', 'x', 'number', 'Arc cosine of x, in radians.'],
  ['asin', 'x', 'number', 'Arc sine of x, in radians.'],
  ['atan', 'y, x?', 'number', 'Arc tangent of y/x in radians, using both signs to pick the quadrant (x defaults to 1).'],
  ['ceil', 'x', 'integer', 'Smallest integral value not below x.'],
  ['cos', 'x', 'number', 'Cosine of x (radians).'],
  ['deg', 'x', 'number', 'Converts x from radians to degrees.'],
  ['exp', 'x', 'number', 'e raised to the power x.'],
  ['floor', 'x', 'integer', 'Largest integral value not above x.'],
  ['fmod', 'x, y', 'number', 'Remainder of x / y rounded toward zero (integers stay integers).'],
  ['log', 'x, base?', 'number', 'Logarithm of x in base (default: e).'],
  ['max', 'x, ...', 'number', 'The largest argument, compared with <.'],
  ['min', 'x, ...', 'number', 'The smallest argument, compared with <.'],
  ['modf', 'x', 'integer part, fraction', 'Splits x into its integral part and its fractional part.'],
  ['rad', 'x', 'number', 'Converts x from degrees to radians.'],
  ['random', 'm?, n?', 'number', 'Without arguments a float in [0,1); with m an integer in [1, m]; with m, n an integer in [m, n].'],
  ['randomseed', 'x?, y?', 'x, y', 'Seeds the pseudo-random generator (with x and y, or with something unpredictable without arguments).'],
  ['sin', 'x', 'number', 'Sine of x (radians).'],
  ['sqrt', 'x', 'number', 'Square root of x.'],
  ['tan', 'x', 'number', 'Tangent of x (radians).'],
  ['tointeger', 'x', 'integer | nil', 'x as an integer when it has an exact integer value, otherwise nil.'],
  ['type', 'x', 'string | nil', '"integer" or "float" for a number, nil for anything else.'],
  ['ult', 'm, n', 'boolean', 'Whether m < n when both integers are read as unsigned.'],
  // Kept from Lua 5.2/5.3 (the reference builds them by default): use the replacements named.
  ['atan2', 'y, x', 'number', 'Deprecated: the arc tangent of y/x; math.atan(y, x) does the same.'],
  ['cosh', 'x', 'number', 'Deprecated: hyperbolic cosine of x.'],
  ['frexp', 'x', 'mantissa, exponent', 'Deprecated: splits x into m * 2^e with m in [0.5, 1).'],
  ['ldexp', 'm, e', 'number', 'Deprecated: m * 2^e; write m * 2.0^e instead.'],
  ['log10', 'x', 'number', 'Deprecated: base-10 logarithm; math.log(x, 10) does the same.'],
  ['pow', 'x, y', 'number', 'Deprecated: x raised to the power y; write x ^ y instead.'],
  ['sinh', 'x', 'number', 'Deprecated: hyperbolic sine of x.'],
  ['tanh', 'x', 'number', 'Deprecated: hyperbolic tangent of x.'],
  ['huge', null, 'float', 'Positive infinity (a float greater than any other number).'],
  ['maxinteger', null, 'integer', 'The largest integer: 2^63 - 1.'],
  ['mininteger', null, 'integer', 'The smallest integer: -2^63.'],
  ['pi', null, 'float', 'The ratio of a circle\'s circumference to its diameter.'],
];

const UTF8 = [
  ['char', '...', 'string', 'The UTF-8 encoding of the given code points, concatenated.'],
  ['charpattern', null, 'string', 'A pattern matching exactly one UTF-8 byte sequence (on valid UTF-8).'],
  ['codepoint', 's, i?, j?, lax?', 'integer, ...', 'The code points of the characters starting between byte positions i and j.'],
  ['codes', 's, lax?', 'function', 'Iterator for `for pos, code in utf8.codes(s)`: byte position and code point of each character.'],
  ['len', 's, i?, j?, lax?', 'integer | nil, pos', 'Number of UTF-8 characters starting between i and j; on invalid input nil and the position of the first bad byte.'],
  ['offset', 's, n, i?', 'integer | nil', 'Byte position where the n-th character (counting from position i) starts.'],
];

const OS = [
  ['clock', '', 'number', 'CPU time used by the program, in seconds.'],
  ['date', 'format?, time?', 'string | table', 'Formats time (default: now) with strftime-like directives; a leading "!" means UTC and "*t" returns a table of fields.', { optionArg: 0, options: 'date' }],
  ['difftime', 't2, t1', 'number', 'Seconds from time t1 to time t2.'],
  ['execute', 'command?', 'boolean | nil, "exit" | "signal", code', 'Runs a shell command (no shell in the playground). Without a command, tells whether a shell exists.'],
  ['exit', 'code?, close?', '', 'Ends the program with status code (true: success, false: failure); with close, the Lua state is closed first.'],
  ['getenv', 'varname', 'string | nil', 'The value of an environment variable, or nil.'],
  ['remove', 'filename', 'true | nil, message', 'Deletes a file (or empty directory).'],
  ['rename', 'oldname, newname', 'true | nil, message', 'Renames a file or directory.'],
  ['setlocale', 'locale?, category?', 'string | nil', 'Sets or queries the C locale ("all", "collate", "ctype", "monetary", "numeric", "time").'],
  ['time', 't?', 'integer', 'The current time as a number, or the time described by table t (year, month, day, hour?, min?, sec?, isdst?).', { record: 'dateTable' }],
  ['tmpname', '', 'string', 'A file name that can be used for a temporary file.'],
];

const IO = [
  ['close', 'file?', 'boolean', 'Closes file (default: the default output file).'],
  ['flush', '', '', 'Flushes the default output file.'],
  ['input', 'file?', 'file', 'Sets the default input file (a name or a handle) or returns the current one.'],
  ['lines', 'filename?, ...', 'function', 'Iterator over the lines of a file (default: standard input), read with the given formats; the file closes at the end.', { optionArg: 1, options: 'read' }],
  ['open', 'filename, mode?', 'file | nil, message', 'Opens a file in mode ("r" by default) and returns its handle, or nil and why it failed.', { optionArg: 1, options: 'openMode' }],
  ['output', 'file?', 'file', 'Sets the default output file (a name or a handle) or returns the current one.'],
  ['popen', 'prog, mode?', 'file | nil', 'Starts a program with a pipe to or from it (unavailable in the browser).'],
  ['read', '...', 'string | number | nil', 'Reads from the default input file, following the formats ("l" by default).', { optionArg: 0, options: 'read' }],
  ['tmpfile', '', 'file', 'A handle to a new temporary file, removed when the program ends.'],
  ['type', 'obj', '"file" | "closed file" | nil', 'Whether obj is an open file handle, a closed one, or not a file.'],
  ['write', '...', 'file', 'Writes strings or numbers to the default output file.'],
  ['stdin', null, 'file', 'Standard input: the handle io.read reads from by default.'],
  ['stdout', null, 'file', 'Standard output: what print writes to, and the console shows.'],
  ['stderr', null, 'file', 'Standard error: shown in the console apart from the output.'],
];

// Methods of a file handle: f:read(...), f:write(...).
const FILE = [
  ['close', '', 'boolean', 'Closes the file.'],
  ['flush', '', 'file', 'Writes any buffered data to the file.'],
  ['lines', '...', 'function', 'Iterator over the file\'s lines read with the given formats; the file stays open.', { optionArg: 0, options: 'read' }],
  ['read', '...', 'string | number | nil', 'Reads following the formats ("l" by default): a line, a number, n bytes or everything.', { optionArg: 0, options: 'read' }],
  ['seek', 'whence?, offset?', 'integer', 'Moves to offset bytes from "set", "cur" (default) or "end" and returns the new position.', { optionArg: 0, options: 'seek' }],
  ['setvbuf', 'mode, size?', 'boolean', 'Buffering of the file: "no", "full" or "line".', { optionArg: 0, options: 'vbuf' }],
  ['write', '...', 'file', 'Writes strings or numbers to the file; returns the file so calls can chain.'],
];

const DEBUG = [
  ['debug', '', '', 'Enters an interactive prompt (not in the playground).'],
  ['gethook', 'thread?', 'function, mask, count', 'The current hook settings.'],
  ['getinfo', 'thread?, f, what?', 'table | nil', 'Information about a function or stack level: what selects fields ("n" name, "S" source, "l" current line, "u" upvalues, "t" tail call, "f" function, "L" lines).', { record: 'debugInfo' }],
  ['getlocal', 'thread?, f, local', 'name, value', 'Name and value of local variable number local at stack level f.'],
  ['getmetatable', 'value', 'table | nil', 'The metatable of any value, ignoring __metatable.'],
  ['getregistry', '', 'table', 'The registry table.'],
  ['getupvalue', 'f, up', 'name, value', 'Name and value of upvalue number up of function f.'],
  ['getuservalue', 'u, n?', 'value, boolean', 'The n-th user value of a full userdata.'],
  ['sethook', 'thread?, hook, mask, count?', '', 'Installs a hook function called on calls ("c"), returns ("r"), new lines ("l") or every count instructions.'],
  ['setcstacklimit', 'limit', 'integer', 'Deprecated in 5.4; kept for compatibility, does nothing useful.'],
  ['setlocal', 'thread?, level, local, value', 'name | nil', 'Assigns a local variable at a stack level.'],
  ['setmetatable', 'value, table', 'value', 'Sets the metatable of any value (also of types that share one, like strings).'],
  ['setupvalue', 'f, up, value', 'name | nil', 'Assigns upvalue number up of function f.'],
  ['setuservalue', 'udata, value, n?', 'udata', 'Sets the n-th user value of a full userdata.'],
  ['traceback', 'thread?, message?, level?', 'string', 'A traceback of the call stack, after message.'],
  ['upvalueid', 'f, n', 'light userdata', 'An identity for upvalue n of f, to tell whether two closures share it.'],
  ['upvaluejoin', 'f1, n1, f2, n2', '', 'Makes upvalue n1 of f1 refer to upvalue n2 of f2.'],
];

const PACKAGE = [
  ['config', null, 'string', 'Compile-time settings of the package system (directory separator, template marks...).'],
  ['cpath', null, 'string', 'Search path for native modules (unused by Lunette).'],
  ['loaded', null, 'table', 'Modules already loaded, by name: what require returns without loading again.'],
  ['path', null, 'string', 'Search path for Lua modules, templates separated by ";" with "?" for the module name.'],
  ['preload', null, 'table', 'Loaders for modules by name, tried first by require.'],
  ['searchers', null, 'table', 'The functions require uses, in order, to find a module\'s loader.'],
  ['searchpath', 'name, path, sep?, rep?', 'string | nil, message', 'Finds the first file name in path that exists for name.'],
];

const LUNETTE = [
  ['gcinfo', '', 'table', 'The collector right now: mode, phase, heap total, threshold, debt, estimate, counters, tuning, and the heap by object type.', { record: 'gcinfo' }],
  ['gctrace', 'n?, kind?', 'table', 'The last n collector events (default 20), oldest first, optionally only one kind: "phase", "step", "cycle" or "coroutine".', { recordList: 'event', optionArg: 1, options: 'eventKind' }],
  ['coroutines', '', 'table', 'Every coroutine the registry knows, including collected ones, as records.', { recordList: 'coroutine' }],
  ['costatus', 'co', 'table | nil', 'The registry record of coroutine co (creation site, status, resumes, times).', { record: 'coroutine' }],
  ['memorylimit', 'bytes?', 'integer', 'Sets the heap limit in bytes (0: none) and returns the previous one; past it allocation fails with "not enough memory".'],
  ['why', 'value', 'table | nil', 'Why value is still alive: the shortest chain of strong references from a root to it, as a list of edges ending with the value; nil when nothing holds it.', { recordList: 'edge' }],
  ['suspects', 'seconds?', 'table', 'Coroutines that look leaked: suspended and idle for longer than seconds (default 1) yet reachable, or dead yet still referenced, each with its retention path.', { recordList: 'suspect' }],
  ['census', '', 'table', 'The live heap grouped by allocation site and object kind, largest first.', { recordList: 'censusEntry' }],
  ['clock', '', 'number', 'Seconds on the clock the collector times its steps with: for measuring your own pauses against the steps (natively, under --gc-cpu-clock, the thread\'s CPU time).'],
  ['version', null, 'string', 'The version of the lunette module.'],
];

// Tables returned by functions: field -> [type, summary].
export const RECORDS = {
  gcinfo: {
    mode: ['string', '"incremental", "generational" or "luajit"'],
    state: ['string', 'the collector phase now (pause, propagate, atomic, sweep...)'],
    total: ['integer', 'bytes the heap holds'],
    threshold: ['integer', 'heap size at which the collector next does work'],
    debt: ['integer', 'bytes allocated beyond what the collector has paid for'],
    estimate: ['integer', 'live bytes estimated at the end of the last cycle'],
    cycles: ['integer', 'completed collection cycles'],
    minors: ['integer', 'minor (young) collections in generational mode'],
    steps: ['integer', 'incremental steps taken'],
    allocated: ['integer', 'bytes allocated since the start, freed or not'],
    pause: ['integer', 'incremental pause, percent'],
    stepmul: ['integer', 'step multiplier'],
    stepsize: ['integer', 'log2 of the step size in bytes'],
    minormul: ['integer', 'generational minor multiplier'],
    majormul: ['integer', 'generational major multiplier'],
    running: ['boolean', 'false after collectgarbage("stop")'],
    memorylimit: ['integer', 'heap limit in bytes, 0 for none'],
    emergencies: ['integer', 'emergency collections made when an allocation failed'],
    bytype: ['table', '{[kind] = {count=, bytes=}} for string, table, closures, thread, userdata...'],
  },
  coroutine: {
    id: ['integer', 'registry number of the coroutine'],
    status: ['string', 'suspended, running, normal, dead or collected'],
    state: ['string', 'its last status before collection'],
    collected: ['boolean', 'whether the collector has freed it'],
    chunk: ['string', 'chunk where it was created'],
    line: ['integer', 'line where it was created'],
    site: ['string', '"chunk:line" of its creation'],
    func: ['string', 'name of the function that created it'],
    wrapped: ['boolean', 'made by coroutine.wrap'],
    resumes: ['integer', 'how many times it was resumed'],
    created_ms: ['number', 'creation time, ms since the start'],
    created_instructions: ['integer', 'instructions executed when it was created'],
    first_resume_ms: ['number', 'time of its first resume (absent if never resumed)'],
    last_resume_ms: ['number', 'time of its latest resume'],
    death_ms: ['number', 'time it finished or failed'],
    error: ['string', 'the error it died with, if any'],
    collected_ms: ['number', 'time the collector freed it'],
    collected_instructions: ['integer', 'instructions executed when the collector freed it'],
    stack_bytes: ['integer', 'bytes its stack occupies'],
  },
  suspect: {
    reason: ['string', 'why it looks leaked'],
    idle_ms: ['number', 'time since it last ran'],
    path: ['table', 'retention path: list of {text=, chunk=, line=} from a root to it'],
    id: ['integer', 'registry number (and every other coroutine record field)'],
    status: ['string', 'suspended or dead'],
    site: ['string', '"chunk:line" of its creation'],
  },
  edge: {
    text: ['string', 'how this link holds the next one (a global, a field, an upvalue...)'],
    chunk: ['string', 'chunk of the code involved, when known'],
    line: ['integer', 'line of the code involved, when known'],
  },
  censusEntry: {
    site: ['string', '"chunk:line" that allocated the objects, or "(runtime)"'],
    line: ['integer', 'that line'],
    func: ['string', 'function that allocated them'],
    kind: ['string', 'object kind: table, string, closure, thread...'],
    count: ['integer', 'live objects of this kind from this site'],
    bytes: ['integer', 'bytes they hold'],
  },
  event: {
    kind: ['string', '"phase", "step", "cycle" or "coroutine"'],
    time: ['number', 'ms since the start'],
    instructions: ['integer', 'instructions executed by then'],
    from: ['string', 'phase (or coroutine status) before'],
    to: ['string', 'phase (or coroutine status) after'],
    work: ['integer', 'step: work units done'],
    total_before: ['integer', 'step/cycle: heap bytes before'],
    total_after: ['integer', 'step/cycle: heap bytes after'],
    freed: ['integer', 'cycle: bytes freed'],
    finalized: ['integer', 'cycle: finalizers run'],
    weak_cleared: ['integer', 'cycle: weak entries cleared'],
    duration_ns: ['integer', 'cycle: time from start to end'],
    freed_by_type: ['table', 'cycle: bytes freed per object kind'],
    id: ['integer', 'coroutine: registry number'],
    skipped: ['integer', 'coroutine: transitions of any coroutine left out before this one (births, resumes, yields and collections are rate-limited; deaths never are)'],
  },
  dateTable: {
    year: ['integer', 'full year'], month: ['integer', '1-12'], day: ['integer', '1-31'],
    hour: ['integer', '0-23'], min: ['integer', '0-59'], sec: ['integer', '0-61'],
    wday: ['integer', 'weekday, 1 is Sunday'], yday: ['integer', 'day of the year'],
    isdst: ['boolean', 'daylight saving time in effect'],
  },
  debugInfo: {
    source: ['string', 'where the function was defined'], short_src: ['string', 'short form of source'],
    linedefined: ['integer', 'first line of the function'], lastlinedefined: ['integer', 'last line'],
    what: ['string', '"Lua", "C" or "main"'], currentline: ['integer', 'line being executed'],
    name: ['string', 'a name for the function'], namewhat: ['string', '"global", "local", "method", "field"...'],
    nups: ['integer', 'number of upvalues'], nparams: ['integer', 'number of parameters'],
    isvararg: ['boolean', 'takes ...'], func: ['function', 'the function itself'],
  },
};

// Option strings: [value, summary].
export const OPTIONS = {
  collectgarbage: [
    ['collect', 'run a full collection cycle now (the default)'],
    ['count', 'heap size in KB (a float; * 1024 gives bytes)'],
    ['step', 'run one step (arg: KB of work, 0 = one basic step); true when a cycle finished'],
    ['isrunning', 'whether the collector runs (not stopped)'],
    ['incremental', 'switch to incremental mode; args: pause, stepmul, stepsize (0 keeps a value)'],
    ['generational', 'switch to generational mode; args: minormul, majormul'],
    ['luajit', 'Lunette: switch to LuaJIT 2.1 pacing; args: pause, stepmul'],
    ['stop', 'stop automatic collection until "restart"'],
    ['restart', 'restart automatic collection'],
    ['setpause', 'Lua 5.3 compatibility: set the pause, return the old one'],
    ['setstepmul', 'Lua 5.3 compatibility: set the step multiplier, return the old one'],
  ],
  format: [
    ['%d', 'integer in decimal (also %i)'],
    ['%5.2f', 'float with 2 decimals, at least 5 wide'],
    ['%f', 'float in fixed notation'],
    ['%e', 'float in exponent notation (%E upper case)'],
    ['%g', 'float, %f or %e whichever is shorter (%G)'],
    ['%a', 'float in hexadecimal (%A)'],
    ['%x', 'integer in hexadecimal (%X upper case)'],
    ['%o', 'integer in octal'],
    ['%c', 'the character with this byte code'],
    ['%s', 'string (tostring applies; %10s pads, %.3s cuts)'],
    ['%q', 'a Lua literal that reads back as the same value'],
    ['%u', 'integer (like %d)'],
    ['%%', 'a percent sign'],
    ['%-10s', 'flags: - left-justify, + sign, space, # alternate form, 0 zero-pad'],
  ],
  date: [
    ['*t', 'return a table {year, month, day, hour, min, sec, wday, yday, isdst}'],
    ['!*t', 'the same table in UTC'],
    ['%c', 'date and time in the locale\'s format'],
    ['%Y-%m-%d %H:%M:%S', 'ISO-like date and time'],
    ['%Y', 'year with century'], ['%y', 'year in two digits'], ['%m', 'month 01-12'],
    ['%d', 'day of the month 01-31'], ['%H', 'hour 00-23'], ['%I', 'hour 01-12'],
    ['%M', 'minute 00-59'], ['%S', 'second 00-61'], ['%p', 'AM or PM'],
    ['%A', 'weekday name'], ['%a', 'short weekday name'], ['%B', 'month name'],
    ['%b', 'short month name'], ['%j', 'day of the year 001-366'], ['%x', 'date (locale)'],
    ['%X', 'time (locale)'], ['%%', 'a percent sign'],
  ],
  openMode: [
    ['r', 'read (the default)'], ['w', 'write, truncating or creating'],
    ['a', 'append, creating if needed'], ['r+', 'read and write, keeping the contents'],
    ['w+', 'read and write, truncating first'], ['a+', 'read and append'],
    ['rb', 'binary read (b may follow any mode)'], ['wb', 'binary write'],
  ],
  read: [
    ['l', 'next line without its end-of-line (the default)'],
    ['L', 'next line with its end-of-line'],
    ['n', 'a numeral, as a number'],
    ['a', 'everything up to the end of the file'],
  ],
  loadMode: [['bt', 'text or binary chunks (the default)'], ['t', 'text chunks only'], ['b', 'binary chunks only']],
  seek: [['set', 'from the start'], ['cur', 'from the current position (default)'], ['end', 'from the end']],
  vbuf: [['no', 'no buffering'], ['full', 'write when the buffer is full'], ['line', 'write at each newline']],
  eventKind: [['phase', 'collector phase changes'], ['step', 'incremental steps'], ['cycle', 'cycle summaries'], ['coroutine', 'coroutine status changes']],
  coroutineStatus: [['running', ''], ['suspended', ''], ['normal', ''], ['dead', '']],
  pack: [
    ['<', 'little endian'], ['>', 'big endian'], ['=', 'native endian'], ['!n', 'max alignment n'],
    ['b', 'signed byte (B unsigned)'], ['h', 'short (H unsigned)'], ['i4', 'int of 4 bytes (I4 unsigned)'],
    ['l', 'long (L unsigned)'], ['j', 'lua_Integer (J unsigned)'], ['f', 'float'], ['d', 'double'],
    ['n', 'lua_Number'], ['s4', 'string preceded by a 4-byte length'], ['z', 'zero-terminated string'],
    ['x', 'one byte of padding'], ['Xn', 'align to n'],
  ],
};

// Pattern items (string.find, match, gmatch, gsub): [item, summary].
export const PATTERN_ITEMS = [
  ['.', 'any character'], ['%a', 'letters'], ['%d', 'digits'], ['%l', 'lower-case letters'],
  ['%u', 'upper-case letters'], ['%s', 'white space'], ['%w', 'letters and digits'],
  ['%p', 'punctuation'], ['%c', 'control characters'], ['%x', 'hexadecimal digits'],
  ['%A', 'the complement of %a (any upper-case class letter negates)'],
  ['%.', 'a literal "." (% escapes any punctuation)'],
  ['[set]', 'any character of the set; ranges like a-z'], ['[^set]', 'any character not in it'],
  ['*', '0 or more, longest'], ['+', '1 or more, longest'], ['-', '0 or more, shortest'],
  ['?', '0 or 1'], ['^', 'anchor at the start (first item only)'], ['$', 'anchor at the end (last item only)'],
  ['(...)', 'a capture; () captures the position'], ['%1', 'the text of capture 1 again'],
  ['%bxy', 'balanced text between x and y, e.g. %b()'], ['%f[set]', 'frontier: where the set begins'],
];

const KEYWORDS = ['and', 'break', 'do', 'else', 'elseif', 'end', 'false', 'for', 'function',
  'goto', 'if', 'in', 'local', 'nil', 'not', 'or', 'repeat', 'return', 'then', 'true', 'until',
  'while'];

export const MODULE_SUMMARIES = {
  coroutine: 'Coroutines: create, resume, yield, wrap, close, status.',
  string: 'String functions; also methods of every string (s:upper()).',
  table: 'Functions over list-like tables: insert, remove, sort, concat, move, pack, unpack.',
  math: 'Mathematics: floor/ceil, min/max, random, trigonometry, integer helpers.',
  utf8: 'UTF-8 encoding and decoding of code points.',
  os: 'Time and dates, the environment, files by name, exit.',
  io: 'Files and the standard streams.',
  debug: 'Introspection of functions, stack levels, upvalues and hooks.',
  package: 'How require finds and caches modules.',
  lunette: 'Lunette\'s inspector from Lua: require "lunette". Collector state, events, coroutine registry, retention paths, leak suspects, heap census.',
};

// ---- the parsed library -----------------------------------------------------------------------

function parseParams(text) {
  if (!text) return [];
  return text.split(', ').map((p) => ({ name: p.replace(/\?$/, ''), optional: p.endsWith('?') }));
}

function entry(module, [name, params, returns, summary, extra = {}]) {
  const full = module ? `${module}.${name}` : name;
  if (params === null) {
    return { name, full, module, kind: 'value', type: returns, summary };
  }
  const list = parseParams(params);
  const label = `${full}(${list.map((p) => (p.optional ? `${p.name}?` : p.name)).join(', ')})`;
  return { name, full, module, kind: 'function', params: list, label, returns, summary, ...extra };
}

function section(module, rows) {
  return rows.map((row) => entry(module, row));
}

// full name -> entry; modules -> {name, summary, members: [entries]}.
export const LIBRARY = new Map();
export const MODULES = new Map();
for (const e of section('', BASE)) LIBRARY.set(e.full, e);
const MODULE_ROWS = { coroutine: COROUTINE, string: STRING, table: TABLE, math: MATH,
  utf8: UTF8, os: OS, io: IO, debug: DEBUG, package: PACKAGE, lunette: LUNETTE };
for (const [module, rows] of Object.entries(MODULE_ROWS)) {
  const members = section(module, rows);
  MODULES.set(module, { name: module, summary: MODULE_SUMMARIES[module], members,
    global: module !== 'lunette' });
  for (const e of members) LIBRARY.set(e.full, e);
}
// File handle methods, under the pseudo-module "file" (f:read()).
export const FILE_METHODS = section('file', FILE).map((e) => ({ ...e,
  label: e.label.replace(/^file\./, 'file:') }));
for (const e of FILE_METHODS) LIBRARY.set(`file:${e.name}`, e);

export { KEYWORDS };

// The entries every script sees by plain name: base functions and the global modules
// (`lunette` only after `require "lunette"`, so it is offered apart).
export function globalEntries() {
  const base = section('', BASE);
  const modules = [...MODULES.values()].map((m) => ({
    name: m.name, full: m.name, module: '', kind: 'module', summary: m.summary, global: m.global,
  }));
  return [...base, ...modules];
}
