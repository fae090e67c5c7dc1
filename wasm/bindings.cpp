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
}  // namespace

EMSCRIPTEN_BINDINGS(mtorcalc) {
  emscripten::function("evaluate", &evaluate_text);
  emscripten::function("version", &version_text);
  emscripten::function("content", &content_text);
}
