// A small-block allocator for response trees.
//
// An answer's tree is a few thousand small allocations (object and array
// buffers, the string and container objects of each node) made and freed
// within one evaluation. After the first evaluation they come from per-thread
// free lists, one per 16-byte size class up to 256 bytes, instead of the
// general allocator: in the profile of issue 7 malloc and free were a quarter
// of an evaluation. Larger blocks go to operator new.
//
// Under AddressSanitizer the pool is off, so that every block is checked.
#pragma once

#include <cstddef>
#include <new>

namespace mtorcalc {
namespace pool {

[[nodiscard]] void* allocate(std::size_t bytes);
void deallocate(void* block, std::size_t bytes) noexcept;

/// Whether blocks are pooled (false under AddressSanitizer).
[[nodiscard]] bool active() noexcept;

}  // namespace pool

/// A stateless allocator drawing on the pool; all instances are equal.
template <class T>
struct PoolAllocator {
  using value_type = T;

  PoolAllocator() noexcept = default;
  template <class U>
  PoolAllocator(const PoolAllocator<U>&) noexcept {}

  [[nodiscard]] T* allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    return static_cast<T*>(pool::allocate(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t n) noexcept { pool::deallocate(p, n * sizeof(T)); }

  template <class U>
  bool operator==(const PoolAllocator<U>&) const noexcept {
    return true;
  }
  template <class U>
  bool operator!=(const PoolAllocator<U>&) const noexcept {
    return false;
  }
};

}  // namespace mtorcalc
