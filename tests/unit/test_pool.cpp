// The small-block pool behind response trees (core/src/pool.cpp).
#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <vector>

#include "json.hpp"
#include "pool.hpp"

namespace pool = mtorcalc::pool;

TEST_CASE("a freed block is reused for the next request of its size class") {
  void* a = pool::allocate(24);
  pool::deallocate(a, 24);
  void* b = pool::allocate(32);  // same 32-byte class
  if (pool::active()) CHECK(b == a);
  pool::deallocate(b, 32);
  void* c = pool::allocate(33);  // the next class up
  CHECK(c != nullptr);
  pool::deallocate(c, 33);
}

TEST_CASE("sizes at the edges of the pool: zero, the largest class, beyond it") {
  for (std::size_t bytes :
       {std::size_t{0}, std::size_t{1}, std::size_t{16}, std::size_t{17}, std::size_t{255},
        std::size_t{256}, std::size_t{257}, std::size_t{4096}}) {
    auto* p = static_cast<unsigned char*>(pool::allocate(bytes));
    REQUIRE(p != nullptr);
    for (std::size_t i = 0; i < bytes; ++i) p[i] = static_cast<unsigned char>(i);
    for (std::size_t i = 0; i < bytes; ++i) CHECK(p[i] == static_cast<unsigned char>(i));
    pool::deallocate(p, bytes);
  }
  pool::deallocate(nullptr, 8);  // a no-op, as for delete
}

TEST_CASE("blocks cross threads: made on one, freed on another after it ended") {
  std::vector<void*> made;
  std::thread maker([&] {
    for (int i = 0; i < 100; ++i) made.push_back(pool::allocate(48));
    // Some freed here, so the thread ends with spare blocks to return.
    for (int i = 0; i < 50; ++i) pool::deallocate(made[static_cast<std::size_t>(i)], 48);
  });
  maker.join();
  for (std::size_t i = 50; i < made.size(); ++i) pool::deallocate(made[i], 48);
}

TEST_CASE("response trees built on the pool hold and release their values") {
  using mtorcalc::ojson;
  for (int round = 0; round < 3; ++round) {
    ojson tree = ojson::object();
    for (int i = 0; i < 200; ++i) {
      ojson item = {{"code", "c" + std::to_string(i)},
                    {"text", std::string(static_cast<std::size_t>(i % 40), 'x')},
                    {"refs", {"r1", "r2"}}};
      tree["items"].push_back(std::move(item));
    }
    REQUIRE(tree["items"].size() == 200);
    CHECK(tree["items"][199]["code"] == "c199");
    CHECK(tree["items"][39]["text"].get<std::string>().size() == 39);
    ojson copy = tree;
    CHECK(copy == tree);
  }
}
