// The advect program end to end: JSON info, an integration checked against the exact rotation,
// and bad input answered with one line naming the file, a non-zero exit and no output files.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numbers>
#include <numeric>
#include <random>
#include <sstream>

#include "CliRun.h"
#include "advect/io/CameraFiles.h"
#include "advect/io/Npy.h"
#include "advect/io/Npz.h"
#include "support/TempDir.h"

namespace advect::testing {
namespace {

TEST(Cli, InfoJsonHasTheDocumentedKeys) {
  TempDir dir;
  const CliRun run = run_advect("info --json", dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto info = nlohmann::json::parse(run.out);
  EXPECT_TRUE(info["version"].is_string());
  EXPECT_TRUE(info["build_type"].is_string());
  EXPECT_EQ(info["backends"][0], "cpu");
  EXPECT_TRUE(info["cuda_devices"].is_number_integer());
  EXPECT_GE(info["threads"].get<int>(), 1);
}

// Open3D and VTK are plugins loaded on first use (io/src/Plugins.h): the program itself must not
// need them, or every command pays their ~100 ms of loading.
TEST(Cli, StartsWithoutLoadingOpen3DOrVtk) {
  TempDir dir;
  const std::string listing = (dir / "libraries.txt").string();
  ASSERT_EQ(std::system(
                ("LD_TRACE_LOADED_OBJECTS=1 " + std::string(ADVECT_CLI) + " > " + listing).c_str()),
            0);
  const std::string libraries = slurp(listing);
  EXPECT_NE(libraries.find("libc.so"), std::string::npos) << libraries;
  EXPECT_EQ(libraries.find("libOpen3D"), std::string::npos) << libraries;
  EXPECT_EQ(libraries.find("libvtk"), std::string::npos) << libraries;
}

TEST(Cli, AnUnloadablePluginIsOneLineNamingIt) {
  TempDir dir;
  std::filesystem::create_directories(dir / "plugins");
  dir.write("plugins/libadvect_open3d.so", "not a shared library");
  const std::string cloud = std::string(ADVECT_SOURCE_DIR) + "/data/lidar/av2_bird/0000.ply";
  const CliRun run = run_advect_with("ADVECT_PLUGIN_DIR=" + (dir / "plugins").string(),
                                     "integrate " + cloud + " -o " + (dir / "out").string(), dir);
  expect_one_line_error(run, "plugins/libadvect_open3d.so");
  EXPECT_FALSE(std::filesystem::exists(dir / "out"));
}

TEST(Cli, SurrogateCommandsAnswerToTheirOldNameFluidToo) {
  TempDir dir;
  for (const char* name : {"surrogate", "fluid"}) {
    const CliRun run = run_advect(std::string(name) + " train --help", dir);
    ASSERT_EQ(run.exit_code, 0) << name << ": " << run.err;
    EXPECT_NE(run.out.find("--data"), std::string::npos) << name;
  }
  expect_one_line_error(run_advect("fluids train", dir), "unknown command 'fluids'");
}

TEST(Cli, NumericFlagsAreRefusedWithReadableBounds) {
  TempDir dir;
  const std::string out = " -o " + (dir / "out").string();
  const CliRun negative = run_advect("cfd run cavity --re -1" + out, dir);
  expect_one_line_error(negative, "--re: -1 is not positive");
  EXPECT_LT(negative.err.size(), 120u) << negative.err;
  expect_one_line_error(run_advect("cfd run cavity --pressure-rtol 0.5" + out, dir),
                        "0.5 is not in [1e-14, 0.01]");
  expect_one_line_error(run_advect("cfd run cavity --re abc" + out, dir),
                        "'abc' is not a finite number");
  EXPECT_FALSE(std::filesystem::exists(dir / "out"));
}

TEST(Cli, QuarterTurnOfARotationLandsOnTheExactPoints) {
  TempDir dir;
  const std::string t1 = std::to_string(std::numbers::pi / 4);  // omega 2 rad/s: a quarter turn
  const CliRun run = run_advect(
      "integrate --field rotation --omega 2 --grid 3 2 2 --box -1 1 0.5 2 -1 1 --t1 " + t1 +
          " --rtol 1e-10 --atol 1e-12 --format npy --device cpu -o " + (dir / "out").string(),
      dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("integrated 12 points"), std::string::npos) << run.out;
  const std::vector<double> final_points = io::read_npy(dir / "out/final.npy").values<double>();
  ASSERT_EQ(final_points.size(), 36u);
  std::size_t i = 0;
  for (double z : {-1.0, 1.0}) {
    for (double y : {0.5, 2.0}) {
      for (double x : {-1.0, 0.0, 1.0}) {  // (x, y, z) -> (-y, x, z)
        EXPECT_NEAR(final_points[i++], -y, 1e-6);
        EXPECT_NEAR(final_points[i++], x, 1e-6);
        EXPECT_NEAR(final_points[i++], z, 1e-6);
      }
    }
  }
  for (const char* name : {"trajectories.vtp", "trajectories.png", "summary.json"}) {
    EXPECT_TRUE(std::filesystem::exists(dir / "out" / name)) << name;
  }
  const auto summary = nlohmann::json::parse(slurp(dir / "out/summary.json"));
  EXPECT_EQ(summary["points"], 12);
  EXPECT_GT(summary["accepted_steps"].get<int>(), 0);
}

TEST(Cli, BackwardInTimeUndoesTheTurn) {
  TempDir dir;
  const std::string seeds = dir.write("seeds.xyz", "1 0 0\n0 2 0.5\n").string();
  const std::string t1 = std::to_string(-std::numbers::pi / 2);  // omega 1: a quarter turn back
  const CliRun run =
      run_advect("integrate " + seeds + " --field rotation --t1 " + t1 +
                     " --method rk4 --step 0.001 --format npy -q -o " + (dir / "out").string(),
                 dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(run.err.empty()) << run.err;  // --quiet
  const std::vector<double> p = io::read_npy(dir / "out/final.npy").values<double>();
  const std::vector<double> expected = {0, -1, 0, 2, 0, 0.5};  // (x, y, z) -> (y, -x, z)
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(p[i], expected[i], 1e-6) << i;
}

TEST(Cli, BadInputGivesOneLineAndNoOutput) {
  TempDir dir;
  const std::string out = " -o " + (dir / "out").string();
  expect_one_line_error(run_advect("integrate " + (dir / "missing.ply").string() + out, dir),
                        "missing.ply");

  const auto truncated = dir.write("sweep.bin", std::string(20, '\0'));
  expect_one_line_error(run_advect("integrate " + truncated.string() + out, dir),
                        "sweep.bin: size 20 bytes");
  const auto nan_cloud = dir.write("nan.xyz", "0 0 0\n1 nan 2\n");
  expect_one_line_error(run_advect("integrate " + nan_cloud.string() + out, dir),
                        "nan.xyz: point 1 has a non-finite");
  const auto empty = dir.write("empty.ply", "");
  expect_one_line_error(run_advect("integrate " + empty.string() + out, dir),
                        "empty.ply: empty file");

  expect_one_line_error(run_advect("integrate --method rk9" + out, dir), "rk9");
  expect_one_line_error(run_advect("integrate --grid 2 2" + out, dir), "--grid");
  expect_one_line_error(run_advect("integrate --device gpu" + out, dir), "unknown device 'gpu'");
  expect_one_line_error(run_advect("frobnicate", dir), "frobnicate");
  expect_one_line_error(run_advect("integrate --max-steps 2 --rtol 1e-12" + out, dir), "max_steps");
  EXPECT_FALSE(std::filesystem::exists(dir / "out")) << "failed runs must not leave output";
}

// Two sweeps of one scene: 30 balls (0.4 m radius) sampled twice, the second moved by `shift`,
// over a ground plane at z = -1 m (the same 30 x 30 grid in both, so it does not move). Rows
// 0..899 of each cloud are the balls, 900.. the ground. Returns {source, target, truth}.
std::array<std::vector<float>, 3> two_sweeps(const std::array<float, 3>& shift) {
  std::mt19937 layout(7);
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  std::normal_distribution<float> gauss(0.0f, 1.0f);
  float centres[30][3];
  for (auto& c : centres)
    c[0] = -8 + 16 * u(layout), c[1] = -8 + 16 * u(layout), c[2] = 3 * u(layout);
  std::array<std::vector<float>, 3> clouds;
  for (int sweep = 0; sweep < 2; ++sweep) {
    std::mt19937 sample(unsigned(sweep + 1));
    for (const auto& c : centres) {
      for (int i = 0; i < 30; ++i) {
        float d[3] = {gauss(sample), gauss(sample), gauss(sample)};
        const float length = std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
        for (int k = 0; k < 3; ++k) {
          clouds[sweep].push_back(c[k] + 0.4f * d[k] / length + (sweep ? shift[k] : 0.0f));
          if (sweep == 0) clouds[2].push_back(shift[k]);
        }
      }
    }
    for (int i = 0; i < 30; ++i) {
      for (int j = 0; j < 30; ++j)
        clouds[sweep].insert(clouds[sweep].end(), {-9.0f + 0.6f * i, -9.0f + 0.6f * j, -1.0f});
    }
  }
  clouds[2].resize(clouds[0].size(), 0.0f);  // the ground stays
  return clouds;
}

std::string xyz_text(const std::vector<float>& points) {
  std::string text;
  for (std::size_t i = 0; i < points.size(); i += 3)
    text += std::to_string(points[i]) + " " + std::to_string(points[i + 1]) + " " +
            std::to_string(points[i + 2]) + "\n";
  return text;
}

std::filesystem::path write_pair_npz(const TempDir& dir, const std::string& name,
                                     const std::array<std::vector<float>, 3>& clouds) {
  const auto rows = [](const std::vector<float>& v) {
    return std::vector<std::size_t>{v.size() / 3, 3};
  };
  const auto path = dir / name;
  io::write_npz(path, {{"pc1", io::NpyArray::from_values<float>(clouds[0], rows(clouds[0]))},
                       {"pc2", io::NpyArray::from_values<float>(clouds[1], rows(clouds[1]))},
                       {"flow", io::NpyArray::from_values<float>(clouds[2], rows(clouds[2]))}});
  return path;
}

TEST(CliSceneFlow, EstimateRecoversTheMotionOfObjectsAboveRemovedGround) {
  TempDir dir;
  const auto clouds = two_sweeps({0.3f, -0.2f, 0.05f});
  const auto source = dir.write("sweep0.xyz", xyz_text(clouds[0]));
  const auto target = dir.write("sweep1.xyz", xyz_text(clouds[1]));
  const auto truth = dir.write("truth.xyz", xyz_text(clouds[2]));
  const CliRun run = run_advect(
      "sceneflow estimate " + source.string() + " " + target.string() + " --gt " + truth.string() +
          " --method nsfp --remove-ground --max-iters 300 --png --device cpu -o " +
          (dir / "out").string(),
      dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  // The ground rows (900..1799) are gone: indices.npy maps the 900 kept rows back to the balls.
  std::vector<std::int64_t> expected(900);
  std::iota(expected.begin(), expected.end(), 0);
  EXPECT_EQ(io::read_npy(dir / "out/indices.npy").values<std::int64_t>(), expected);
  const io::NpyArray flow = io::read_npy(dir / "out/flow.npy");
  EXPECT_EQ(flow.dtype, io::DType::float32);
  EXPECT_EQ(flow.shape, (std::vector<std::size_t>{900, 3}));
  const auto summary = nlohmann::json::parse(slurp(dir / "out/summary.json"));
  // Measured: EPE3D 0.03 m. Every ball moved by 0.36 m, so 0.1 m is a real bound.
  EXPECT_LT(summary["accuracy"]["epe3d"].get<double>(), 0.1) << run.out;
  EXPECT_GT(summary["accuracy"]["acc3dr"].get<double>(), 0.8);
  EXPECT_EQ(summary["source_points"], 900);
  for (const char* name : {"flow.vtp", "flow.png"})
    EXPECT_TRUE(std::filesystem::exists(dir / "out" / name)) << name;
  EXPECT_NE(run.out.find("against the ground truth: EPE3D"), std::string::npos) << run.out;
}

TEST(CliSceneFlow, EvalWritesTheTableAndJsonOfEveryPair) {
  TempDir dir;
  std::filesystem::create_directories(dir / "set");
  write_pair_npz(dir, "set/a.npz", two_sweeps({0.3f, 0.0f, 0.0f}));
  write_pair_npz(dir, "set/b.npz", two_sweeps({0.0f, 0.2f, 0.0f}));
  const CliRun run =
      run_advect("sceneflow eval " + (dir / "set").string() +
                     " --method fast --max-iters 40 --batch 256 --device cpu --json " +
                     (dir / "new/eval.json").string(),
                 dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  for (const char* needle : {"EPE3D/m", "\na ", "\nb ", "\nmean "})
    EXPECT_NE(run.out.find(needle), std::string::npos) << needle << " in\n" << run.out;
  const auto report = nlohmann::json::parse(slurp(dir / "new/eval.json"));  // folder made
  EXPECT_EQ(report["method"], "fast");
  ASSERT_EQ(report["pairs"].size(), 2u);
  EXPECT_EQ(report["pairs"][0]["name"], "a");
  for (const char* key :
       {"epe3d", "acc3ds", "acc3dr", "outliers", "angle", "iterations", "seconds"}) {
    const double a = report["pairs"][0][key].get<double>(),
                 b = report["pairs"][1][key].get<double>();
    EXPECT_NEAR(report["mean"][key].get<double>(), 0.5 * (a + b), 1e-9 * (1 + std::fabs(a + b)))
        << key;
  }
  for (const char* key : {"acc3ds", "acc3dr", "outliers"}) {
    const double value = report["pairs"][1][key].get<double>();
    EXPECT_TRUE(value >= 0.0 && value <= 1.0) << key << " " << value;
  }
  EXPECT_EQ(report["pairs"][1]["iterations"], 40);
}

// --warm-start reaches the fit: the first pair is fitted fresh either way (the same bits); the
// second, the same pair again, continues from the first's 30 iterations where a fresh draw starts
// over, so after its own 30 it is nearer the motion (measured: EPE3D 0.075 against 0.172 m; zero
// flow scores 0.3 m).
TEST(CliSceneFlow, EvalWarmStartStartsEachPairFromThePreviousFit) {
  TempDir dir;
  std::filesystem::create_directories(dir / "set");
  write_pair_npz(dir, "set/a.npz", two_sweeps({0.3f, 0.0f, 0.0f}));
  write_pair_npz(dir, "set/b.npz", two_sweeps({0.3f, 0.0f, 0.0f}));
  nlohmann::json reports[2];
  for (int warm = 0; warm < 2; ++warm) {
    const std::string json = (dir / ("eval" + std::to_string(warm) + ".json")).string();
    const CliRun run =
        run_advect("sceneflow eval " + (dir / "set").string() +
                       " --method fast --batch 0 --max-iters 30 --device cpu -q --json " + json +
                       (warm ? " --warm-start" : ""),
                   dir);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    reports[warm] = nlohmann::json::parse(slurp(json));
  }
  EXPECT_EQ(reports[0]["warm_start"], false);
  EXPECT_EQ(reports[1]["warm_start"], true);
  EXPECT_EQ(reports[0]["pairs"][0]["epe3d"], reports[1]["pairs"][0]["epe3d"]);
  const double fresh = reports[0]["pairs"][1]["epe3d"], warm = reports[1]["pairs"][1]["epe3d"];
  EXPECT_LT(warm, fresh / 1.5) << "warm " << warm << " m, fresh " << fresh << " m";
}

TEST(CliSceneFlow, EvalOfTheBundledArgoversePairReportsTheThreewayEpe) {
  TempDir dir;
  const auto pair =
      std::filesystem::path(ADVECT_SOURCE_DIR) / "data/sceneflow/av2/av2_7fab2350.npz";
  const CliRun run =
      run_advect("sceneflow eval " + pair.string() +
                     " --method fast --points 512 --max-iters 5 --device cpu --json " +
                     (dir / "eval.json").string(),
                 dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto result = nlohmann::json::parse(slurp(dir / "eval.json"))["pairs"][0];
  EXPECT_EQ(result["evaluated_points"], 74296);  // every point of the prepared pair
  const auto& threeway = result["threeway"];
  const auto counts = threeway["counts"].get<std::vector<std::size_t>>();
  EXPECT_EQ(counts[0] + counts[1] + counts[2], 74296u);
  EXPECT_GT(counts[2], 1000u);  // the labelled moving objects (2,037 points before the crop)
  EXPECT_NEAR(
      threeway["epe"].get<double>(),
      (threeway["background_static"].get<double>() + threeway["foreground_static"].get<double>() +
       threeway["foreground_dynamic"].get<double>()) /
          3.0,
      1e-9);
}

TEST(CliSceneFlow, BadInputGivesOneLineAndNoOutput) {
  TempDir dir;
  const std::string out = " -o " + (dir / "out").string();
  const auto clouds = two_sweeps({0.1f, 0.0f, 0.0f});
  const auto source = dir.write("a.xyz", xyz_text(clouds[0]));
  const auto pair = write_pair_npz(dir, "pair.npz", clouds);
  expect_one_line_error(run_advect("sceneflow estimate " + source.string() + out, dir),
                        "the second sweep is missing");
  expect_one_line_error(
      run_advect("sceneflow estimate " + pair.string() + " " + source.string() + out, dir),
      "give no second file");
  expect_one_line_error(run_advect("sceneflow estimate " + (dir / "gone.ply").string() + out, dir),
                        "gone.ply");
  const auto truncated = dir.write("cut.npz", slurp(pair).substr(0, 300));
  expect_one_line_error(run_advect("sceneflow estimate " + truncated.string() + out, dir),
                        "cut.npz");
  const auto short_gt = dir.write("short.xyz", "0 0 0\n");
  expect_one_line_error(run_advect("sceneflow estimate " + source.string() + " " + source.string() +
                                       " --gt " + short_gt.string() + out,
                                   dir),
                        "short.xyz: the flow has 1 vectors for 1800 points");
  expect_one_line_error(
      run_advect("sceneflow estimate " + pair.string() + " --method magic" + out, dir), "magic");
  expect_one_line_error(run_advect("sceneflow eval " + (dir / "nowhere").string(), dir),
                        "nowhere: no such file");
  std::filesystem::create_directories(dir / "nogt");
  io::write_npz(dir / "nogt/p.npz",
                {{"pc1", io::NpyArray::from_values<float>(clouds[0], {1800, 3})},
                 {"pc2", io::NpyArray::from_values<float>(clouds[1], {1800, 3})}});
  expect_one_line_error(run_advect("sceneflow eval " + (dir / "nogt").string(), dir),
                        "p.npz: no ground-truth");
  expect_one_line_error(run_advect("sceneflow", dir), "subcommand");
  EXPECT_FALSE(std::filesystem::exists(dir / "out")) << "failed runs must not leave output";
}

const std::string kBundledSequence = std::string(ADVECT_SOURCE_DIR) + "/data/lidar/av2_bird";

TEST(CliAccumulate, WritesEveryOutputForThreeBundledSweeps) {
  TempDir dir;
  const CliRun run = run_advect("accumulate " + kBundledSequence + " --world-frame --frames 0:3 " +
                                    "--max-iters 20 -q -o " + (dir / "out").string(),
                                dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("accumulated 3 sweeps (163071 points) to frame 1"), std::string::npos)
      << run.out;
  for (const char* name : {"accumulated.ply", "accumulated.vtp", "static.ply", "trajectories.vtp",
                           "poses.txt", "accumulation.png", "summary.json"}) {
    EXPECT_TRUE(std::filesystem::exists(dir / "out" / name)) << name;
  }
  const auto summary = nlohmann::json::parse(slurp(dir / "out/summary.json"));
  EXPECT_EQ(summary["frames"], 3);
  EXPECT_EQ(summary["points"], 53805 + 54303 + 54963);
  EXPECT_EQ(summary["reference_frame"], 1);
  EXPECT_GT(summary["peak_memory_mib"].get<double>(), 0.0);
  EXPECT_TRUE(summary.contains("crispness_flow") && summary.contains("crispness_static"));
  EXPECT_EQ(slurp(dir / "out/poses.txt"),
            "1 0 0 0 0 1 0 0 0 0 1 0\n1 0 0 0 0 1 0 0 0 0 1 0\n1 0 0 0 0 1 0 0 0 0 1 0\n");
}

TEST(CliSceneFlowSequence, WritesAFlowPerSweepThatAccumulateReadsBack) {
  TempDir dir;
  const std::string frames = " --world-frame --frames 0:3 -q ";
  const CliRun run = run_advect(
      "sceneflow sequence " + kBundledSequence + frames + "-o " + (dir / "out").string(), dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("sequence flow of 2 sweeps"), std::string::npos) << run.out;
  const std::size_t points[2] = {53805, 54303};
  for (int k = 0; k < 2; ++k) {
    const io::NpyArray flow = io::read_npy(dir / ("out/flows/000" + std::to_string(k) + ".npy"));
    EXPECT_EQ(flow.shape, (std::vector<std::size_t>{points[k], 3}));
    EXPECT_TRUE(std::filesystem::exists(dir / ("out/flows/000" + std::to_string(k) + ".vtp")));
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "out/flows/0002.npy")) << "the last sweep has none";
  for (const char* name : {"flows.pvd", "flow.png", "summary.json"})
    EXPECT_TRUE(std::filesystem::exists(dir / "out" / name)) << name;
  const auto summary = nlohmann::json::parse(slurp(dir / "out/summary.json"));
  EXPECT_EQ(summary["method"], "sequence");
  EXPECT_EQ(summary["window"], 4);
  EXPECT_EQ(summary["sweeps"].size(), 2u);

  // The files are the flows accumulate estimates itself: the same map either way.
  const CliRun own = run_advect(
      "accumulate " + kBundledSequence + frames + "--method sequence -o " + (dir / "a").string(),
      dir);
  ASSERT_EQ(own.exit_code, 0) << own.err;
  const CliRun given = run_advect("accumulate " + kBundledSequence + frames + "--flows " +
                                      (dir / "out/flows").string() + " -o " + (dir / "b").string(),
                                  dir);
  ASSERT_EQ(given.exit_code, 0) << given.err;
  EXPECT_EQ(slurp(dir / "a/accumulated.ply"), slurp(dir / "b/accumulated.ply"));

  const std::string out = " -o " + (dir / "bad").string();
  expect_one_line_error(
      run_advect("sceneflow sequence " + kBundledSequence + " --window 0" + out, dir), "--window");
  expect_one_line_error(run_advect("sceneflow sequence " + (dir / "nowhere").string() + out, dir),
                        "nowhere: no such directory");
  expect_one_line_error(run_advect("sceneflow estimate " + kBundledSequence + "/0000.ply " +
                                       kBundledSequence + "/0001.ply --method sequence" + out,
                                   dir),
                        "--method");
  EXPECT_FALSE(std::filesystem::exists(dir / "bad")) << "failed runs must not leave output";
}

TEST(CliAccumulate, BadInputGivesOneLineAndNoOutput) {
  TempDir dir;
  const std::string out = " -o " + (dir / "out").string();
  expect_one_line_error(run_advect("accumulate " + (dir / "nowhere").string() + out, dir),
                        "nowhere: no such directory");
  expect_one_line_error(run_advect("accumulate " + kBundledSequence + " --frames 5:2" + out, dir),
                        "--frames 5:2: needs at least two of the 8 sweeps");
  expect_one_line_error(
      run_advect("accumulate " + kBundledSequence + " --frames 0:3 --ref-frame 5" + out, dir),
      "--ref-frame 5 is not among the frames used (0:3)");
  expect_one_line_error(
      run_advect("accumulate " + kBundledSequence + " --integrator dopri5" + out, dir), "dopri5");
  const auto poses = dir.write("poses.txt", "1 0 0 0 0 1 0 0 0 0 1 0\n");
  expect_one_line_error(
      run_advect("accumulate " + kBundledSequence + " --poses " + poses.string() + out, dir),
      "poses.txt: 1 poses for 8 sweeps");
  expect_one_line_error(
      run_advect(
          "accumulate " + kBundledSequence + " --world-frame --poses " + poses.string() + out, dir),
      "excludes");
  std::filesystem::create_directories(dir / "flows");
  dir.write("flows/0000.xyz", "0 0 0\n");
  expect_one_line_error(run_advect("accumulate " + kBundledSequence + " --world-frame --flows " +
                                       (dir / "flows").string() + out,
                                   dir),
                        "flows: 1 flow files for 8 sweeps");
  for (int k = 1; k < 7; ++k) dir.write("flows/000" + std::to_string(k) + ".xyz", "0 0 0\n");
  expect_one_line_error(
      run_advect("accumulate " + kBundledSequence + " --world-frame --frames 0:2 --flows " +
                     (dir / "flows").string() + out,
                 dir),
      "0000.xyz: the flow has 1 vectors for 53805 points");
  std::filesystem::create_directories(dir / "seq");
  std::filesystem::copy_file(kBundledSequence + "/0000.ply", dir / "seq/0000.ply");
  dir.write("seq/0001.bin", std::string(30, '\0'));
  expect_one_line_error(
      run_advect("accumulate " + (dir / "seq").string() + " --world-frame" + out, dir),
      "0001.bin: size 30 bytes");
  EXPECT_FALSE(std::filesystem::exists(dir / "out")) << "failed runs must not leave output";
}

TEST(CliCfd, CavityRunWritesFieldsPicturesCentreLinesAndSummary) {
  TempDir dir;
  const CliRun run = run_advect(
      "cfd run cavity --re 100 --n 16 --t-end 0.5 --frames 2 -q -o " + (dir / "out").string(), dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("max |u - u_Ghia|"), std::string::npos) << run.out;
  for (const char* name :
       {"fields_0000.vti", "fields_0001.vti", "fields.pvd", "speed.png", "vorticity.png",
        "centerline_u.csv", "centerline_v.csv", "summary.json"}) {
    EXPECT_TRUE(std::filesystem::exists(dir / "out" / name)) << name;
  }
  const std::string u = slurp(dir / "out/centerline_u.csv");
  EXPECT_EQ(u.rfind("y,u\n0,0\n", 0), 0u) << u;
  EXPECT_EQ(std::count(u.begin(), u.end(), '\n'), 1 + 16 + 2);
  EXPECT_NE(u.find("\n1,1\n"), std::string::npos);
  const auto summary = nlohmann::json::parse(slurp(dir / "out/summary.json"));
  EXPECT_DOUBLE_EQ(summary["simulated_time"].get<double>(), 0.5);
  EXPECT_LT(summary["final"]["max_divergence"].get<double>(), 1e-9);
  EXPECT_TRUE(summary.contains("ghia"));
  EXPECT_NE(slurp(dir / "out/fields.pvd").find("timestep=\"0.5\""), std::string::npos);
}

// Centre-line values of a cavity run's CSV (the second column).
std::vector<double> centre_line_values(const std::filesystem::path& csv) {
  std::istringstream lines(slurp(csv));
  std::string line;
  std::getline(lines, line);  // header
  std::vector<double> values;
  while (std::getline(lines, line)) values.push_back(std::stod(line.substr(line.find(',') + 1)));
  return values;
}

TEST(CliCfd, FloatCavityRunMatchesTheDoubleOne) {
  TempDir dir;
  const std::string base = "cfd run cavity --re 100 --n 16 --t-end 0.5 --frames 1 -q -o ";
  CliRun run = run_advect(base + (dir / "single").string() + " --precision float", dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("(central, float)"), std::string::npos) << run.out;
  run = run_advect(base + (dir / "twin").string(), dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto summary = nlohmann::json::parse(slurp(dir / "single/summary.json"));
  EXPECT_EQ(summary["precision"], "float");
  EXPECT_DOUBLE_EQ(summary["pressure_rtol"].get<double>(), 1e-6);  // float's default
  const std::vector<double> single = centre_line_values(dir / "single/centerline_u.csv");
  const std::vector<double> twin = centre_line_values(dir / "twin/centerline_u.csv");
  ASSERT_EQ(single.size(), twin.size());
  for (std::size_t k = 0; k < single.size(); ++k) EXPECT_NEAR(single[k], twin[k], 1e-5) << k;
}

TEST(CliCfd, CylinderRunWritesForcesAndTheComparisonWithTheBenchmark) {
  TempDir dir;
  const CliRun run =
      run_advect("cfd run cylinder --case dfg-2d-1 --n 32 --t-end 0.5 --frames 1 -q -o " +
                     (dir / "out").string(),
                 dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("C_D"), std::string::npos) << run.out;
  for (const char* name : {"fields_0000.vti", "fields.pvd", "speed.png", "vorticity.png",
                           "forces.csv", "summary.json"}) {
    EXPECT_TRUE(std::filesystem::exists(dir / "out" / name)) << name;
  }
  const auto summary = nlohmann::json::parse(slurp(dir / "out/summary.json"));
  EXPECT_EQ(summary["ny"].get<int>(), 32);
  EXPECT_EQ(summary["nx"].get<int>(), 168);  // 2.2 m / (0.41 m / 32) = 171.7, to a multiple of 8
  EXPECT_NEAR(summary["reynolds"].get<double>(), 20.0, 1e-12);
  // Half a second into the start-up the drag is already of the steady value's order.
  EXPECT_GT(summary["cd"].get<double>(), 3.0);
  EXPECT_LT(summary["cd"].get<double>(), 10.0);
  const std::string forces = slurp(dir / "out/forces.csv");
  EXPECT_EQ(forces.rfind("time,cd,cl,delta_p\n", 0), 0u) << forces;

  // 2D-2 for a fraction of a second: no shedding yet, and it says so.
  const CliRun short_run =
      run_advect("cfd run cylinder --case dfg-2d-2 --n 32 --t-end 0.1 --frames 1 -q -o " +
                     (dir / "periodic").string(),
                 dir);
  ASSERT_EQ(short_run.exit_code, 0) << short_run.err;
  EXPECT_NE(short_run.out.find("no periodic shedding yet"), std::string::npos) << short_run.out;
  const auto periodic = nlohmann::json::parse(slurp(dir / "periodic/summary.json"));
  EXPECT_FALSE(periodic["periodic"].get<bool>());
}

TEST(CliCfd, BadInputGivesOneLineAndNoOutput) {
  TempDir dir;
  const std::string out = " -o " + (dir / "out").string();
  expect_one_line_error(run_advect("cfd run pipe" + out, dir), "pipe");
  expect_one_line_error(run_advect("cfd run cylinder --n 36" + out, dir), "--n 36");
  expect_one_line_error(run_advect("cfd run cylinder --case dfg-2d-2 --until steady" + out, dir),
                        "periodic");
  expect_one_line_error(run_advect("cfd run cavity --n 4" + out, dir), "--n");
  expect_one_line_error(run_advect("cfd run cavity --re -5" + out, dir), "--re");
  expect_one_line_error(run_advect("cfd run cavity --t-end 1 --until steady" + out, dir),
                        "excludes");
  expect_one_line_error(run_advect("cfd run cavity --precision half" + out, dir), "--precision");
  expect_one_line_error(
      run_advect("cfd run cavity --precision float --pressure-rtol 1e-9" + out, dir),
      "--pressure-rtol: 1e-09: float fields resolve the pressure to 1e-06 at best");
  expect_one_line_error(run_advect("cfd dataset vorticity --cases 1 --precision float" + out, dir),
                        "double only");
  EXPECT_FALSE(std::filesystem::exists(dir / "out")) << "failed runs must not leave output";
}

TEST(CliCfd, DatasetInCfdBenchLayoutIsDeterministicAndResumable) {
  TempDir dir;
  const std::string base = "cfd dataset cavity --n 16 --frames 3 --interval 0.05 -q -o ";
  CliRun run = run_advect(base + (dir / "a").string() + " --cases 2", dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const io::NpyArray u = io::read_npy(dir / "a/case0001/u.npy");
  EXPECT_EQ(u.dtype, io::DType::float32);
  EXPECT_EQ(u.shape, (std::vector<std::size_t>{3, 16, 16}));
  const std::vector<float> values = u.values<float>();
  EXPECT_EQ(values[0], 0.0f);  // t = 0: at rest
  const auto json = nlohmann::json::parse(slurp(dir / "a/case0001/case.json"));
  const double lid = json["vel_top"].get<double>();
  EXPECT_GE(lid, 0.5);
  EXPECT_LE(lid, 2.0);
  EXPECT_EQ(json["solver_precision"], "double");
  EXPECT_GT(values[std::size_t(2 * 256 + 15 * 16 + 8)], 0.0f);  // dragged along under the lid

  // A second run into another folder, with a case left half-made (the hidden partial folder)
  // and one finished case: it skips the finished one and makes the rest identically.
  std::filesystem::create_directories(dir / "b/.case0001.partial");
  dir.write("b/.case0001.partial/u.npy", "junk");
  run = run_advect(base + (dir / "b").string() + " --cases 1", dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto first = std::filesystem::last_write_time(dir / "b/case0000/u.npy");
  run = run_advect(base + (dir / "b").string() + " --cases 2", dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("1 cases made, 1 already there"), std::string::npos) << run.out;
  EXPECT_EQ(std::filesystem::last_write_time(dir / "b/case0000/u.npy"), first);
  EXPECT_EQ(slurp(dir / "b/case0001/u.npy"), slurp(dir / "a/case0001/u.npy"));
  EXPECT_FALSE(std::filesystem::exists(dir / "b/.case0001.partial"));
  expect_one_line_error(run_advect(base + (dir / "c").string() + " --cases 1 --lid 2:1", dir),
                        "--lid");
}

TEST(CliCfd, CylinderDatasetResamplesTheChannelAndRecordsTheGeometry) {
  TempDir dir;
  const CliRun run =
      run_advect("cfd dataset cylinder --n 32 --frames 2 --interval 0.02 --cases 1 -q -o " +
                     (dir / "d").string(),
                 dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const io::NpyArray u = io::read_npy(dir / "d/case0000/u.npy");
  EXPECT_EQ(u.dtype, io::DType::float32);
  EXPECT_EQ(u.shape, (std::vector<std::size_t>{2, 64, 64}));
  const auto json = nlohmann::json::parse(slurp(dir / "d/case0000/case.json"));
  const double inflow = json["vel_in"].get<double>(), radius = json["radius"].get<double>();
  EXPECT_GE(inflow, 0.2);
  EXPECT_LE(inflow, 1.0);
  EXPECT_GE(radius, 0.03);
  EXPECT_LE(radius, 0.06);
  EXPECT_DOUBLE_EQ(json["y_max"].get<double>(), 0.41);
  // At the inflow (first column, middle row) the flow has the parabola's value there.
  const std::vector<float> values = u.values<float>();
  const double y = 32.5 / 64.0, x_first = 0.5 / 64.0 * json["x_max"].get<double>();
  EXPECT_NEAR(values[std::size_t(64 * 64 + 32 * 64)], 1.5 * inflow * 4.0 * y * (1.0 - y),
              0.05 * inflow)
      << "at x = " << x_first;
  expect_one_line_error(
      run_advect("cfd dataset cylinder --cases 1 --center-y 0.05 -o " + (dir / "e").string(), dir),
      "--radius/--center-x/--center-y");
}

TEST(CliCfd, VorticityDatasetIsSeededAndDifferentPerCase) {
  TempDir dir;
  const std::string base = "cfd dataset vorticity --cases 2 --frames 3 --spin-up 1 -q -o ";
  ASSERT_EQ(run_advect(base + (dir / "a").string(), dir).exit_code, 0);
  ASSERT_EQ(run_advect(base + (dir / "b").string(), dir).exit_code, 0);
  const io::NpyArray w = io::read_npy(dir / "a/case0000/vorticity.npy");
  EXPECT_EQ(w.shape, (std::vector<std::size_t>{3, 64, 64}));
  EXPECT_EQ(io::read_npy(dir / "a/case0000/u.npy").shape, w.shape);
  EXPECT_EQ(slurp(dir / "a/case0001/vorticity.npy"), slurp(dir / "b/case0001/vorticity.npy"));
  EXPECT_NE(slurp(dir / "a/case0000/vorticity.npy"), slurp(dir / "a/case0001/vorticity.npy"));
  const auto json = nlohmann::json::parse(slurp(dir / "a/case0000/case.json"));
  EXPECT_DOUBLE_EQ(json["viscosity"].get<double>(), 1e-3);
  EXPECT_DOUBLE_EQ(json["spin_up"].get<double>(), 1.0);
  expect_one_line_error(
      run_advect("cfd dataset vorticity --cases 1 --n 96 -o " + (dir / "c").string(), dir), "--n");
}

// A small vorticity set (16^2, 5 cases, the last one the test case), a small model trained on
// it, then eval, predict and their refusals. The model's accuracy is tested in
// tests/neural/test_flow_surrogate.cpp; here the commands, files and errors.
class CliFluid : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    const auto data = (*dir_ / "data").string();
    const CliRun made = run_advect(
        "cfd dataset vorticity --cases 5 --frames 6 --n 16 --size 16 "
        "--spin-up 1 -q -o " +
            data,
        *dir_);
    ASSERT_EQ(made.exit_code, 0) << made.err;
    std::ofstream(*dir_ / "small.json")
        << R"({"max_wave_number": 3, "latent_dims": 12, "field_width": 16, "dynamics_width": 32})";
    const CliRun trained =
        run_advect("surrogate train --data " + data + " -o " + (*dir_ / "m.model").string() +
                       " --config " + (*dir_ / "small.json").string() +
                       " --frames 3 --field-iterations 5 --dynamics-iterations 20 -q",
                   *dir_);
    ASSERT_EQ(trained.exit_code, 0) << trained.err;
    train_output_ = new std::string(trained.out);
  }
  static void TearDownTestSuite() {
    delete dir_;
    delete train_output_;
  }
  static TempDir* dir_;
  static std::string* train_output_;
};
TempDir* CliFluid::dir_ = nullptr;
std::string* CliFluid::train_output_ = nullptr;

TEST_F(CliFluid, TrainSaysWhatItDidAndWhere) {
  EXPECT_NE(train_output_->find("trained on 4 cases x 3 frames"), std::string::npos)
      << *train_output_;
  EXPECT_NE(train_output_->find("principal components leave"), std::string::npos) << *train_output_;
  EXPECT_NE(train_output_->find("decoder end to end: 5 steps"), std::string::npos)
      << *train_output_;
  EXPECT_NE(train_output_->find("m.model"), std::string::npos) << *train_output_;
  // The config file set K; the domain follows the data.
  EXPECT_NE(train_output_->find("features of a periodic domain, wave numbers <= 3"),
            std::string::npos)
      << *train_output_;
}

// A cavity set is a box: box features, and K from its 16^2 grid (3/4 of 16); scored on its test
// case; a K that aliases on the grid is refused.
TEST(CliFluidBox, CavityDataTrainsWithBoxFeatures) {
  TempDir dir;
  const auto data = (dir / "data").string();
  CliRun run = run_advect("cfd dataset cavity --n 16 --cases 4 --frames 4 -q -o " + data, dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string model = (dir / "m.model").string();
  std::ofstream(dir / "small.json") << R"({"latent_dims": 8, "dynamics_width": 16})";
  const std::string train = "surrogate train --field u --data " + data + " -o " + model +
                            " --frames 4 -q " + "--dynamics-iterations 10 --config " +
                            (dir / "small.json").string();
  run = run_advect(train, dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("features of a box domain, wave numbers <= 12"), std::string::npos)
      << run.out;
  run = run_advect("surrogate eval " + model + " --data " + data + " -q", dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("model"), std::string::npos) << run.out;
  std::ofstream(dir / "fine.json") << R"({"max_wave_number": 16})";
  expect_one_line_error(run_advect("surrogate train --field u --data " + data + " -o " + model +
                                       " --frames 4 -q --config " + (dir / "fine.json").string(),
                                   dir),
                        "max_wave_number 16 aliases on a 16 x 16 grid");
}

TEST_F(CliFluid, EvalPrintsEveryMethodAndWritesTheDocumentedJson) {
  const auto json_path = *dir_ / "scores.json";
  const CliRun run = run_advect("surrogate eval " + (*dir_ / "m.model").string() + " --data " +
                                    (*dir_ / "data").string() + " --frame-stride 2 -q --json " +
                                    json_path.string() + " --png " + (*dir_ / "png").string(),
                                *dir_);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  for (const char* row : {"model", "interpolation", "identity", "solver"}) {
    EXPECT_NE(run.out.find(row), std::string::npos) << row << "\n" << run.out;
  }
  const auto json = nlohmann::json::parse(slurp(json_path));
  for (const char* method : {"model", "interpolation", "identity"}) {
    for (const char* key : {"rel_l2", "rel_l2_unobserved_points", "rel_l2_unobserved_times", "nmse",
                            "seconds_per_frame", "rel_l2_to_twice_horizon"}) {
      ASSERT_TRUE(json[method].contains(key)) << method << " " << key;
      EXPECT_TRUE(std::isfinite(json[method][key].get<double>())) << method << " " << key;
    }
  }
  EXPECT_GT(json["solver"]["seconds_per_frame"].get<double>(), 0.0);
  // Horizon 3, every second frame observed: frame 1 is the last unobserved one, 5 the last scored.
  EXPECT_TRUE(std::filesystem::exists(*dir_ / "png/eval_frame_01.png"));
  EXPECT_TRUE(std::filesystem::exists(*dir_ / "png/eval_frame_05.png"));
  EXPECT_TRUE(std::filesystem::exists(*dir_ / "png/eval_frame_05_error.png"));
}

TEST_F(CliFluid, PredictWritesArraysVtkAndPictures) {
  std::ofstream(*dir_ / "obs.csv") << "t,x,y,value\n0,0.1,0.2,0.5\n0,0.6,0.3,-0.2\n0,0.4,0.9,1.0\n"
                                      "1,0.1,0.2,0.4\n1,0.6,0.3,-0.1\n1,0.4,0.9,0.8\n";
  const auto out = *dir_ / "grid";
  const CliRun run =
      run_advect("surrogate predict " + (*dir_ / "m.model").string() + " --obs " +
                     (*dir_ / "obs.csv").string() + " --grid 8 --t 0 0.5 2 -o " + out.string(),
                 *dir_);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(io::read_npy(out / "prediction.npy").shape, (std::vector<std::size_t>{3, 8, 8}));
  for (const char* file : {"prediction_0002.vti", "prediction_0002.png", "prediction.pvd"}) {
    EXPECT_TRUE(std::filesystem::exists(out / file)) << file;
  }
  std::ofstream(*dir_ / "points.csv") << "x,y\n0.5,0.5\n0.25,0.75\n";
  const CliRun at =
      run_advect("surrogate predict " + (*dir_ / "m.model").string() + " --obs " +
                     (*dir_ / "obs.csv").string() + " --at " + (*dir_ / "points.csv").string() +
                     " --t 1 -o " + (*dir_ / "at").string(),
                 *dir_);
  ASSERT_EQ(at.exit_code, 0) << at.err;
  EXPECT_EQ(io::read_npy(*dir_ / "at/prediction.npy").shape, (std::vector<std::size_t>{1, 2}));
}

TEST_F(CliFluid, BadInputGivesOneLineAndNoOutput) {
  const std::string model = (*dir_ / "m.model").string();
  const std::string out = " -o " + (*dir_ / "never").string();
  std::ofstream(*dir_ / "nan.csv") << "t,x,y,value\n0,0.1,0.2,nan\n";
  std::ofstream(*dir_ / "header.csv") << "time,x,y,w\n0,0.1,0.2,1\n";
  std::ofstream(*dir_ / "outside.csv") << "t,x,y,value\n0,1.5,0.2,1\n";
  const std::string obs = " --obs " + (*dir_ / "obs.csv").string();
  std::ofstream(*dir_ / "obs.csv") << "t,x,y,value\n0,0.1,0.2,0.5\n";
  const std::string bytes = slurp(*dir_ / "m.model");
  std::ofstream(*dir_ / "cut.model", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  const std::string cut = (*dir_ / "cut.model").string();

  expect_one_line_error(run_advect("surrogate predict " + model + " --obs " +
                                       (*dir_ / "nan.csv").string() + " --grid 4 --t 0" + out,
                                   *dir_),
                        "nan.csv: line 2: NaN");
  expect_one_line_error(run_advect("surrogate predict " + model + " --obs " +
                                       (*dir_ / "header.csv").string() + " --grid 4 --t 0" + out,
                                   *dir_),
                        "expected the header");
  expect_one_line_error(run_advect("surrogate predict " + model + " --obs " +
                                       (*dir_ / "outside.csv").string() + " --grid 4 --t 0" + out,
                                   *dir_),
                        "outside the unit square");
  expect_one_line_error(
      run_advect("surrogate predict " + cut + obs + " --grid 4 --t 0" + out, *dir_),
      "checksum mismatch");
  expect_one_line_error(run_advect("surrogate predict " + (*dir_ / "obs.csv").string() + obs +
                                       " --grid 4 --t 0" + out,
                                   *dir_),
                        "not an advect surrogate model file");
  expect_one_line_error(run_advect("surrogate predict " + model + obs + " --t 0" + out, *dir_),
                        "--at/--grid");
  expect_one_line_error(run_advect("surrogate predict " + model + obs + " --grid 4 --at " +
                                       (*dir_ / "obs.csv").string() + " --t 0" + out,
                                   *dir_),
                        "excludes");
  expect_one_line_error(
      run_advect("surrogate eval " + model + " --data " + (*dir_ / "nowhere").string(), *dir_),
      "not a directory");
  expect_one_line_error(
      run_advect("surrogate train --data " + (*dir_ / "data").string() + " --field pressure" + out,
                 *dir_),
      "pressure.npy: missing");
  EXPECT_FALSE(std::filesystem::exists(*dir_ / "never"));
}

TEST(CliCfd, QuickValidationPasses) {
  TempDir dir;
  const CliRun run = run_advect("cfd validate --quick -q --json " + (dir / "v.json").string(), dir);
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("7 passed, 0 failed"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("DFG 2D-1"), std::string::npos) << run.out;
  const auto json = nlohmann::json::parse(slurp(dir / "v.json"));
  ASSERT_EQ(json["checks"].size(), 7u);
  for (const auto& check : json["checks"]) EXPECT_TRUE(check["passed"].get<bool>()) << check;
}

// A two-view copy of the bundled lego, small enough for a CLI round trip.
std::filesystem::path two_view_lego(const TempDir& dir) {
  const std::filesystem::path lego =
      std::filesystem::path(ADVECT_SOURCE_DIR) / "data/radiance/lego_nerf_synthetic_100";
  const std::filesystem::path scene = dir / "lego2";
  std::filesystem::create_directories(scene / "train");
  nlohmann::json transforms = nlohmann::json::parse(slurp(lego / "transforms_train.json"));
  transforms["frames"] = {transforms["frames"][0], transforms["frames"][1]};
  for (const char* view : {"r_0.png", "r_1.png"}) {
    std::filesystem::copy_file(lego / "train" / view, scene / "train" / view);
  }
  std::ofstream(scene / "transforms.json") << transforms.dump();
  return scene;
}

TEST(CliRadiance, TrainEvalAndRenderWriteTheirFiles) {
  TempDir dir;
  const std::filesystem::path scene = two_view_lego(dir);
  const std::string model = (dir / "lego.model").string();
  const CliRun train = run_advect("radiance train " + scene.string() + " -o " + model +
                                      " --steps 20 --hashmap 14 --samples-per-step 8192",
                                  dir);
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_NE(train.out.find("trained 20 steps"), std::string::npos) << train.out;
  EXPECT_NE(train.out.find("time per stage"), std::string::npos) << train.out;
  const CliRun eval =
      run_advect("radiance eval " + model + " " + scene.string() + " --json " +
                     (dir / "eval.json").string() + " -o " + (dir / "pictures").string(),
                 dir);
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  const nlohmann::json table = nlohmann::json::parse(slurp(dir / "eval.json"));
  EXPECT_EQ(table["views"].size(), 2u);
  EXPECT_GT(table["mean"]["psnr"].get<double>(), 8.0);
  EXPECT_TRUE(std::filesystem::exists(dir / "pictures/view_001.png"));
  const CliRun render = run_advect(
      "radiance render " + model + " --orbit 3 --size 16 -o " + (dir / "frames").string(), dir);
  ASSERT_EQ(render.exit_code, 0) << render.err;
  EXPECT_EQ(files_under(dir / "frames").size(), 3u);
}

TEST(CliRadiance, SceneWritesImagesTruthAndLidarPairsThatSceneFlowEvalReads) {
  TempDir dir;
  const std::string out = (dir / "street").string();
  const CliRun scene =
      run_advect("radiance scene -o " + out + " --size 16 --cameras 2 --steps 3", dir);
  ASSERT_EQ(scene.exit_code, 0) << scene.err;
  EXPECT_NE(scene.out.find("6 frames (2 cameras x 3 steps, 16 x 16)"), std::string::npos)
      << scene.out;
  for (const char* file :
       {"transforms.json", "transforms_train.json", "transforms_test.json", "images/c1_t0002.png",
        "depth.npy", "object_id.npy", "sky_mask.npy", "flow_next.npy", "flow_prev.npy",
        "optical_flow.npy", "optical_flow/c1_t0001.png", "lidar/sweep_0002.npy",
        "lidar/pair_0001.npz", "lidar/origins.npy", "scene.json"}) {
    EXPECT_TRUE(std::filesystem::exists(dir / "street" / file)) << file;
  }
  const io::NpyArray depth = io::read_npy(dir / "street/depth.npy");
  EXPECT_EQ(depth.shape, (std::vector<std::size_t>{6, 16, 16}));
  const nlohmann::json transforms = nlohmann::json::parse(slurp(dir / "street/transforms.json"));
  EXPECT_EQ(transforms["frames"][5]["time"], 1.0);
  // Each frame names its depth; read back it is depth.npy with the sky (0) unknown.
  const radiance::PosedImages images = io::read_transforms_json(dir / "street/transforms.json");
  const std::vector<float> stacked = depth.values<float>();
  ASSERT_EQ(images.depth.size(), stacked.size());
  int sky = 0;
  for (std::size_t i = 0; i < stacked.size(); ++i) {
    if (stacked[i] == 0.0f) {
      EXPECT_TRUE(std::isnan(images.depth[i])) << i;
      ++sky;
    } else {
      EXPECT_EQ(images.depth[i], stacked[i]) << i;
    }
  }
  EXPECT_GT(sky, 0);
  // So eval scores depth where it is known.
  const std::string model = (dir / "street.model").string();
  ASSERT_EQ(
      run_advect("radiance train " + out + " -o " + model +
                     " --steps 3 --samples-per-step 4096 --hashmap 12 --box -13 -13 -1 13 13 5",
                 dir)
          .exit_code,
      0);
  // 6 frames, fewer than --test-every 8: the last frame is the test split.
  const nlohmann::json held_out = nlohmann::json::parse(slurp(dir / "street/transforms_test.json"));
  ASSERT_EQ(held_out["frames"].size(), 1u);
  EXPECT_EQ(held_out["frames"][0]["file_path"], "images/c1_t0002.png");
  const CliRun depth_eval = run_advect("radiance eval " + model + " " + out, dir);
  ASSERT_EQ(depth_eval.exit_code, 0) << depth_eval.err;
  EXPECT_NE(depth_eval.out.find("depth RMSE"), std::string::npos) << depth_eval.out;
  // The lidar pairs are in the layout `sceneflow eval` reads (with the exact flow as truth).
  const CliRun eval = run_advect(
      "sceneflow eval " + (dir / "street/lidar/pair_0000.npz").string() + " --method rigid", dir);
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  EXPECT_NE(eval.out.find("EPE"), std::string::npos) << eval.out;
}

// The dynamic model end to end on a tiny street: train, eval with the scene's truth (views at
// training and at new times, movers only, the decomposition, flow on the lidar pairs), render at
// times, and its flags' refusals.
TEST(CliRadiance, DynamicModelTrainsEvaluatesAndRendersAtAnyTime) {
  TempDir dir;
  const std::string out = (dir / "street").string();
  ASSERT_EQ(run_advect(
                "radiance scene -o " + out + " --size 16 --cameras 2 --steps 4 --test-every 3", dir)
                .exit_code,
            0);
  const std::string model = (dir / "dynamic.model").string();
  const std::string box = " --box -13 -13 -1 13 13 5";
  // With EmerNeRF's sparsity weight (off by default), so that its term runs too.
  std::ofstream(dir / "sparse.json") << R"({"sparsity": 0.01})";
  const CliRun train = run_advect("radiance train " + out + " -o " + model +
                                      " --model dynamic --steps 4 --hashmap 12" + box +
                                      " --config " + (dir / "sparse.json").string(),
                                  dir);
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_NE(train.out.find("dynamic: frame time 0.3333, last mean dynamic opacity"),
            std::string::npos)
      << train.out;
  // The scene's lidar supervises the depth with --lidar; its settings come from --config.
  EXPECT_NE(train.err.find("lidar returns; --lidar fits them too"), std::string::npos) << train.err;
  EXPECT_EQ(train.out.find("returns supervised"), std::string::npos) << train.out;
  const CliRun with_lidar =
      run_advect("radiance train " + out + " -o " + (dir / "lidar.model").string() +
                     " --model dynamic --steps 1 --hashmap 12 --lidar" + box,
                 dir);
  ASSERT_EQ(with_lidar.exit_code, 0) << with_lidar.err;
  EXPECT_NE(with_lidar.out.find(" returns supervised the depth"), std::string::npos)
      << with_lidar.out;
  std::ofstream(dir / "bad_lidar.json") << R"({"lidar": {"epsilon": [1.0]}})";
  expect_one_line_error(run_advect("radiance train " + out + " -o " + (dir / "z.model").string() +
                                       " --model dynamic --steps 1 --lidar" + box + " --config " +
                                       (dir / "bad_lidar.json").string(),
                                   dir),
                        "\"epsilon\" is [start, end]");
  EXPECT_FALSE(std::filesystem::exists(dir / "z.model"));
  const CliRun eval =
      run_advect("radiance eval " + model + " " + out + " --json " + (dir / "eval.json").string() +
                     " -o " + (dir / "panels").string(),
                 dir);
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  for (const char* line :
       {"dynamic-only PSNR", "decomposition:", "flow at the lidar points, 3 pairs"}) {
    EXPECT_NE(eval.out.find(line), std::string::npos) << line << "\n" << eval.out;
  }
  const nlohmann::json table = nlohmann::json::parse(slurp(dir / "eval.json"));
  // Every 3rd of 8 frames is held out: frames 2 and 5, at steps 1 and 2, whose other camera
  // trains: both are views at training times.
  EXPECT_EQ(table["all"]["views"], 2);
  EXPECT_EQ(table["novel_view"]["views"], 2);
  EXPECT_EQ(table["novel_time"]["views"], 0);
  EXPECT_GT(table["all"]["dynamic_pixels"].get<int>(), 0);
  EXPECT_GT(table["lidar_flow"]["movers"]["points"].get<int>(), 0);
  // Both held-out views have a next step: their optical flow is scored.
  EXPECT_EQ(table["optical_flow"]["views"], 2);
  EXPECT_GT(table["optical_flow"]["surface"]["pixels"].get<int>(), 0);
  EXPECT_TRUE(std::filesystem::exists(dir / "panels/view_001.png"));
  // The flow field beside the lidar methods in one table, scored as `eval` scores it; the
  // sequence method on the same points, the pairs taken as one sequence.
  const CliRun compare =
      run_advect("sceneflow compare " + out + "/lidar --methods rigid,sequence --radiance " +
                     model + " --json " + (dir / "compare.json").string(),
                 dir);
  ASSERT_EQ(compare.exit_code, 0) << compare.err;
  EXPECT_NE(compare.out.find("radiance flow field"), std::string::npos) << compare.out;
  const nlohmann::json rows = nlohmann::json::parse(slurp(dir / "compare.json"))["methods"];
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0]["method"], "rigid");
  EXPECT_EQ(rows[1]["method"], "sequence");
  EXPECT_EQ(rows[1]["all"]["points"], rows[0]["all"]["points"]);
  EXPECT_EQ(rows[2]["movers"]["points"], table["lidar_flow"]["movers"]["points"]);
  EXPECT_NEAR(rows[2]["movers"]["epe3d"].get<double>(),
              table["lidar_flow"]["movers"]["epe3d"].get<double>(), 1e-9);
  // The pairs' masks count: with only the movers evaluated, every evaluated point is a mover.
  std::filesystem::create_directories(dir / "movers_only");
  for (const auto& entry : std::filesystem::directory_iterator(out + "/lidar")) {
    if (entry.path().extension() != ".npz") continue;
    std::map<std::string, io::NpyArray> arrays = io::read_npz(entry.path());
    const std::vector<float> classes = arrays.at("classes").values<float>();
    arrays["mask"] = io::NpyArray::from_values<float>(classes, {classes.size()});
    io::write_npz(dir / "movers_only" / entry.path().filename(), arrays);
  }
  ASSERT_EQ(run_advect("sceneflow compare " + (dir / "movers_only").string() +
                           " --methods rigid --radiance " + model + " --scene " + out + " --json " +
                           (dir / "masked.json").string() + " -q",
                       dir)
                .exit_code,
            0);
  const nlohmann::json masked = nlohmann::json::parse(slurp(dir / "masked.json"))["methods"];
  EXPECT_EQ(masked[1]["all"]["points"], rows[2]["movers"]["points"]);
  EXPECT_NEAR(masked[1]["all"]["epe3d"].get<double>(), rows[2]["movers"]["epe3d"].get<double>(),
              1e-9);
  EXPECT_LT(masked[1]["all"]["points"].get<int>(), rows[2]["all"]["points"].get<int>());
  // Pairs that are not consecutive sweeps are no sequence: one line naming the pair.
  std::filesystem::create_directories(dir / "gap");
  std::filesystem::copy_file(out + "/lidar/pair_0000.npz", dir / "gap/pair_0000.npz");
  std::filesystem::copy_file(out + "/lidar/pair_0002.npz", dir / "gap/pair_0002.npz");
  expect_one_line_error(
      run_advect("sceneflow compare " + (dir / "gap").string() + " --methods sequence", dir),
      "its source is not the target of");
  const CliRun train_views =
      run_advect("radiance eval " + model + " " + out + " --split train -q", dir);
  ASSERT_EQ(train_views.exit_code, 0) << train_views.err;
  EXPECT_NE(train_views.out.find("6 views"), std::string::npos) << train_views.out;
  const CliRun render = run_advect(
      "radiance render " + model + " --orbit 3 --size 12 -o " + (dir / "frames").string(), dir);
  ASSERT_EQ(render.exit_code, 0) << render.err;
  EXPECT_EQ(files_under(dir / "frames").size(), 3u);
  const CliRun exported = run_advect("radiance export " + model + " " + out +
                                         " --min-opacity 0.01 -o " + (dir / "surfaces").string(),
                                     dir);
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_NE(exported.out.find("4 times of"), std::string::npos) << exported.out;
  for (const char* file : {"flow.pvd", "flow_0000.vtp", "flow_0003.vtp"}) {
    EXPECT_TRUE(std::filesystem::exists(dir / "surfaces" / file)) << file;
  }
  // The second motion model: a velocity field integrated between times.
  const std::string ode_model = (dir / "ode.model").string();
  const CliRun ode = run_advect("radiance train " + out + " -o " + ode_model +
                                    " --model dynamic-ode --steps 2 --hashmap 12" + box,
                                dir);
  ASSERT_EQ(ode.exit_code, 0) << ode.err;
  EXPECT_NE(ode.out.find("velocity field in 2 midpoint step(s) a frame"), std::string::npos)
      << ode.out;
  const CliRun ode_eval = run_advect("radiance eval " + ode_model + " " + out + " -q", dir);
  ASSERT_EQ(ode_eval.exit_code, 0) << ode_eval.err;
  EXPECT_NE(ode_eval.out.find("flow at the lidar points"), std::string::npos) << ode_eval.out;
  expect_one_line_error(run_advect("radiance train " + out + " -o " + (dir / "y.model").string() +
                                       " --model dynamic-ode --no-flow --steps 1" + box,
                                   dir),
                        "velocity field");
  // Holding out whole steps gives views at times never trained on.
  const std::string later = (dir / "later").string();
  ASSERT_EQ(run_advect("radiance scene -o " + later +
                           " --size 16 --cameras 2 --steps 4 --test-every 0 --test-steps-every 3",
                       dir)
                .exit_code,
            0);
  const CliRun new_times = run_advect(
      "radiance eval " + model + " " + later + " --json " + (dir / "later.json").string() + " -q",
      dir);
  ASSERT_EQ(new_times.exit_code, 0) << new_times.err;
  EXPECT_NE(new_times.out.find("at new times"), std::string::npos) << new_times.out;
  const nlohmann::json later_table = nlohmann::json::parse(slurp(dir / "later.json"));
  EXPECT_EQ(later_table["novel_time"]["views"], 2);  // step 2's two cameras
  expect_one_line_error(run_advect("radiance train " + out + " -o " + (dir / "x.model").string() +
                                       " --no-flow --steps 1" + box,
                                   dir),
                        "--model dynamic");
  const std::string static_model = (dir / "static.model").string();
  ASSERT_EQ(
      run_advect("radiance train " + out + " -o " + static_model + " --steps 1 --hashmap 12" + box,
                 dir)
          .exit_code,
      0);
  expect_one_line_error(run_advect("radiance render " + static_model + " --orbit 2 --time 0.5 -o " +
                                       (dir / "t").string(),
                                   dir),
                        "--time needs a dynamic model");
  expect_one_line_error(
      run_advect("radiance export " + static_model + " " + out + " -o " + (dir / "e").string(),
                 dir),
      "needs a dynamic one");
  EXPECT_FALSE(std::filesystem::exists(dir / "e"));
  expect_one_line_error(run_advect("sceneflow compare " + out + "/lidar --radiance " +
                                       static_model + " --json " + (dir / "c.json").string(),
                                   dir),
                        "is a static model");
  expect_one_line_error(run_advect("sceneflow compare " + out + "/lidar --radiance " + model +
                                       " --scene " + dir.path().string(),
                                   dir),
                        "transforms.json");
  EXPECT_FALSE(std::filesystem::exists(dir / "x.model"));
  EXPECT_FALSE(std::filesystem::exists(dir / "t"));
  EXPECT_FALSE(std::filesystem::exists(dir / "c.json"));
  std::filesystem::remove_all(later + "/lidar");
  expect_one_line_error(run_advect("radiance train " + later + " -o " + (dir / "w.model").string() +
                                       " --steps 1 --lidar" + box,
                                   dir),
                        "transforms_train.json: no lidar returns for its frames");
  EXPECT_FALSE(std::filesystem::exists(dir / "w.model"));
}

TEST(CliRadiance, BadInputGivesOneLineAndNoOutput) {
  TempDir dir;
  const std::string model = (dir / "out.model").string();
  expect_one_line_error(
      run_advect("radiance train " + (dir / "none").string() + " -o " + model, dir),
      "none: no such file");
  std::ofstream(dir / "transforms.json") << R"({"frames": [{"file_path": "x.png"}]})";
  expect_one_line_error(
      run_advect("radiance train " + (dir / "transforms.json").string() + " -o " + model, dir),
      "needs \"file_path\" and \"transform_matrix\"");
  EXPECT_FALSE(std::filesystem::exists(model));
  std::ofstream(dir / "fake.model") << "advect-radiance\nxx";
  expect_one_line_error(
      run_advect("radiance eval " + (dir / "fake.model").string() + " " + dir.path().string(), dir),
      "fake.model: truncated");
  expect_one_line_error(run_advect("radiance render " + (dir / "fake.model").string() +
                                       " --orbit 2 --background 2 0 0 -o " + (dir / "f").string(),
                                   dir),
                        "--background");
  EXPECT_FALSE(std::filesystem::exists(dir / "f"));
}

}  // namespace
}  // namespace advect::testing
