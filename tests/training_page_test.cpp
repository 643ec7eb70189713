// Tests of kobai/report/training_page.hpp (`kobai train --report`): the page's data document (the
// confusion matrices, the misclassified samples and their pixels) against a hand-made run, and the
// refusals. Plotly is a stub here; web/tests/train_report.spec.mjs opens real pages in Chromium.
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "kobai/report/training_page.hpp"

namespace {

using kobai::report::TrainingPage;

// 3 classes, 5 test samples of 4 "pixels" (a 2 × 2 image); one run right on 3 of them.
TrainingPage small_page() {
  TrainingPage page{.title = "t", .text = "x", .command = "kobai train --report t.html", .classes = 3,
                    .test_labels = {0, 1, 2, 2, 1}, .images = {}, .features = 4, .max_misclassified = 48,
                    .runs = {}, .plotly_js = std::string("/* plotly stub */"),
                    .assets = kobai::report::PageAssets{"/* training script stub */", "/* style stub */"}};
  for (int i = 0; i < 5; ++i)
    for (int p = 0; p < 4; ++p) page.images.push_back(static_cast<float>(10 * i + p));
  page.runs.push_back({.optimizer = "adam", .settings = "lr 0.001", .status = "completed",
                       .rows = {{.epoch = 1, .iteration = 10, .train_loss = 0.5, .test_loss = 0.6,
                                 .train_accuracy = 0.7, .test_accuracy = 0.6}},
                       .predicted = {0, 2, 2, 0, 1}});
  return page;
}

nlohmann::json page_data(const std::string& page) {
  const std::string open = "<script type=\"application/json\" id=\"kobai-training-data\">";
  const auto begin = page.find(open);
  EXPECT_NE(begin, std::string::npos);
  const auto end = page.find("</script>", begin);
  return nlohmann::json::parse(page.substr(begin + open.size(), end - begin - open.size()));
}

TEST(TrainingPage, ConfusionMatrixCountsEverySampleOnce) {
  const auto j = page_data(kobai::report::render_training_report(small_page()));
  // rows true, columns predicted: (0→0), (1→2), (2→2), (2→0), (1→1)
  EXPECT_EQ(j["runs"][0]["confusion"], nlohmann::json::parse("[[1,0,0],[0,1,1],[1,0,1]]"));
  EXPECT_DOUBLE_EQ(j["runs"][0]["accuracy"].get<double>(), 3.0 / 5.0);
  EXPECT_EQ(j["test_count"], 5);
}

TEST(TrainingPage, MisclassifiedSamplesCarryTheirPixelsScaledToTheirRange) {
  const auto j = page_data(kobai::report::render_training_report(small_page()));
  const auto& m = j["misclassified"];
  EXPECT_EQ(m["side"], 2);
  EXPECT_EQ(m["total"], 2);
  ASSERT_EQ(m["items"].size(), 2u);
  EXPECT_EQ(m["items"][0]["index"], 1);  // sample 1: true 1, predicted 2
  EXPECT_EQ(m["items"][0]["label"], 1);
  EXPECT_EQ(m["items"][0]["predicted"], 2);
  // pixels 10, 11, 12, 13 → 0, 85, 170, 255
  EXPECT_EQ(m["items"][0]["pixels"], "0055aaff");
  EXPECT_EQ(m["items"][1]["index"], 3);
}

TEST(TrainingPage, NonSquareSamplesAreNotDrawn) {
  TrainingPage page = small_page();
  page.features = 5;
  page.images.resize(25);
  EXPECT_EQ(page_data(kobai::report::render_training_report(page))["misclassified"]["side"], 0);
}

TEST(TrainingPage, RefusesPredictionsThatDoNotFitTheTestSet) {
  TrainingPage page = small_page();
  page.runs[0].predicted.pop_back();
  EXPECT_THROW(kobai::report::render_training_report(page), kobai::InvalidArgument);
  page = small_page();
  page.runs[0].predicted[0] = 3;
  EXPECT_THROW(kobai::report::render_training_report(page), kobai::InvalidArgument);
}

TEST(TrainingPage, WritesTheWholeFileOrNone) {
  const auto dir = std::filesystem::temp_directory_path() / "kobai_training_page_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  TrainingPage page = small_page();
  kobai::report::write_training_report(dir / "ok.html", page);
  EXPECT_TRUE(std::filesystem::exists(dir / "ok.html"));
  page.runs.clear();
  EXPECT_THROW(kobai::report::write_training_report(dir / "no.html", page), kobai::InvalidArgument);
  EXPECT_FALSE(std::filesystem::exists(dir / "no.html"));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()), 1);
  std::filesystem::remove_all(dir);
}

// The page embeds its own script and style sheet (web/src/training, bundled into training.js/.css).
TEST(TrainingPage, EmbedsItsScriptAndStyleSheet) {
  TrainingPage page = small_page();
  page.assets = kobai::report::PageAssets{"/* script </script> */", "/* style */"};
  const std::string html = kobai::report::render_training_report(page);
  EXPECT_NE(html.find("/* script <\\/script> */"), std::string::npos);  // "</script" escaped
  EXPECT_NE(html.find("/* style */"), std::string::npos);
}

// Without the built web files the error names the page's files, where it looked and how to build
// them, and no file is left. (Skipped where the build compiles in a directory that has them.)
TEST(TrainingPage, SaysWhichWebFilesAreMissing) {
  const auto dir = std::filesystem::temp_directory_path() / ("kobai_training_assets_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const char* saved = std::getenv("KOBAI_PLAYGROUND_DIR");
  const std::string previous = saved ? saved : "";
  ::setenv("KOBAI_PLAYGROUND_DIR", dir.c_str(), 1);  // an empty directory, searched first
  TrainingPage page = small_page();
  page.assets.reset();
  bool found_elsewhere = false;
  try {
    kobai::report::write_training_report(dir / "t.html", page);
    found_elsewhere = true;
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("training.js, training.css"), std::string::npos) << what;
    EXPECT_NE(what.find(dir.string()), std::string::npos) << what;
    EXPECT_NE(what.find("kobai_playground"), std::string::npos) << what;
    EXPECT_FALSE(std::filesystem::exists(dir / "t.html"));
  }
  if (saved) ::setenv("KOBAI_PLAYGROUND_DIR", previous.c_str(), 1); else ::unsetenv("KOBAI_PLAYGROUND_DIR");
  std::filesystem::remove_all(dir);
  if (found_elsewhere) GTEST_SKIP() << "this build compiles in a directory that has the web files";
}

}  // namespace
