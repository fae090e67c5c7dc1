#include "pool.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define MTORCALC_POOL_OFF 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MTORCALC_POOL_OFF 1
#endif
#endif

namespace mtorcalc::pool {

#ifdef MTORCALC_POOL_OFF

bool active() noexcept {
  return false;
}

void* allocate(std::size_t bytes) {
  return ::operator new(bytes);
}

void deallocate(void* block, std::size_t) noexcept {
  ::operator delete(block);
}

#else

namespace {

constexpr std::size_t kGranule = 16;
constexpr std::size_t kClasses = 16;  // blocks of 16, 32, ... 256 bytes

struct FreeBlock {
  FreeBlock* next;
};

// Trivially destructible, so a block freed while the thread ends (a static
// tree destroyed late) still finds them; `retired` then sends it to delete.
thread_local FreeBlock* free_lists[kClasses] = {};
thread_local bool retired = false;

// Returns the thread's spare blocks when the thread ends. Only free blocks
// are on the lists, so none of them is in use.
struct Retire {
  ~Retire() {
    retired = true;
    for (FreeBlock*& head : free_lists) {
      while (head) {
        FreeBlock* next = head->next;
        ::operator delete(head);
        head = next;
      }
    }
  }
};

std::size_t size_class(std::size_t bytes) {
  return bytes == 0 ? 0 : (bytes - 1) / kGranule;
}

}  // namespace

bool active() noexcept {
  return true;
}

void* allocate(std::size_t bytes) {
  const std::size_t c = size_class(bytes);
  if (c < kClasses && !retired) {
    if (FreeBlock* b = free_lists[c]) {
      free_lists[c] = b->next;
      return b;
    }
    thread_local Retire retire;  // registers the clean-up on first use
    (void)retire;
    return ::operator new((c + 1) * kGranule);
  }
  return ::operator new(bytes);
}

void deallocate(void* block, std::size_t bytes) noexcept {
  if (!block) return;
  const std::size_t c = size_class(bytes);
  if (c < kClasses && !retired) {
    auto* b = static_cast<FreeBlock*>(block);
    b->next = free_lists[c];
    free_lists[c] = b;
    return;
  }
  ::operator delete(block);
}

#endif

}  // namespace mtorcalc::pool
