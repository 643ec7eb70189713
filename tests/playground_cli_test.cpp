// Tests of `kobai playground`: the page it writes (self-contained, the initial state from the
// options) and its errors (exit code 2 naming the bad value, no file left). The page's behaviour in
// a browser is tests/playground_browser.cmake's.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "support/cli_runner.hpp"

#ifndef KOBAI_EXE
#error "KOBAI_EXE (the path of the built kobai program) must be defined"
#endif

namespace {

namespace fs = std::filesystem;

using kobai_test::Output;
using kobai_test::slurp;
using kobai_test::TempDir;

Output kobai(const std::string& arguments, const std::string& environment = "") {
  return kobai_test::run_shell(environment + " " + std::string(KOBAI_EXE) + " " + arguments);
}

// The text of the element <script ... id="ID">…</script>.
std::string script_text(const std::string& html, const std::string& id) {
  const std::size_t at = html.find("id=\"" + id + "\"");
  if (at == std::string::npos) return {};
  const std::size_t begin = html.find('>', at) + 1;
  return html.substr(begin, html.find("</script>", begin) - begin);
}

// Skips when this build has no playground (no Emscripten): the command then says so, exit 3.
#define SKIP_WITHOUT_PLAYGROUND(output)                                                         \
  if ((output).code == 3 && (output).err.find("were not found") != std::string::npos)          \
  GTEST_SKIP() << "kobai was built without the playground: " << (output).err

TEST(PlaygroundCommand, WritesOneSelfContainedPageWithTheInitialState) {
  TempDir dir;
  const fs::path page = dir.path() / "beale.html";
  const Output o = kobai("playground " + page.string() +
                         " --function beale --optimizers gd,adam --start 1,1.5 --iterations 500");
  SKIP_WITHOUT_PLAYGROUND(o);
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("wrote"), std::string::npos);
  const std::string html = slurp(page);
  // every part embedded: the engine (with its WebAssembly inside), the bundle, Plotly
  EXPECT_NE(script_text(html, "kobai-engine").find("createKobaiEngine"), std::string::npos);
  EXPECT_NE(script_text(html, "kobai-engine").find("data:application/octet-stream;base64,"), std::string::npos);
  EXPECT_NE(html.find("id=\"kobai-plotly-3d\""), std::string::npos);
  EXPECT_GT(html.size(), 2'000'000U);
  // nothing loaded from elsewhere: no script or stylesheet by reference (the browser test also
  // watches the page's requests)
  EXPECT_EQ(html.find("<script src"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  // each <script> is closed by its own </script>: no embedded text ended one early
  std::size_t opened = 0, closed = 0;
  for (std::size_t p = html.find("<script"); p != std::string::npos; p = html.find("<script", p + 1)) ++opened;
  for (std::size_t p = html.find("</script>"); p != std::string::npos; p = html.find("</script>", p + 1)) ++closed;
  EXPECT_EQ(opened, closed);
  EXPECT_EQ(opened, 5U);  // initial state, Plotly, Plotly 3-D, engine, page script

  const auto state = nlohmann::json::parse(script_text(html, "kobai-initial-state"));
  EXPECT_EQ(state["problem"]["name"], "beale");
  EXPECT_EQ(state["start"], nlohmann::json::array({1.0, 1.5}));
  ASSERT_EQ(state["runs"].size(), 2U);
  EXPECT_EQ(state["runs"][0]["optimizer"], "gd");
  EXPECT_EQ(state["runs"][1]["optimizer"], "adam");
  EXPECT_EQ(state["stopping"]["max_iterations"], 500);
}

TEST(PlaygroundCommand, DefaultsToPlaygroundHtmlWithTheDefaultState) {
  TempDir dir;
  const Output o = kobai("playground", "cd " + dir.path().string() + " &&");
  SKIP_WITHOUT_PLAYGROUND(o);
  ASSERT_EQ(o.code, 0) << o.err;
  const std::string html = slurp(dir.path() / "playground.html");
  EXPECT_EQ(script_text(html, "kobai-initial-state"), "");  // the page's own defaults
}

TEST(PlaygroundCommand, TypedFunctionTravelsAsText) {
  TempDir dir;
  const fs::path page = dir.path() / "p.html";
  const Output o = kobai("playground " + page.string() + " --expr 'x^2 + y^2'");
  SKIP_WITHOUT_PLAYGROUND(o);
  ASSERT_EQ(o.code, 0) << o.err;
  const auto state = nlohmann::json::parse(script_text(slurp(page), "kobai-initial-state"));
  EXPECT_EQ(state["problem"]["expr"], "x^2 + y^2");
}

TEST(PlaygroundCommand, BadInputIsExitCodeTwoNamingTheValueAndWritesNothing) {
  const struct {
    std::string arguments, named;
  } cases[] = {
      {"p.txt", "p.txt"},
      {"no-such-directory/p.html", "no-such-directory"},
      {"p.html --function nosuch", "nosuch"},
      {"p.html --function rosenbrock --dimension 4", "dimension 4"},
      {"p.html --expr 'x + y + z'", "dimension 3"},
      {"p.html --optimizers adam,nosuch", "nosuch"},
      {"p.html --function beale --start 1,2,3", "must have 2 numbers"},
      {"p.html --start 1,2", "--start"},
      {"p.html --iterations 0", "--iterations"},
      {"p.html --function beale --expr 'x^2'", "both"},
  };
  for (const auto& c : cases) {
    TempDir dir;
    const Output o = kobai("playground " + c.arguments, "cd " + dir.path().string() + " &&");
    EXPECT_EQ(o.code, 2) << c.arguments << "\n" << o.err;
    EXPECT_NE(o.err.find(c.named), std::string::npos) << c.arguments << "\n" << o.err;
    EXPECT_TRUE(dir.empty()) << c.arguments;
  }
  // a mistyped function: the caret error, also exit code 2
  TempDir dir;
  const Output o = kobai("playground p.html --expr 'sin(x'", "cd " + dir.path().string() + " &&");
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.err.find('^'), std::string::npos) << o.err;
  EXPECT_TRUE(dir.empty());
}

TEST(PlaygroundCommand, FilesComeFromKobaiPlaygroundDirFirst) {
  TempDir dir;
  const Output probe = kobai("playground " + (dir.path() / "probe.html").string());
  SKIP_WITHOUT_PLAYGROUND(probe);
  ASSERT_EQ(probe.code, 0) << probe.err;
  // a directory with stand-ins for the three built files: the page must carry them
  const fs::path parts = dir.path() / "parts";
  fs::create_directories(parts);
  std::ofstream(parts / "kobai_engine.js") << "var createKobaiEngine = 'stand-in engine';";
  std::ofstream(parts / "playground.js") << "console.log('stand-in bundle </script> inside');";
  std::ofstream(parts / "playground.css") << "body { color: black; }";
  const Output o = kobai("playground " + (dir.path() / "p.html").string(),
                         "KOBAI_PLAYGROUND_DIR=" + parts.string());
  ASSERT_EQ(o.code, 0) << o.err;
  const std::string html = slurp(dir.path() / "p.html");
  EXPECT_NE(html.find("stand-in engine"), std::string::npos);
  EXPECT_NE(html.find("stand-in bundle <\\/script> inside"), std::string::npos);  // escaped
  // a directory without them is skipped for the next place (the build's)
  const Output fallback = kobai("playground " + (dir.path() / "q.html").string(),
                                "KOBAI_PLAYGROUND_DIR=" + (dir.path() / "nothing").string());
  EXPECT_EQ(fallback.code, 0) << fallback.err;
}

}  // namespace
