// kobai/report/playground_page.hpp — writes the browser playground: one self-contained HTML page.
//
//   kobai::report::write_playground("playground.html");
//
// The page runs kobai's own engine, compiled to WebAssembly (bindings/wasm/), so it computes with
// the same code as the command line; it opens from disk with no network. It is assembled from
// files the build makes (the CMake target kobai_playground, when Emscripten is present) and
// Plotly (web/node_modules, as for reports):
//   kobai_engine.js   the engine (Emscripten output, the WebAssembly inside: SINGLE_FILE)
//   playground.js     the page's modules (web/src/), linted and bundled
//   playground.css    its styles
// found as web_assets.hpp says (KOBAI_PLAYGROUND_DIR, then the build's <build>/web).
//
// Every piece is embedded as the text of a <script>/<style> element; "</script" inside the text is
// escaped so it cannot end the element early. The page is written to a temporary file and renamed
// (nothing half-written is left on error).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "kobai/report/history_writer.hpp"  // FileWriteError
#include "kobai/report/plotly_asset.hpp"
#include "kobai/report/web_assets.hpp"

namespace kobai::report {


struct PlaygroundOptions {
  std::string title = "kobai playground";
  // The page's state on opening, as the URL fragment the page itself writes ("" = its defaults).
  std::string initial_state{};
};

// The page's HTML (see the header comment for where its parts come from).
inline std::string playground_html(const PlaygroundOptions& options = {}) {
  const std::filesystem::path dir =
      find_web_asset_directory({"kobai_engine.js", "playground.js", "playground.css"}, "the playground");
  const std::string engine = detail::read_text_file(dir / "kobai_engine.js");
  const std::string script = detail::read_text_file(dir / "playground.js");
  const std::string style = detail::read_text_file(dir / "playground.css");
  const std::string plotly = find_plotly_js();
  const std::string plotly_3d = find_plotly_3d_js();

  std::string html;
  html.reserve(engine.size() + script.size() + plotly.size() + plotly_3d.size() + 4096);
  html += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
  for (char c : options.title) html += c == '<' ? std::string("&lt;") : c == '&' ? std::string("&amp;") : std::string(1, c);
  html += "</title>\n<style>\n" + detail::escape_script_end(style) + "\n</style>\n</head>\n<body>\n";
  html += "<div id=\"app\"></div>\n";
  // The initial state travels as inert JSON text; the page prefers the URL's when it has one.
  html += "<script type=\"application/json\" id=\"kobai-initial-state\">" +
          detail::escape_script_end(options.initial_state) + "</script>\n";
  html += "<script>\n" + detail::escape_script_end(plotly) + "\n</script>\n";
  // Plotly's 3-D bundle and the engine are also needed as text: the first for drawing the surface
  // only when asked (it costs ~0.5 s to run), the second to start Web Workers from a Blob.
  html += "<script type=\"text/plain\" id=\"kobai-plotly-3d\">\n" + detail::escape_script_end(plotly_3d) +
          "\n</script>\n";
  html += "<script id=\"kobai-engine\">\n" + detail::escape_script_end(engine) + "\n</script>\n";
  html += "<script>\n" + detail::escape_script_end(script) + "\n</script>\n</body>\n</html>\n";
  return html;
}

// Writes the page to `path` (atomically: a temporary file renamed into place).
inline void write_playground(const std::filesystem::path& path, const PlaygroundOptions& options = {}) {
  const std::string html = playground_html(options);
  std::filesystem::path temporary = path;
  temporary += ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw FileWriteError("cannot write '" + path.string() + "'");
    out << html;
    out.close();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(temporary, ignored);
      throw FileWriteError("cannot write '" + path.string() + "'");
    }
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::filesystem::remove(temporary, ec);
    throw FileWriteError("cannot write '" + path.string() + "'");
  }
}

}  // namespace kobai::report
