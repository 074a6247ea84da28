// Values: the 16-byte tagged representation every register, table slot and upvalue holds.
//
// Representation. A Value is an 8-byte payload and a 1-byte tag (padded to 16 bytes). The tag
// says which payload member is live:
//   Nil, False, True                  no payload (booleans are two tags: truthiness is one
//                                     compare, `tag > False`)
//   Integer (int64_t), Float (double) the two number subtypes of Lua 5.4
//   LightUserdata (void*), LightNative (NativeFunction: a native function without upvalues)
//   String ... Thread                 a pointer to a collected object (GcObject*)
//   DeadKey                           only in table nodes: a collected key whose entry was
//                                     emptied; kept for `next`'s identity compare, never read
// Every tag from String upward is collectable, so "is this a heap reference" is one compare.
#pragma once

#include <cstdint>
#include <cstring>

#include "vm/api.h"

namespace lunette {

struct GcObject;
struct String;
struct Table;
struct LuaClosure;
struct NativeClosure;
struct Userdata;
struct Thread;
struct Proto;
struct UpVal;

enum class Tag : uint8_t {
  Nil,
  False,
  True,
  Integer,
  Float,
  LightUserdata,
  LightNative,
  // collectable from here on
  String,
  Table,
  LuaClosure,
  NativeClosure,
  Userdata,
  Thread,
  Proto,   // never in a Lua-visible value; objects of these kinds have this tag in their header
  UpVal,
  DeadKey,
};

inline constexpr int kTagCount = static_cast<int>(Tag::DeadKey) + 1;

struct Value {
  union {
    int64_t i;
    double n;
    GcObject* gc;
    void* p;
    NativeFunction f;
  };
  Tag tag;

  constexpr Value() : i(0), tag(Tag::Nil) {}

  static Value nil() { return Value(); }
  static Value boolean(bool b) {
    Value v;
    v.tag = b ? Tag::True : Tag::False;
    return v;
  }
  static Value integer(int64_t x) {
    Value v;
    v.i = x;
    v.tag = Tag::Integer;
    return v;
  }
  static Value number(double x) {
    Value v;
    v.n = x;
    v.tag = Tag::Float;
    return v;
  }
  static Value lightUserdata(void* p) {
    Value v;
    v.p = p;
    v.tag = Tag::LightUserdata;
    return v;
  }
  static Value lightNative(NativeFunction f) {
    Value v;
    v.f = f;
    v.tag = Tag::LightNative;
    return v;
  }
  static Value object(GcObject* o, Tag t) {
    Value v;
    v.gc = o;
    v.tag = t;
    return v;
  }
  inline static Value string(String* s);
  inline static Value table(Table* t);
  inline static Value thread(Thread* t);

  bool isNil() const { return tag == Tag::Nil; }
  bool isFalsy() const { return tag <= Tag::False; }
  bool isTruthy() const { return tag > Tag::False; }
  bool isBoolean() const { return tag == Tag::False || tag == Tag::True; }
  bool isInteger() const { return tag == Tag::Integer; }
  bool isFloat() const { return tag == Tag::Float; }
  bool isNumber() const { return tag == Tag::Integer || tag == Tag::Float; }
  bool isString() const { return tag == Tag::String; }
  bool isTable() const { return tag == Tag::Table; }
  bool isCollectable() const { return tag >= Tag::String; }
  bool isFunction() const {
    return tag == Tag::LuaClosure || tag == Tag::NativeClosure || tag == Tag::LightNative;
  }
  bool isLuaClosure() const { return tag == Tag::LuaClosure; }

  String* asString() const { return reinterpret_cast<String*>(gc); }
  Table* asTable() const { return reinterpret_cast<Table*>(gc); }
  LuaClosure* asLuaClosure() const { return reinterpret_cast<LuaClosure*>(gc); }
  NativeClosure* asNativeClosure() const { return reinterpret_cast<NativeClosure*>(gc); }
  Userdata* asUserdata() const { return reinterpret_cast<Userdata*>(gc); }
  Thread* asThread() const { return reinterpret_cast<Thread*>(gc); }

  // The number as a double (integer or float); only valid when isNumber().
  double toDouble() const { return tag == Tag::Integer ? static_cast<double>(i) : n; }
};

static_assert(sizeof(Value) == 16, "a Value is a payload and a tag");

Value Value::string(String* s) { return object(reinterpret_cast<GcObject*>(s), Tag::String); }
Value Value::table(Table* t) { return object(reinterpret_cast<GcObject*>(t), Tag::Table); }
Value Value::thread(Thread* t) { return object(reinterpret_cast<GcObject*>(t), Tag::Thread); }

// The Lua type of a tag, as the API reports it.
constexpr Type typeOfTag(Tag tag) {
  switch (tag) {
    case Tag::Nil: return Type::Nil;
    case Tag::False:
    case Tag::True: return Type::Boolean;
    case Tag::Integer:
    case Tag::Float: return Type::Number;
    case Tag::LightUserdata: return Type::LightUserdata;
    case Tag::LightNative:
    case Tag::LuaClosure:
    case Tag::NativeClosure: return Type::Function;
    case Tag::String: return Type::String;
    case Tag::Table: return Type::Table;
    case Tag::Userdata: return Type::Userdata;
    case Tag::Thread: return Type::Thread;
    default: return Type::None;
  }
}

}  // namespace lunette
