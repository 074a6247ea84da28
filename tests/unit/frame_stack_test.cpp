// FrameStack (vm/thread.h): frames stay in place and in order while the stack goes up and down
// across its chunk boundaries, the way a recursion oscillating around one (Ackermann's) does.
#include <gtest/gtest.h>

#include <initializer_list>
#include <vector>

#include "vm/state.h"
#include "vm/thread.h"

namespace lunette {
namespace {

// Pushes a frame whose func is `mark`; returns its address.
CallInfo* pushMarked(FrameStack& frames, int mark) {
  CallInfo* frame;
  frames.pushUninitialized(frame);
  *frame = CallInfo();
  frame->func = mark;
  return frame;
}

// Every frame below the top holds the mark it was pushed with, at the address it was pushed to.
void expectIntact(FrameStack& frames, const std::vector<CallInfo*>& addresses) {
  ASSERT_EQ(frames.size(), addresses.size());
  for (size_t i = 0; i < addresses.size(); ++i) {
    EXPECT_EQ(&frames[i], addresses[i]) << "frame " << i;
    EXPECT_EQ(frames[i].func, static_cast<int>(i)) << "frame " << i;
  }
  if (!addresses.empty()) EXPECT_EQ(&frames.back(), addresses.back());
  if (addresses.size() >= 2) EXPECT_EQ(frames.belowBack(), addresses[addresses.size() - 2]);
}

// Pushes 40 frames, then oscillates around each chunk boundary in `boundaries` (from the top)
// and goes below it, checking every frame after each step.
void expectFramesStayInPlaceAcross(FrameStack& frames, std::initializer_list<int> boundaries) {
  std::vector<CallInfo*> addresses;
  auto push = [&] { addresses.push_back(pushMarked(frames, static_cast<int>(addresses.size()))); };
  auto pop = [&] {
    frames.pop_back();
    addresses.pop_back();
  };
  for (int i = 0; i < 40; ++i) push();
  expectIntact(frames, addresses);
  for (int boundary : boundaries) {
    while (static_cast<int>(addresses.size()) > boundary + 1) pop();
    for (int round = 0; round < 3; ++round) {
      pop();
      pop();
      expectIntact(frames, addresses);
      push();
      push();
      expectIntact(frames, addresses);
    }
  }
  while (!addresses.empty()) pop();
  EXPECT_TRUE(frames.empty());
  for (int i = 0; i < 20; ++i) push();  // the kept storage is used again, chunk by chunk
  expectIntact(frames, addresses);
}

TEST(FrameStack, FramesStayInPlaceWhileTheStackCrossesChunkBoundariesUpAndDown) {
  FrameStack frames;  // chunks [0,3) [3,8) [8,16) [16,32) [32,64)
  expectFramesStayInPlaceAcross(frames, {32, 16, 8, 3});
}

TEST(FrameStack, FramesStayInPlaceAcrossTheWideFirstChunksBoundaries) {
  FrameStack frames;  // chunks [0,8) [8,16) [16,32) [32,64)
  frames.useWideFirstChunk();
  expectFramesStayInPlaceAcross(frames, {32, 16, 8});
}

// The main thread's first chunk holds eight frames: a function called from the main chunk
// that calls a native (or a native calling a Lua comparator) stays in it, pushed by the fast
// path without a chunk switch. A coroutine's first chunk stays at three frames.
TEST(FrameStack, MainThreadPushesItsFirstEightFramesWithoutAChunkSwitch) {
  State S;
  FrameStack& main = S.mainThread->calls;
  ASSERT_EQ(main.size(), 1u);  // the base frame
  CallInfo* frame = nullptr;
  while (main.size() < 8) ASSERT_TRUE(main.tryPushFast(frame)) << "frame " << main.size();
  EXPECT_FALSE(main.tryPushFast(frame));
  EXPECT_EQ(main.capacityBytes(), 8 * sizeof(CallInfo));
  Thread* co = S.newThread();
  EXPECT_EQ(co->calls.capacityBytes(), 3 * sizeof(CallInfo));
  main.resize(1);
}

// A Lua call pushes with tryPushFast, whose one compare is also the frame-limit check: it
// declines at kMaxCallFrames frames (the caller then checks the limit itself), while a push
// that does not check (a native's, a message handler's) still goes past.
TEST(FrameStack, TryPushFastDeclinesAtTheFrameLimitAndPushUninitializedGoesPast) {
  FrameStack frames;
  CallInfo* frame = nullptr;
  EXPECT_FALSE(frames.tryPushFast(frame));  // empty: the first chunk is entered by the slow path
  while (frames.size() < kMaxCallFrames) {
    if (!frames.tryPushFast(frame)) frames.pushUninitialized(frame);
  }
  EXPECT_FALSE(frames.tryPushFast(frame));
  EXPECT_EQ(frames.size(), kMaxCallFrames);
  frames.pushUninitialized(frame);
  EXPECT_EQ(frames.size(), kMaxCallFrames + 1);
  EXPECT_EQ(&frames.back(), frame);
  EXPECT_EQ(&frames[kMaxCallFrames], frame);
  frames.pop_back();
  frames.pop_back();
  EXPECT_TRUE(frames.tryPushFast(frame));  // the last frame below the limit
  EXPECT_EQ(frames.size(), kMaxCallFrames);
  EXPECT_FALSE(frames.tryPushFast(frame));
}

// resize() leaves the stack as if it had been pushed to that size: size(), back() and the fast
// push agree with it, and resize(0) empties it.
TEST(FrameStack, ResizeSetsTheSizeTheFastPushGoesOnFrom) {
  FrameStack frames;
  frames.resize(20);
  EXPECT_EQ(frames.size(), 20u);
  EXPECT_EQ(&frames.back(), &frames[19]);
  frames.resize(5);
  EXPECT_EQ(frames.size(), 5u);
  CallInfo* frame = nullptr;
  EXPECT_TRUE(frames.tryPushFast(frame));
  EXPECT_EQ(frame, &frames[5]);
  EXPECT_EQ(frames.size(), 6u);
  frames.resize(0);
  EXPECT_TRUE(frames.empty());
  EXPECT_EQ(frames.size(), 0u);
  EXPECT_FALSE(frames.tryPushFast(frame));
  frames.pushUninitialized(frame);
  EXPECT_EQ(&frames[0], frame);
  EXPECT_EQ(frames.size(), 1u);
}

}  // namespace
}  // namespace lunette
