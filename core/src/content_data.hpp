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
// Where a member of a file's top-level object (parent empty), or a member of
// one of those (parent = its key), lies in the file's text: [begin, end).
struct EmbeddedMember {
  std::size_t file;
  std::string_view parent;
  std::string_view key;
  std::size_t begin, end;
};
extern const EmbeddedMember embedded_members[];
extern const std::size_t embedded_member_count;
// FNV-1a over every file's name and text, in name order (8 hex digits).
extern const char embedded_content_hash[];
}  // namespace mtorcalc::content
