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

}  // namespace
}  // namespace lunette
