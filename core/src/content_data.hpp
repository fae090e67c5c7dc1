// The embedded content files (generated source: content_data.cpp).
#pragma once

#include <cstddef>
#include <string_view>

namespace mtorcalc::content {
struct EmbeddedFile {
  const char* name;
  std::string_view text;
};
extern const EmbeddedFile embedded_files[];
extern const std::size_t embedded_file_count;
}  // namespace mtorcalc::content
