// Telemetry as compact JSON for the worker protocol (web/src/PROTOCOL.md): sample rows, the
// inspector's events since a cursor, and the coroutine registry. One JSON string per batch
// crosses into JavaScript (one JSON.parse), never one call per number.
//
// Invariants: the output is always valid JSON (strings escaped, non-finite numbers written as
// null); readers that fall behind the event ring skip what it overwrote and say how much.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

#include "inspect/recording.h"

namespace lunette {

class Inspector;
class State;
struct CoroutineRecord;



// Writes the collector's columns of a sample of the state now into `out`: t, instr, allocated,
// threshold, debt, estimate, phase and bytes by kind (the heap total goes to
// Recording::commit). The inspector writes the others (coroutine counts, line, cycle, reason,
// vtime) itself: each column is written once, a sample being taken every few coroutines of a
// churning program.
void sampleState(StoredSample& out, const State& S, double timeMs);

void appendJsonString(std::string& out, std::string_view text);
void appendJsonNumber(std::string& out, double value);

// {"fields":[...],"rows":[[...],...]} and, when `replace`, "replace":true (the rows are the
// whole recording and replace what the reader holds).
void appendSamplesJson(std::string& out, const Sample* rows, size_t count, bool replace = false);
// The same for samples [first, size) of `recording`.
void appendSamplesJson(std::string& out, const Recording& recording, size_t first, bool replace);
// The samples of `recording` a reader at `cursor` has not seen, as above; advances the cursor.
void appendRecordingJson(std::string& out, const Recording& recording, Recording::Cursor& cursor);

// The inspector's events in [*cursor, ring end) as a JSON array, at most `limit` of them (the
// newest); advances *cursor. *dropped grows by the events skipped (overwritten, over the limit,
// or a step or cycle event whose record was overwritten: Inspector::readable).
void appendEventsJson(std::string& out, const Inspector& inspector, uint64_t* cursor,
                      size_t limit, uint64_t* dropped);

// One registry record (PROTOCOL.md `coroutines`) without its closing brace, so that callers
// can add fields.
void openRecordJson(std::string& out, const CoroutineRecord& r);

// The registry as a JSON array of PROTOCOL.md records, the `limit` newest coroutines.
std::string coroutinesJson(Inspector& inspector, size_t limit);

}  // namespace lunette
