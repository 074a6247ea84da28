# Post-link edit of the Emscripten glue (wasm/dist/lunette.mjs), run by wasm/CMakeLists.txt:
#   cmake -DGLUE=path/to/lunette.mjs -P wasm/patch_glue.cmake
#
# Emscripten 3.1.6 makes /dev/random and /dev/urandom while the module starts, and to make them
# it evaluates `crypto`. Under Node 20 the global `crypto` is a lazy getter that loads Node's Web
# Crypto on first use: 8-30 ms of every run's start-up (more than compiling the .wasm), for
# devices no Lua script here reads. The edit makes the devices find their byte source at their
# first read instead, as later Emscripten releases do. If the text is not found (another
# Emscripten), the link fails rather than silently keeping the slow start.
#
# Invariant: the edit is idempotent (a glue already edited is left as it is).
file(READ "${GLUE}" glue)
set(eager "var random_device=getRandomDevice();")
set(lazy "var random_byte_source;var random_device=()=>(random_byte_source||(random_byte_source=getRandomDevice()))();")
string(FIND "${glue}" "${lazy}" already)
if(already GREATER -1)
  return()
endif()
string(FIND "${glue}" "${eager}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "patch_glue.cmake: '${eager}' not found in ${GLUE}; this Emscripten's glue differs, update the edit")
endif()
string(REPLACE "${eager}" "${lazy}" glue "${glue}")
file(WRITE "${GLUE}" "${glue}")
