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
// FNV-1a over every file's name and text, in name order (8 hex digits).
extern const char embedded_content_hash[];
}  // namespace mtorcalc::content
