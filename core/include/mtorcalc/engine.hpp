// mtorcalc — the engine's whole public surface (contract mtor-calc/1).
//
// One pure function: request text in, response text out. It never throws,
// aborts or reads the clock, the network or a file, so the same bytes come
// back natively, under Node and in the browser.
#pragma once

#include <string>
#include <string_view>

namespace mtorcalc {

/// Evaluates one mtor-calc/1 request. Malformed or invalid input yields a
/// well-formed `invalid_request` response with every error located.
[[nodiscard]] std::string evaluate(std::string_view request_text) noexcept;

/// The engine and content versions, e.g. "mtorcalc 0.1.0 (content 2026.11.26-1a2b3c4d)".
[[nodiscard]] std::string version() noexcept;

/// The embedded clinical content (references, rules) as JSON text, for the
/// page's About and references panels and for the traceability script.
[[nodiscard]] std::string content_json() noexcept;

}  // namespace mtorcalc
