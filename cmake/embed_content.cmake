# Generates a C++ source holding every content/*.json file as a string, so the
# engine needs no file I/O at run time. Invoked at build time with
#   -DCONTENT_DIR=... -DOUT_DIR=...
file(GLOB files RELATIVE "${CONTENT_DIR}" "${CONTENT_DIR}/*.json")
list(SORT files)
set(body "")
set(count 0)
foreach(f IN LISTS files)
  file(READ "${CONTENT_DIR}/${f}" text)
  # Split into chunks: some compilers limit the length of one string literal.
  string(LENGTH "${text}" len)
  set(pieces "")
  set(pos 0)
  while(pos LESS len)
    string(SUBSTRING "${text}" ${pos} 8000 chunk)
    string(APPEND pieces "R\"mtorc0ntent(${chunk})mtorc0ntent\"\n")
    math(EXPR pos "${pos} + 8000")
  endwhile()
  string(APPEND body "  {\"${f}\", std::string_view(\n${pieces})},\n")
  math(EXPR count "${count} + 1")
endforeach()
set(out "// Generated from content/ by cmake/embed_content.cmake. Do not edit.\n#include \"content_data.hpp\"\nnamespace mtorcalc::content {\nconst EmbeddedFile embedded_files[] = {\n${body}};\nconst std::size_t embedded_file_count = ${count};\n}\n")
file(WRITE "${OUT_DIR}/content_data.cpp.tmp" "${out}")
file(COPY_FILE "${OUT_DIR}/content_data.cpp.tmp" "${OUT_DIR}/content_data.cpp" ONLY_IF_DIFFERENT)
