// The thin Embind layer: the same three functions as the native engine.
// Nothing here throws into JavaScript: evaluate() is noexcept and answers
// every input with a response.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>

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
emscripten::val evaluate_view(const std::string& request) {
  last_answer = mtorcalc::evaluate(request);
  return emscripten::val(emscripten::typed_memory_view(
      last_answer.size(), reinterpret_cast<const unsigned char*>(last_answer.data())));
}
std::string version_text() {
  return mtorcalc::version();
}
std::string content_text() {
  return mtorcalc::content_json();
}
}  // namespace

EMSCRIPTEN_BINDINGS(mtorcalc) {
  emscripten::function("evaluate", &evaluate_text);
  emscripten::function("evaluate_view", &evaluate_view);
  emscripten::function("version", &version_text);
  emscripten::function("content", &content_text);
}
