// The native command line: `mtorcalc evaluate` (one request on stdin) and
// `mtorcalc evaluate --jsonl` (one request per line). All I/O lives here.
#include <cstddef>
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>

#include "../core/src/limits.hpp"
#include "mtorcalc/engine.hpp"

namespace {

int usage() {
  std::cerr << "usage: mtorcalc evaluate [--jsonl]   request(s) on stdin, response(s) on stdout\n"
               "       mtorcalc version\n"
               "       mtorcalc content                the embedded clinical content as JSON\n";
  return 64;
}

// Reading stops one byte past the engine's limit: the engine answers such a
// request with out_of_range without looking further, so a gigabyte on stdin
// costs no more memory or time than 256 KiB.
constexpr std::size_t read_cap = mtorcalc::limits::max_request_bytes + 1;

std::string read_request(std::istream& in) {
  std::string text(read_cap, '\0');
  in.read(text.data(), static_cast<std::streamsize>(read_cap));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

// One line of --jsonl input, kept up to read_cap bytes; the rest of an
// overlong line is skipped. False at the end of input.
bool read_line(std::istream& in, std::string& line) {
  line.clear();
  std::streambuf* buf = in.rdbuf();
  bool any = false;
  for (int c = buf->sbumpc(); c != std::char_traits<char>::eof(); c = buf->sbumpc()) {
    any = true;
    if (c == '\n') return true;
    if (line.size() < read_cap) line.push_back(static_cast<char>(c));
  }
  return any;
}

bool is_invalid(const std::string& response) {
  return response.find("\"status\":\"invalid_request\"") != std::string::npos;
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  if (argc < 2) return usage();
  std::string_view cmd = argv[1];
  if (cmd == "version") {
    std::cout << mtorcalc::version() << "\n";
    return 0;
  }
  if (cmd == "content") {
    std::cout << mtorcalc::content_json() << "\n";
    return 0;
  }
  if (cmd != "evaluate") return usage();
  bool jsonl = argc > 2 && std::string_view(argv[2]) == "--jsonl";
  if (argc > 3 || (argc == 3 && !jsonl)) return usage();

  if (jsonl) {
    std::string line;
    while (read_line(std::cin, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty()) continue;
      std::cout << mtorcalc::evaluate(line) << "\n";
    }
    std::cout.flush();
    return 0;
  }
  const std::string request = read_request(std::cin);
  std::string response = mtorcalc::evaluate(request);
  std::cout << response << "\n";
  std::cout.flush();
  return is_invalid(response) ? 2 : 0;
}
