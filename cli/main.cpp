// The native command line: `mtorcalc evaluate` (one request on stdin) and
// `mtorcalc evaluate --jsonl` (one request per line). All I/O lives here.
#include <cstdio>
#include <iostream>
#include <iterator>
#include <string>
#include <string_view>

#include "mtorcalc/engine.hpp"

namespace {

int usage() {
  std::cerr << "usage: mtorcalc evaluate [--jsonl]   request(s) on stdin, response(s) on stdout\n"
               "       mtorcalc version\n"
               "       mtorcalc content                the embedded clinical content as JSON\n";
  return 64;
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
    while (std::getline(std::cin, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty()) continue;
      std::cout << mtorcalc::evaluate(line) << "\n";
    }
    std::cout.flush();
    return 0;
  }
  std::string request((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  std::string response = mtorcalc::evaluate(request);
  std::cout << response << "\n";
  std::cout.flush();
  return is_invalid(response) ? 2 : 0;
}
