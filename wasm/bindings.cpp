// The thin Embind layer: the same three functions as the native engine.
// Nothing here throws into JavaScript: evaluate() is noexcept and answers
// every input with a response. JavaScript calls it through one function,
// web/engine-call.js, which refuses non-text, oversized and ill-formed
// UTF-16 requests before Embind copies them into this module's memory.
#include <emscripten/bind.h>

#include <string>

#include "mtorcalc/engine.hpp"

namespace {
std::string evaluate_text(const std::string& request) {
  return mtorcalc::evaluate(request);
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
  emscripten::function("version", &version_text);
  emscripten::function("content", &content_text);
  emscripten::function("content_view", &content_view);
}
