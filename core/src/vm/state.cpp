// The State: heap allocation and accounting, object constructors, interning, metamethod lookup,
// error raising, and the embedding entry points (load, start, run).
#include "vm/state.h"

#include <cstdlib>
#include <cstring>
#include <new>

#include "common/numconv.h"
#include "bytecode/chunk_dump.h"
#include "compiler/compile.h"
#include "vm/debuginfo.h"
#include "vm/interpreter.h"

namespace lunette {

namespace {

constexpr std::string_view kEventNames[] = {
    "__index", "__newindex", "__gc",  "__mode", "__len",    "__eq",   "__add",
    "__sub",   "__mul",      "__mod", "__pow",  "__div",    "__idiv", "__band",
    "__bor",   "__bxor",     "__shl", "__shr",  "__unm",    "__bnot", "__lt",
    "__le",    "__concat",   "__call", "__close"};
static_assert(std::size(kEventNames) == static_cast<size_t>(Event::Count_));

uint32_t hashBytes(std::string_view text, uint32_t seed) {
  uint32_t h = seed ^ static_cast<uint32_t>(text.size());
  for (unsigned char c : text) h = (h ^ c) * 16777619u;
  return h;
}

}  // namespace

State::State() {
  mainThread = newThreadAt(siteIfInspecting(), kMainStackSlots, /*wideFrameChunks=*/true);
  mainThread->status = CoStatus::Running;
  mainThread->started = true;
  running = mainThread;
  registry = newTable(*this);
  globals = newTable(*this);
  registry->setInt(*this, 1, Value::thread(mainThread));
  registry->setInt(*this, 2, Value::table(globals));
  for (size_t i = 0; i < eventNames_.size(); ++i) eventNames_[i] = newString(kEventNames[i]);
  collector.memoryErrorMessage = newString("not enough memory");
  collector.safePointHead = collector.allObjects;
  outputSink = [](std::string_view text) { std::fwrite(text.data(), 1, text.size(), stdout); };
  errorSink = [](std::string_view text) { std::fwrite(text.data(), 1, text.size(), stderr); };
}

State::~State() {
  collector.sink = nullptr;
  collector.freeAll(*this);
}

void State::finalizeForExit() {
  collector.sink = nullptr;
  collector.finalizeAtClose(*this);
}

// ---- heap -----------------------------------------------------------------------------------

// Userdata promise 16-byte alignment (Userdata::data): their blocks come from a class whose
// size is a multiple of 16.
static size_t poolBytes(size_t bytes, Tag kind) {
  return kind == Tag::Userdata ? (bytes + 15) & ~size_t{15} : bytes;
}

static bool fromPool(size_t bytes, Tag kind) {
  return kPoolSmallBlocks && poolBytes(bytes, kind) <= BlockPool::kMaxBytes;
}

void* State::takeBlock(size_t bytes, Tag kind) {
  size_t pooled = poolBytes(bytes, kind);
  if (kPoolSmallBlocks && pooled <= BlockPool::kMaxBytes) return smallBlocks_.take(pooled);
  return std::malloc(bytes ? bytes : 1);
}

void State::giveBlock(void* p, size_t bytes, Tag kind) {
  size_t pooled = poolBytes(bytes, kind);
  if (kPoolSmallBlocks && pooled <= BlockPool::kMaxBytes) {
    smallBlocks_.give(p, pooled);
    return;
  }
  std::free(p);
}

void State::makeRoomFor(size_t bytes) {
  if (collector.memoryLimit && collector.heapBytes + bytes > collector.memoryLimit) {
    // An emergency full collection first (unless the last ones freed too little, see
    // collector.h); "not enough memory" only if there is still no room.
    if (collector.mayCollectForLimit()) collector.emergencyCollectInAllocation(*this, bytes);
    if (collector.heapBytes + bytes > collector.memoryLimit)
      throwValue(*running, Value::string(collector.memoryErrorMessage), ErrorKind::Memory);
  }
}

// allocateRaw's general path: past the pool, at the limit, or a class with no free block.
void* State::allocateRawOutOfLine(size_t bytes, Tag kind) {
  makeRoomFor(bytes);
  void* p = takeBlock(bytes, kind);
  if (!p) throwValue(*running, Value::string(collector.memoryErrorMessage), ErrorKind::Memory);
  chargeAllocation(bytes, kind);
  return p;
}

void State::releaseRawOutOfLine(void* p, size_t bytes, Tag kind) {
  if (!p) return;
  giveBlock(p, bytes, kind);
  collector.heapBytes -= bytes;
  collector.bytesByKind[static_cast<size_t>(kind)] -= bytes;
}

void* State::reallocateRaw(void* p, size_t oldBytes, size_t newBytes, Tag kind) {
  // Blocks past the pool come from malloc, whose realloc grows a big block by remapping its
  // pages: a growing array or stack then neither copies nor touches again what it held.
  if (p && !fromPool(oldBytes, kind) && !fromPool(newBytes, kind)) {
    // (The limit is checked as for a fresh block beside the old one, as a move would need:
    // the memory limit's pacing sees the same requests either way.)
    if (newBytes > oldBytes) makeRoomFor(newBytes);
    void* fresh = std::realloc(p, newBytes ? newBytes : 1);
    if (!fresh) throwValue(*running, Value::string(collector.memoryErrorMessage), ErrorKind::Memory);
    collector.heapBytes = collector.heapBytes - oldBytes + newBytes;
    size_t& byKind = collector.bytesByKind[static_cast<size_t>(kind)];
    byKind = byKind - oldBytes + newBytes;
    if (newBytes > oldBytes) collector.allocatedTotal += newBytes - oldBytes;
    return fresh;
  }
  void* fresh = allocateRaw(newBytes, kind);
  if (p) {
    std::memcpy(fresh, p, oldBytes < newBytes ? oldBytes : newBytes);
    releaseRaw(p, oldBytes, kind);
  }
  return fresh;
}

// ---- strings --------------------------------------------------------------------------------

String* State::newString(std::string_view text) {
  if (text.size() > kMaxShortString) {
    String* s = newLongString(text.size());
    std::memcpy(s->chars(), text.data(), text.size());
    return s;
  }
  uint32_t h = hashBytes(text, hashSeed);
  String** bucket = interned.bucketFor(h);
  if (String* s = interned.find(bucket, text)) {
    // A dead-but-unswept string may be revived: make it the current white.
    if (collector.isDeadWhite(s)) s->marked = collector.currentWhite;
    return s;
  }
  // The allocation may collect (an emergency collection runs no Lua code, so interns nothing),
  // and only an insertion moves the bucket array: `bucket` stays valid.
  String* s = allocateString(text.size(), kStringIsShort | kStringIsHashed, h);
  if (!text.empty()) std::memcpy(s->chars(), text.data(), text.size());
  interned.insert(bucket, s);
  return s;
}

String* State::newLongString(size_t length) {
  if (length > kMaxStringLength)
    throwValue(*running, Value::string(collector.memoryErrorMessage), ErrorKind::Memory);
  return allocateString(length, 0, 0);
}

String* State::allocateString(size_t length, uint8_t extra, uint32_t hash) {
  auto* s = allocateObject<String>(Tag::String, stringSize(length));
  s->extra = extra;
  s->hash = hash;
  s->length = static_cast<uint32_t>(length);
  s->internNext = nullptr;
  s->chars()[length] = '\0';
  return s;
}

void State::unlinkInterned(String* s) { interned.unlink(s); }

// ---- other objects --------------------------------------------------------------------------

Proto* State::newProto(const FunctionData& data) {
  ChunkStrings strings;
  return newProto(data, strings);
}

Proto* State::newProto(const FunctionData& data, ChunkStrings& strings) {
  auto* raw = allocateRaw(sizeof(Proto), Tag::Proto);
  auto* p = new (raw) Proto();
  adopt(p, Tag::Proto);
  p->source = newString(data.source);
  p->linedefined = data.linedefined;
  p->lastlinedefined = data.lastlinedefined;
  p->numparams = data.numparams;
  p->isVararg = data.isVararg;
  p->maxstacksize = data.maxstacksize;
  p->code = data.code;
  p->lineinfo = data.lineinfo;
  p->constants.reserve(data.constants.size());
  for (const Constant& c : data.constants) {
    Value v;
    if (auto* b = std::get_if<bool>(&c)) v = Value::boolean(*b);
    else if (auto* i = std::get_if<int64_t>(&c)) v = Value::integer(*i);
    else if (auto* d = std::get_if<double>(&c)) v = Value::number(*d);
    else if (auto* s = std::get_if<std::string>(&c)) {
      String*& shared = strings[*s];  // the key views `data`, which outlives this call
      if (!shared) shared = newString(*s);
      v = Value::string(shared);
    }
    p->constants.push_back(v);
  }
  for (const UpvalueInfo& u : data.upvalues)
    p->upvalues.push_back(  // a stripped chunk's upvalues have no names: null, as the reference
        UpvalDesc{u.name.empty() ? nullptr : newString(u.name), u.instack, u.index, u.kind});
  for (const LocalVarInfo& l : data.locvars)
    p->locvars.push_back(LocVar{newString(l.name), l.startpc, l.endpc});
  for (const auto& child : data.children) p->children.push_back(newProto(*child, strings));
  // What the prototype owns beyond its header, fixed from now on.
  size_t owned = p->code.size() * sizeof(Instruction) + p->constants.size() * sizeof(Value) +
                 p->children.size() * sizeof(Proto*) + p->upvalues.size() * sizeof(UpvalDesc) +
                 p->lineinfo.size() * sizeof(int) + p->locvars.size() * sizeof(LocVar);
  collector.heapBytes += owned;
  collector.bytesByKind[static_cast<size_t>(Tag::Proto)] += owned;
  p->bytes = sizeof(Proto) + owned;
  return p;
}

LuaClosure* State::newLuaClosure(Proto* proto, uint32_t site) {
  int n = static_cast<int>(proto->upvalues.size());
  auto* c = allocateObjectAt<LuaClosure>(Tag::LuaClosure, luaClosureSize(n), site);
  c->nupvalues = static_cast<uint8_t>(n);
  c->proto = proto;
  for (int i = 0; i < n; ++i) c->upvals[i] = nullptr;
  return c;
}

NativeClosure* State::newNativeClosure(NativeFunction fn, int nupvalues) {
  auto* c = allocateObject<NativeClosure>(Tag::NativeClosure, nativeClosureSize(nupvalues));
  c->nupvalues = static_cast<uint8_t>(nupvalues);
  c->function = fn;
  for (int i = 0; i < nupvalues; ++i) c->upvalues[i] = Value();
  return c;
}

Userdata* State::newUserdata(size_t size) {
  auto* u = allocateObject<Userdata>(Tag::Userdata, userdataSize(size));
  u->metatable = nullptr;
  u->size = size;
  return u;
}

// Programs make coroutines by the million: their threads come from the block pool.
static_assert(sizeof(Thread) <= BlockPool::kMaxBytes);

Thread* State::newThreadAt(uint32_t site, int stackSlots, bool wideFrameChunks) {
  void* raw = allocateRaw(sizeof(Thread), Tag::Thread);
  auto* t = new (raw) Thread();
  if (wideFrameChunks) t->calls.useWideFirstChunk();
  adoptAt(t, Tag::Thread, site);
  growStack(*this, *t, stackSlots - kStackExtra);
  // The bottom frame: a native pseudo-frame whose stack holds the thread's entry function.
  CallInfo base;
  base.kind = FrameKind::Native;
  base.func = 0;
  base.base = 1;
  base.top = 1 + kMinNativeStack;
  t->stack[0] = Value();
  t->top = 1;
  if (size_t added = t->calls.push_back(base)) chargeBytes(added, Tag::Thread);
  return t;
}

UpVal* State::newUpVal(uint32_t site) {
  auto* u = allocateObjectAt<UpVal>(Tag::UpVal, sizeof(UpVal), site);
  u->closed = Value();
  u->value = &u->closed;
  return u;
}

// Closures a dying thread made may outlive it: their upvalues take their values out of its
// stack. No barrier: the collector already marked the values of every reachable open upvalue
// (Collector::remarkOpenUpvalues), and at state close nothing is read again.
static void closeUpvaluesOfDyingThread(Thread& t) {
  while (UpVal* u = t.openUpvals) {
    unlinkOpenUpvalue(u);
    u->closed = *u->value;
    u->value = &u->closed;
  }
}

void State::freeObject(GcObject* o) {
  --collector.countByKind[static_cast<size_t>(o->kind)];
  switch (o->kind) {
    case Tag::String: {
      auto* s = static_cast<String*>(o);
      if (s->isShort()) unlinkInterned(s);
      releaseRaw(s, stringSize(s->length), Tag::String);
      break;
    }
    case Tag::Table: freeTable(*this, static_cast<Table*>(o)); break;
    case Tag::LuaClosure: {
      auto* c = static_cast<LuaClosure*>(o);
      releaseRaw(c, luaClosureSize(c->nupvalues), Tag::LuaClosure);
      break;
    }
    case Tag::NativeClosure: {
      auto* c = static_cast<NativeClosure*>(o);
      releaseRaw(c, nativeClosureSize(c->nupvalues), Tag::NativeClosure);
      break;
    }
    case Tag::Userdata: {
      auto* u = static_cast<Userdata*>(o);
      releaseRaw(u, userdataSize(u->size), Tag::Userdata);
      break;
    }
    case Tag::UpVal: {
      // Open only if its thread dies in the same sweep and has not been freed yet.
      auto* u = static_cast<UpVal*>(o);
      if (u->isOpen()) unlinkOpenUpvalue(u);
      releaseRaw(o, sizeof(UpVal), Tag::UpVal);
      break;
    }
    case Tag::Proto: {
      auto* p = static_cast<Proto*>(o);
      siteCache_ = {};
      ++protosFreed;
      size_t owned = p->bytes - sizeof(Proto);
      collector.heapBytes -= owned;
      collector.bytesByKind[static_cast<size_t>(Tag::Proto)] -= owned;
      p->~Proto();
      releaseRaw(p, sizeof(Proto), Tag::Proto);
      break;
    }
    case Tag::Thread: {
      auto* t = static_cast<Thread*>(o);
      closeUpvaluesOfDyingThread(*t);
      collector.forgetThread(t);
      releaseRaw(t->stack, sizeof(Value) * static_cast<size_t>(t->stackSize), Tag::Thread);
      chargeBytes(-static_cast<ptrdiff_t>(t->calls.capacityBytes()), Tag::Thread);
      t->~Thread();
      releaseRaw(t, sizeof(Thread), Tag::Thread);
      break;
    }
    default: std::abort();
  }
}

// ---- metamethods ----------------------------------------------------------------------------

Table* State::metatableOf(const Value& v) const {
  switch (v.tag) {
    case Tag::Table: return v.asTable()->metatable;
    case Tag::Userdata: return v.asUserdata()->metatable;
    default: return typeMetatables[static_cast<size_t>(typeOfTag(v.tag))];
  }
}

const Value* State::metamethod(const Value& v, Event event) {
  return fastMetamethod(metatableOf(v), event);
}

// ---- errors ---------------------------------------------------------------------------------

void State::throwValue(Thread& thread, const Value& error, ErrorKind kind,
                       SourcePosition position) {
  thread.errorValue = error;
  thrownKind_ = kind;
  thrownPosition_ = std::move(position);
  throw LuaError{};
}

void State::throwMessage(Thread& thread, std::string_view message, ErrorKind kind) {
  throwValue(thread, Value::string(newString(message)), kind);
}

void State::runtimeError(Thread& thread, std::string_view message) {
  // A Lua frame always names its position here, "?:-1:" in a stripped function, as the
  // reference's runtime errors do (where(), like luaL_where, gives nothing without a line).
  SourcePosition position = positionAt(thread, 0);
  std::string text = where(thread, 0);
  const CallInfo* ci = thread.calls.empty() ? nullptr : &thread.calls.back();
  if (text.empty() && ci && ci->kind == FrameKind::Lua) {
    const Proto* p = thread.stack[ci->func].asLuaClosure()->proto;
    text = chunkId(p->source->view()) + ":" + std::to_string(currentLine(*ci, p)) + ": ";
  }
  text += message;
  throwValue(thread, Value::string(newString(text)), ErrorKind::Runtime, std::move(position));
}

SourcePosition State::positionAt(Thread& thread, int level) {
  int index = static_cast<int>(thread.calls.size()) - 1 - level;
  if (index < 0) return {};
  const CallInfo& ci = thread.calls[static_cast<size_t>(index)];
  if (ci.kind != FrameKind::Lua) return {};
  const LuaClosure* cl = thread.stack[ci.func].asLuaClosure();
  int line = currentLine(ci, cl->proto);
  if (line < 0) return {};  // a stripped function
  return {chunkId(cl->proto->source->view()), line};
}

std::string State::where(Thread& thread, int level) {
  SourcePosition position = positionAt(thread, level);
  if (position.line == 0) return {};
  return position.chunk + ":" + std::to_string(position.line) + ": ";
}

std::string State::traceback(Thread& thread, int level) { return buildTraceback(*this, thread, level); }

// ---- loading and running --------------------------------------------------------------------

namespace {

// How the reference names a chunk in a binary-format error: "@file" and "=name" without their
// prefix, and a chunk named by its own (binary) text "binary string".
std::string binaryChunkDisplayName(std::string_view chunkname) {
  if (!chunkname.empty() && (chunkname.front() == '@' || chunkname.front() == '='))
    return std::string(chunkname.substr(1));
  if (isBinaryChunk(chunkname)) return "binary string";
  return std::string(chunkname);
}

}  // namespace

LoadResult State::load(Thread& thread, std::string_view source, std::string_view chunkname) {
  LoadResult result;
  Lua L(*this, thread);
  std::unique_ptr<FunctionData> data;
  try {
    data = isBinaryChunk(source) ? undumpChunk(source) : compile(source, chunkname);
  } catch (const SyntaxError& e) {
    result.message = e.what();
    result.line = e.line();
    result.column = e.column();
    L.pushString(result.message);
    return result;
  } catch (const ChunkFormatError& e) {
    result.message = binaryChunkDisplayName(chunkname) + ": bad binary format (" + e.what() + ")";
    L.pushString(result.message);
    return result;
  }
  try {
    Proto* proto = newProto(*data);
    LuaClosure* closure = newLuaClosure(proto);
    // Every upvalue starts fresh (nil); the first is the environment. A text chunk has just
    // _ENV; a binary chunk's main function may have been any function, with any upvalues.
    for (int u = 0; u < closure->nupvalues; ++u) {
      closure->upvals[u] = newUpVal();
      if (u == 0) closure->upvals[u]->closed = Value::table(globals);
    }
    L.checkStack(1);
    *thread.at(thread.top++) = Value::object(closure, Tag::LuaClosure);
  } catch (const LuaError&) {
    // At the memory limit the function cannot be built: a failed load, not an exception out
    // of the embedding API. Its error value (the preallocated message) needs no allocation,
    // and a frame always has slack above its top for it.
    Value error = thread.errorValue;
    thread.errorValue = Value();
    result.message = error.isString() ? std::string(error.asString()->view()) : "not enough memory";
    if (thread.top < thread.stackSize) *thread.at(thread.top++) = error;
    return result;
  }
  checkGc();
  result.ok = true;
  return result;
}

void State::setFirstUpvalue(Thread& thread, int index) {
  Lua L(*this, thread);
  int absolute = L.absIndex(index);
  Value fn = *thread.at(thread.calls.back().func + absolute);
  Value v = thread.stack[thread.top - 1];
  thread.top -= 1;
  if (fn.tag != Tag::LuaClosure) return;
  LuaClosure* c = fn.asLuaClosure();
  if (c->nupvalues == 0) return;
  c->upvals[0]->closed = v;
  *c->upvals[0]->value = v;
  collector.barrierForward(c->upvals[0], v);
}

void State::exit(int status, bool close) {
  if (close) {
    try {
      closeToBeClosed(*this, *mainThread, 0, Value(), false);
    } catch (const LuaError&) {
    }
    collector.runAllFinalizers(*this);
  }
  throw ExitRequest{status};
}

void State::abandon() {
  Thread& L = *mainThread;
  // Coroutines caught in the middle of the run cannot be resumed again.
  for (Thread* t = running; t && t != mainThread; t = t->resumer) {
    setCoStatus(*this, *t, CoStatus::Dead);
    if (t->coroutineId) observer->coroutineDied(t, false, "abandoned by Stop");
  }
  running = mainThread;
  closeUpvalues(*this, L, 0);
  L.calls.resize(1);
  L.tbcSlots.clear();
  L.top = 1;
  L.nny = 0;
  L.overflowReserve = false;
  L.errorValue = Value();
  L.status = CoStatus::Running;
  nativeDepth = 0;
  pendingCall_ = -1;
  executing_ = false;
}

void State::start(int nargs) {
  Thread& L = *mainThread;
  int func = L.top - nargs - 1;
  pendingCall_ = func;
  errorMessage_.clear();
  errorTraceback_.clear();
  errorKind_ = ErrorKind::Runtime;
  errorPosition_ = {};
  errorFrames_.clear();
}

RunStatus State::run(int64_t budgetForSlice) {
  int64_t sliceBudget = budgetForSlice;
  Thread& L = *mainThread;
  budget = sliceBudget;
  this->sliceBudget = sliceBudget;
  inSlice_ = true;
  struct SliceEnd {
    bool& flag;
    ~SliceEnd() { flag = false; }
  } sliceEnd{inSlice_};
  int64_t startBudget = sliceBudget;
  executing_ = true;
  stopRequested_ = false;
  try {
    if (pendingCall_ >= 0) {
      int func = pendingCall_;
      pendingCall_ = -1;
      running = &L;
      callStarted_ = true;
      // The main function runs in the interpreter loop itself (so it can pause).
      ensureStack(*this, L, kStackExtra);
      if (beginCall(*this, L, func)) {
        executing_ = false;
        instructionCount += startBudget - budget;
        return RunStatus::Finished;
      }
    }
    ExecEnd end = execute(*this, &L, 1, true);
    instructionCount += startBudget - budget;
    executing_ = end == ExecEnd::Paused;
    return end == ExecEnd::Paused ? RunStatus::Paused : RunStatus::Finished;
  } catch (const ExitRequest& request) {
    instructionCount += startBudget - budget;
    abandon();
    exited_ = true;
    exitStatus_ = request.status;
    return RunStatus::Finished;
  } catch (const LuaError&) {
    instructionCount += startBudget - budget;
    executing_ = false;
    Thread& failed = *running;
    Value error = failed.errorValue;
    // Taken before anything below can throw (and catch) again.
    errorKind_ = thrownKind_;
    errorPosition_ = std::move(thrownPosition_);
    errorFrames_.clear();
    for (int level = 0; level < static_cast<int>(failed.calls.size()); ++level) {
      SourcePosition frame = positionAt(failed, level);
      if (frame.line > 0) errorFrames_.push_back(std::move(frame));
    }
    Lua api(*this, failed);
    if (error.isString()) {
      errorMessage_ = std::string(error.asString()->view());
    } else if (error.isNumber()) {
      errorMessage_ = numberToString(error);
    } else {
      api.checkStack(3);
      *failed.at(failed.top++) = error;
      std::string fallback = "(error object is a " + std::string(typeName(typeOfTag(error.tag))) + " value)";
      if (api.getMetaField(-1, "__tostring") != Type::Nil) {
        // As lua.c's message handler: the object's __tostring, protected, since it may fail
        // too; then the message is its own error (or the fallback, if that is no string), and
        // the failure is an error in the message handler, as lua_pcall's LUA_ERRERR.
        api.pushValue(-2);
        if (!api.pcall(1, 1)) errorKind_ = ErrorKind::Handler;
        std::optional<std::string_view> text;
        if (api.type(-1) == Type::String) text = api.toString(-1);
        errorMessage_ = text ? std::string(*text) : fallback;
        api.pop(1);
      } else {
        errorMessage_ = fallback;
      }
      api.pop(1);
    }
    errorTraceback_ = traceback(failed, 0);
    running = mainThread;
    try {
      closeToBeClosed(*this, L, 0, error, true);
    } catch (const LuaError&) {
    }
    abandon();
    return RunStatus::Failed;
  }
}

}  // namespace lunette
