# Post-link edits of the Emscripten glue (wasm/dist/lunette.mjs), run by wasm/CMakeLists.txt:
#   cmake -DGLUE=path/to/lunette.mjs -P wasm/patch_glue.cmake
#
# Each edit keeps the glue from loading a part of Node that every `node wasm/run.mjs` would
# otherwise pay for before the script's first instruction; in a browser both globals are part
# of the page and the glue behaves as Emscripten wrote it.
# - Random devices. Emscripten 3.1.6 makes /dev/random and /dev/urandom while the module
#   starts, and to make them evaluates `crypto`: under Node 20 a lazy getter that loads Node's
#   Web Crypto (3-6 ms quiet, 15-30 ms loaded), for devices no Lua script here reads. The
#   devices now find their byte source at their first read, as later Emscripten releases do.
# - The monotonic clock (clock_gettime, so std::chrono::steady_clock, which the Session and the
#   collector read from the first slice on) was `performance.now()`: under Node 20 another lazy
#   global, which loads perf_hooks and a dozen internal modules. Under Node it is now
#   process.hrtime (milliseconds from another origin: the C++ side only takes differences).
# callgrind, node --single-threaded run.mjs on print("ready"): 773.4M -> 754.3M instructions
# for the first, 723.3M -> 709.8M for the second.
#
# Invariants: an edit whose text is not found fails the link (another Emscripten: update the
# edit) rather than silently keeping the slow start; editing an edited glue changes nothing.
file(READ "${GLUE}" glue)

function(edit_glue eager lazy)
  string(FIND "${glue}" "${lazy}" already)
  if(already GREATER -1)
    return()
  endif()
  string(FIND "${glue}" "${eager}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "patch_glue.cmake: '${eager}' not found in ${GLUE}; this Emscripten's glue differs, update the edit")
  endif()
  string(REPLACE "${eager}" "${lazy}" edited "${glue}")
  set(glue "${edited}" PARENT_SCOPE)
endfunction()

edit_glue("var random_device=getRandomDevice();"
  "var random_byte_source;var random_device=()=>(random_byte_source||(random_byte_source=getRandomDevice()))();")
edit_glue("_emscripten_get_now=(()=>performance.now());"
  "_emscripten_get_now=typeof process==\"object\"&&process.versions&&process.versions.node?()=>Number(process.hrtime.bigint())/1e6:()=>performance.now();")

file(WRITE "${GLUE}" "${glue}")
