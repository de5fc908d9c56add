// The semaphore table walk (runtime/semaphores.cc): go goroutines
// --blocked-on's treap of sudogs. Input: a memory image (fuzz_input.h) whose
// first region holds runtime.semtable's bytes (the first of its 8 roots'
// treap pointers at offset 8, one root per 64 bytes); the sudogs are
// anywhere in the other regions. The layout is go1.26's runtime.sudog (elem
// a maybeTraceablePtr) when the selector's low bit is set, else the
// unsafe.Pointer elem of go1.19–go1.25. The walk must end within its node
// cap, with its warnings capped, whatever the links.
#include "errors.h"
#include "fuzz_input.h"
#include "runtime/semaphores.h"

using namespace gomapdbg;

namespace {

const GoType* semtable(bool traceable_elem) {
  test::TypeArena& types = fuzz::Menu::get().arena();
  const GoType* word = types.uintptr();
  const GoType* unsafe_ptr = types.basic(GoKind::UnsafePointer, 8, "unsafe.Pointer");
  const GoType* elem = traceable_elem ? types.structure("runtime.maybeTraceablePtr",
                                                        {{"vp", unsafe_ptr}, {"vu", word}})
                                      : unsafe_ptr;
  // go1.19–go1.27 runtime.sudog up to waittail (acquiretime, releasetime,
  // ticket, isSelect, success, waiters between elem and parent).
  const GoType* sudog = types.structure("runtime.sudog", {{"g", word},
                                                          {"next", word},
                                                          {"prev", word},
                                                          {"elem", elem},
                                                          {"acquiretime", types.int64()},
                                                          {"releasetime", types.int64()},
                                                          {"ticket", types.uint32()},
                                                          {"parent", word},
                                                          {"waitlink", word},
                                                          {"waittail", word}});
  const GoType* root =
      types.structure("runtime.semaRoot",
                      {{"lock", word}, {"treap", types.pointer(sudog)}, {"nwait", types.uint32()}});
  const GoType* entry =
      types.structure("", {{"root", root}, {"pad", types.array(types.uint8(), 64 - root->size)}});
  return types.array(entry, 8);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const GoType* tables[2] = {semtable(false), semtable(true)};
  fuzz::Image image;
  if (!fuzz::parse_image(data, size, image)) return 0;
  const GoType* table = tables[image.selector & 1];
  std::vector<uint8_t> bytes(table->size);
  image.memory.read(image.first, bytes.data(), bytes.size());  // a short table reads as zeros
  Memory memory(image.memory);
  SemaWaiters w = walk_semaphore_table(memory, *table, bytes);
  if (w.waiters.size() > kMaxSemaWaiters || w.warnings.size() > 16) __builtin_trap();
  return 0;
}
