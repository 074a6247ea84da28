// Tables: array/hash placement, normalised float keys, borders, iteration, accounting.
#include <gtest/gtest.h>

#include "vm/state.h"
#include "vm/table.h"

namespace lunette {
namespace {

TEST(Table, IntegerKeysFillTheArrayPart) {
  State S;
  Table* t = newTable(S);
  for (int64_t i = 1; i <= 100; ++i) t->setInt(S, i, Value::integer(i * 10));
  EXPECT_GE(t->arraySize, 64u);
  EXPECT_EQ(t->getInt(37)->i, 370);
  EXPECT_EQ(t->length(), 100u);
}

TEST(Table, FloatKeysWithIntegerValuesAreIntegerKeys) {
  State S;
  Table* t = newTable(S);
  t->set(S, Value::number(3.0), Value::integer(7));
  EXPECT_EQ(t->getInt(3)->i, 7);
  EXPECT_EQ(t->get(Value::integer(3))->i, 7);
  t->set(S, Value::number(2.5), Value::integer(9));
  EXPECT_EQ(t->get(Value::number(2.5))->i, 9);
  EXPECT_TRUE(t->getInt(2)->isNil());
}

TEST(Table, StringKeysAreFoundByContent) {
  State S;
  Table* t = newTable(S);
  t->set(S, Value::string(S.newString("alpha")), Value::integer(1));
  std::string longKey(100, 'x');
  t->set(S, Value::string(S.newString(longKey)), Value::integer(2));
  EXPECT_EQ(t->getString(S.newString("alpha"))->i, 1);
  EXPECT_EQ(t->get(Value::string(S.newString(longKey)))->i, 2);
}

TEST(Table, BorderSkipsTrailingNils) {
  State S;
  Table* t = newTable(S);
  for (int64_t i = 1; i <= 10; ++i) t->setInt(S, i, Value::boolean(true));
  t->setInt(S, 10, Value());
  EXPECT_EQ(t->length(), 9u);
  Table* empty = newTable(S);
  EXPECT_EQ(empty->length(), 0u);
}

TEST(Table, NextVisitsEveryLiveEntryOnce) {
  State S;
  Table* t = newTable(S);
  for (int64_t i = 1; i <= 5; ++i) t->setInt(S, i, Value::integer(i));
  for (int i = 0; i < 20; ++i)
    t->set(S, Value::string(S.newString("k" + std::to_string(i))), Value::integer(i));
  t->set(S, Value::string(S.newString("k3")), Value());  // cleared during no traversal
  Value key, value;
  int count = 0;
  while (t->next(S, key, value)) ++count;
  EXPECT_EQ(count, 5 + 19);
}

TEST(Table, ClearingAnEntryDuringTraversalKeepsNextWorking) {
  State S;
  Table* t = newTable(S);
  for (int i = 0; i < 50; ++i)
    t->set(S, Value::string(S.newString("k" + std::to_string(i))), Value::integer(i));
  Value key, value;
  int count = 0;
  while (t->next(S, key, value)) {
    t->set(S, key, Value());  // allowed by the manual: assigning nil to an existing field
    ++count;
  }
  EXPECT_EQ(count, 50);
}

TEST(Table, BytesAreChargedToTheTableKind) {
  State S;
  size_t before = S.collector.bytesByKind[static_cast<size_t>(Tag::Table)];
  Table* t = newTable(S);
  for (int64_t i = 1; i <= 1000; ++i) t->setInt(S, i, Value::integer(i));
  size_t after = S.collector.bytesByKind[static_cast<size_t>(Tag::Table)];
  EXPECT_EQ(after - before, t->bytes());
}

Value key(State& S, const char* name) { return Value::string(S.newString(name)); }

TEST(Table, ARecordConstructorsHashPartSitsRightAfterItsHeader) {
  State S;
  size_t before = S.collector.bytesByKind[static_cast<size_t>(Tag::Table)];
  Table* record = newTable(S, 0, 2);  // {x = ..., y = ...}
  EXPECT_TRUE(record->hashIsInline());
  EXPECT_EQ(reinterpret_cast<char*>(record->hash), reinterpret_cast<char*>(record) + sizeof(Table));
  EXPECT_EQ(record->hashCapacity(), 2u);
  EXPECT_EQ(record->inlineHashRoom(), 2u);
  record->set(S, key(S, "x"), Value::integer(1));
  record->set(S, key(S, "y"), Value::integer(2));
  EXPECT_TRUE(record->hashIsInline());  // two fields fill it without a rehash
  EXPECT_EQ(S.collector.bytesByKind[static_cast<size_t>(Tag::Table)] - before, record->bytes());
  EXPECT_EQ(record->bytes(), sizeof(Table) + 2 * sizeof(Node));

  Table* single = newTable(S, 0, 1);  // {x = ...}: room for what it asked, no more
  EXPECT_TRUE(single->hashIsInline());
  EXPECT_EQ(single->bytes(), sizeof(Table) + sizeof(Node));
  Table* triple = newTable(S, 0, 3);  // {x = ..., y = ..., z = ...}
  EXPECT_TRUE(triple->hashIsInline());
  EXPECT_EQ(triple->bytes(), sizeof(Table) + 4 * sizeof(Node));

  Table* empty = newTable(S);  // `{}` and big constructors keep their parts apart
  EXPECT_EQ(empty->inlineHashRoom(), 0u);
  EXPECT_EQ(empty->bytes(), sizeof(Table));
  Table* big = newTable(S, 0, 5);
  EXPECT_FALSE(big->hashIsInline());
}

TEST(Table, ARecordThatOutgrowsItsInlineHashPartMovesItAndKeepsEveryField) {
  State S;
  size_t before = S.collector.bytesByKind[static_cast<size_t>(Tag::Table)];
  Table* record = newTable(S, 0, 1);
  EXPECT_TRUE(record->hashIsInline());
  const char* names[] = {"a", "b", "c", "d", "e", "f", "g"};
  for (int i = 0; i < 7; ++i) record->set(S, key(S, names[i]), Value::integer(i));
  EXPECT_FALSE(record->hashIsInline());
  EXPECT_EQ(record->inlineHashRoom(), 1u);  // the room stays the table's
  for (int i = 0; i < 7; ++i) EXPECT_EQ(record->get(key(S, names[i]))->i, i);
  // The block's room still counts, beside the hash part of its own.
  EXPECT_EQ(S.collector.bytesByKind[static_cast<size_t>(Tag::Table)] - before, record->bytes());
  EXPECT_EQ(record->bytes(), sizeof(Table) + sizeof(Node) + record->hashCapacity() * sizeof(Node));

  // Emptied and rehashed down, the fields fit the inline room again.
  for (int i = 1; i < 7; ++i) record->set(S, key(S, names[i]), Value());
  record->resize(S, 0, 1);
  EXPECT_TRUE(record->hashIsInline());
  EXPECT_EQ(record->get(key(S, "a"))->i, 0);
  EXPECT_TRUE(record->get(key(S, "b"))->isNil());
  EXPECT_EQ(S.collector.bytesByKind[static_cast<size_t>(Tag::Table)] - before, record->bytes());
}

TEST(Table, CollectingRecordsReturnsEveryByteTheyTook) {
  State S;
  S.collector.fullCollect(S);
  size_t before = S.collector.heapBytes;
  for (int i = 0; i < 100; ++i) {
    Table* t = newTable(S, i % 3, 1 + i % 4);
    if (i % 4 == 0)  // some outgrow their inline part
      for (int64_t k = 100; k < 110; ++k) t->set(S, Value::integer(k), Value::integer(k));
  }
  EXPECT_GT(S.collector.heapBytes, before + 100 * sizeof(Table));
  S.collector.fullCollect(S);
  EXPECT_EQ(S.collector.heapBytes, before);
}

}  // namespace
}  // namespace lunette
