// Collected objects: the common header and the layouts of strings, prototypes, closures,
// upvalues and userdata. Tables live in table.h, threads (coroutines) in thread.h.
//
// Every collected object starts with GcObject: the link of the all-objects list the sweeper
// walks, the object's kind (a Tag), its colour bits for the collector (gc/collector.h states
// the tri-colour invariant), and its allocation site for the heap census. Objects never move
// once allocated: raw pointers and string_views into them stay valid while the object is
// reachable.
//
// Strings are immutable and NUL-terminated. Short strings (<= kMaxShortString bytes) are
// interned, so two short strings are equal iff they are the same object; long strings compare
// by content and hash lazily.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "bytecode/function_data.h"
#include "bytecode/opcodes.h"
#include "vm/value.h"

namespace lunette {

struct GcObject {
  GcObject* next;     // all-objects list (or the finalizer lists)
  Tag kind;
  uint8_t marked;     // colour bits, see gc/collector.h
  union {             // per-kind byte (kept in the header, where it costs no room):
    uint8_t extra;              // String: StringFlags (short, hashed)
    uint8_t absentMetamethods;  // Table: the metamethod-absence cache (see vm/table.h)
    uint8_t nupvalues;          // LuaClosure, NativeClosure: how many upvalues
  };
  uint8_t age;        // generational mode: new, survival, old...
  uint32_t site;      // where it was allocated (the inspector's site table), 0 when unknown
};
// On 64-bit targets the site fills what would be padding: the header stays 16 bytes. (On
// wasm32 it takes the header from 8 to 12 bytes.)
static_assert(sizeof(void*) != 8 || sizeof(GcObject) == 16);

// ---- strings -----------------------------------------------------------------------------

inline constexpr size_t kMaxShortString = 40;
// The longest string the heap holds (its length is 32 bits: the header stays 32 bytes). Making
// a longer one is a memory error, as on a 32-bit build, where memory ends first anyway.
inline constexpr size_t kMaxStringLength = UINT32_MAX - 1;

// The String's per-kind header byte.
enum StringFlags : uint8_t {
  kStringIsShort = 1,   // interned
  kStringIsHashed = 2,  // `hash` is set (short strings at creation, long ones on first use as a key)
};

// 32 bytes of header on 64-bit targets, then the characters: a short string of up to 15 bytes
// fits a 48-byte block.
struct String : GcObject {
  uint32_t hash;
  uint32_t length;
  String* internNext;   // chain in the intern table (short strings only)

  char* chars() { return reinterpret_cast<char*>(this + 1); }
  const char* chars() const { return reinterpret_cast<const char*>(this + 1); }
  std::string_view view() const { return {chars(), length}; }
  bool isShort() const { return (extra & kStringIsShort) != 0; }
  bool isHashed() const { return (extra & kStringIsHashed) != 0; }
};
static_assert(sizeof(void*) != 8 || sizeof(String) == 32);

// ---- prototypes --------------------------------------------------------------------------

struct LocVar {
  String* name;
  int startpc;
  int endpc;
};

struct UpvalDesc {
  String* name;
  bool instack;
  uint8_t index;
  VarKind kind;
};

// A compiled function, immutable after creation (vm/proto.cpp builds it from FunctionData).
struct Proto : GcObject {
  std::vector<Instruction> code;
  std::vector<Value> constants;
  std::vector<Proto*> children;
  std::vector<UpvalDesc> upvalues;
  std::vector<int> lineinfo;
  std::vector<LocVar> locvars;
  String* source;
  int linedefined;
  int lastlinedefined;
  uint8_t numparams;
  bool isVararg;
  uint8_t maxstacksize;
  size_t bytes;  // what this prototype accounts for, fixed at creation
  // The inspector's allocation site of each instruction, made on first use (inspector memory,
  // not heap: it is not in `bytes`).
  mutable std::unique_ptr<uint32_t[]> allocationSites;
  // The inspector's coroutine creation site of each instruction that calls coroutine.create
  // or wrap, with the body it was named for (see Inspector::creationSiteOf); made on first use.
  struct CreationSiteSlot {
    uint32_t site = 0;
    int32_t body = 0;
  };
  mutable std::unique_ptr<CreationSiteSlot[]> creationSites;
};

// ---- upvalues and closures ---------------------------------------------------------------

// An upvalue is open while the variable still lives in a stack slot (`value` points into the
// thread's stack, and the upvalue is on the thread's open list sorted by slot, highest first);
// closing copies the value into `closed` and points `value` at it. While open, the storage of
// `closed` holds the list links instead: `previous` points at whatever points at this upvalue
// (the thread's head or the prior upvalue's `next`), so an upvalue can leave its list in O(1).
// Invariant: an open upvalue is on exactly one thread's open list, and that thread is alive;
// a thread closes every open upvalue it still has before it is freed.
struct UpVal : GcObject {
  struct OpenLinks {
    UpVal* next;
    UpVal** previous;
  };
  Value* value;
  union {
    Value closed;
    OpenLinks open;
  };
  UpVal() : closed() { value = &closed; }  // set in the body: clang-14 warns on &closed in the list
  bool isOpen() const { return value != &closed; }
};

// (The upvalue count is the header's per-kind byte: a closure with one upvalue is 32 bytes.)
// Objects carry no gray-list link: the collector keeps its gray objects in vectors.
struct LuaClosure : GcObject {
  Proto* proto;
  UpVal* upvals[1];  // really nupvalues entries
};
static_assert(sizeof(void*) != 8 || offsetof(LuaClosure, upvals) == 24);

struct NativeClosure : GcObject {
  NativeFunction function;
  Value upvalues[1];  // really nupvalues entries
};

// ---- userdata ----------------------------------------------------------------------------

struct Userdata : GcObject {
  Table* metatable;
  size_t size;
  alignas(16) unsigned char data[1];  // really `size` bytes
};

inline size_t luaClosureSize(int n) {
  return offsetof(LuaClosure, upvals) + sizeof(UpVal*) * static_cast<size_t>(n < 1 ? 1 : n);
}
inline size_t nativeClosureSize(int n) {
  return offsetof(NativeClosure, upvalues) + sizeof(Value) * static_cast<size_t>(n < 1 ? 1 : n);
}
inline size_t userdataSize(size_t n) { return offsetof(Userdata, data) + (n < 1 ? 1 : n); }
inline size_t stringSize(size_t length) { return sizeof(String) + length + 1; }

}  // namespace lunette
