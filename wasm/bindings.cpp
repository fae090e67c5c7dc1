// The thin Embind layer: the same three functions as the native engine.
// Nothing here throws into JavaScript: evaluate() is noexcept and answers
// every input with a response.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <string>
#include <string_view>

#include "mtorcalc/engine.hpp"

namespace {
std::string evaluate_text(const std::string& request) {
  return mtorcalc::evaluate(request);
}
// The answer of the last evaluate_view() call, kept until the next call.
// JavaScript decodes it in place with one TextDecoder call; embind's own
// std::string return walks a 16 KB answer byte by byte in JavaScript, which
// was a tenth of an evaluation's time under Node (issue 7).
std::string last_answer;
emscripten::val answer_view() {
  return emscripten::val(emscripten::typed_memory_view(
      last_answer.size(), reinterpret_cast<const unsigned char*>(last_answer.data())));
}
emscripten::val evaluate_view(const std::string& request) {
  last_answer = mtorcalc::evaluate(request);
  return answer_view();
}
// Room for a request's UTF-8 bytes, which JavaScript writes with one
// TextEncoder.encodeInto call; embind's std::string argument encodes the
// text character by character in JavaScript, a twentieth of an evaluation
// under Node (issue 7). JavaScript takes this path only for well-formed
// text of at most 65 536 UTF-16 units, so the room never exceeds 192 KiB;
// any other text goes through evaluate_view, which keeps a lone surrogate's
// bytes for the engine to refuse.
std::string request_room;
emscripten::val request_view(std::size_t capacity) {
  if (request_room.size() < capacity) request_room.resize(capacity);
  return emscripten::val(emscripten::typed_memory_view(
      capacity, reinterpret_cast<unsigned char*>(request_room.data())));
}
emscripten::val evaluate_written(std::size_t written) {
  const std::size_t n = std::min(written, request_room.size());
  last_answer = mtorcalc::evaluate(std::string_view(request_room.data(), n));
  return answer_view();
}
std::string version_text() {
  return mtorcalc::version();
}
std::string content_text() {
  return mtorcalc::content_json();
}
// The content JSON (about 190 KB), made on first request and kept: the page
// decodes it where it lies with one TextDecoder call, where content()'s
// std::string return walks every byte in JavaScript.
emscripten::val content_view() {
  static const std::string text = mtorcalc::content_json();
  return emscripten::val(emscripten::typed_memory_view(
      text.size(), reinterpret_cast<const unsigned char*>(text.data())));
}
}  // namespace

EMSCRIPTEN_BINDINGS(mtorcalc) {
  emscripten::function("evaluate", &evaluate_text);
  emscripten::function("evaluate_view", &evaluate_view);
  emscripten::function("request_view", &request_view);
  emscripten::function("evaluate_written", &evaluate_written);
  emscripten::function("version", &version_text);
  emscripten::function("content", &content_text);
  emscripten::function("content_view", &content_view);
}
