#include "SceneFlowFlags.h"

#include "NumberChecks.h"

namespace advect::app {

void add_scene_flow_flags(CLI::App& app, lidar::SceneFlowSettings& settings, bool sequences) {
  std::vector<std::string> methods = {"nsfp", "fast", "rigid"};
  if (sequences) methods.push_back("sequence");
  app.add_option("--method", settings.method,
                 std::string("nsfp (Chamfer + cycle loss, as published), fast (distance-transform "
                             "loss) or rigid (clusters moved by ICP, after ICP-Flow)") +
                     (sequences ? ", or sequence (each cluster's velocity fitted to the sweeps "
                                  "around it)"
                                : ""))
      ->check(CLI::IsMember(methods))
      ->capture_default_str();
  if (sequences) {
    app.add_option("--window", settings.sequence.window,
                   "sequence: sweeps on each side that each cluster's velocity is fitted to")
        ->check(CLI::Range(1, 20))
        ->capture_default_str();
    add_warm_start_flag(app, settings);
  }
  app.add_option("--points", settings.points,
                 "Fit on N random points of each cloud (default: all); the flow is still "
                 "given at every source point")
      ->check(CLI::Range(std::int64_t(16), std::int64_t(1) << 40));
  app.add_option("--max-iters", settings.max_iterations, "Most optimisation iterations per pair")
      ->check(positive())
      ->capture_default_str();
  app.add_option("--patience", settings.patience,
                 "Stop after this many iterations without improvement (default: nsfp 100, fast 50)")
      ->check(positive());
  app.add_option("--min-delta", settings.min_delta,
                 "Loss decrease that resets the patience (default: nsfp 1e-4, fast 1e-3)")
      ->check(non_negative());
  app.add_option("--lr", settings.learning_rate,
                 "Adam learning rate (default: nsfp 0.008, fast 0.003)")
      ->check(positive());
  app.add_option("--batch", settings.batch,
                 "fast: random source points per step (default 512; 0 = every point)")
      ->check(non_negative());
  app.add_option("--precision", settings.precision,
                 "nsfp, fast: the networks' matrix products in fp32, or bf16 (inputs rounded to "
                 "bfloat16, float32 sums; needs AVX512-BF16 or a GPU)")
      ->check(CLI::IsMember({"fp32", "bf16"}))
      ->capture_default_str();
  app.add_option("--crop", settings.crop, "Keep only points within this distance of the sensor, m")
      ->check(positive());
  app.add_flag("--remove-ground", settings.remove_ground,
               "Remove the ground plane (RANSAC, z up) from both clouds first");
  app.add_flag("!--no-ego-compensation", settings.ego_compensation,
               "Fit the full flow even when the pair gives its ego motion");
  app.add_option("--cluster-radius", settings.rigid.clusters.radius,
                 "rigid: points this near share a cluster, m")
      ->check(positive())
      ->capture_default_str();
  app.add_option("--up", settings.up,
                 "rigid: the vertical axis of the clouds' frame: z (lidar), -y (camera, as KITTI)")
      ->check(CLI::IsMember({"z", "-y"}))
      ->capture_default_str();
  app.add_option("--seed", settings.seed, "Seed of the network initialisation and the subsampling")
      ->capture_default_str();
}

void add_warm_start_flag(CLI::App& app, lidar::SceneFlowSettings& settings) {
  app.add_flag("--warm-start", settings.warm_start,
               "nsfp, fast: start each pair's networks from the previous pair's fit (pairs of "
               "one sequence, in order) instead of a fresh draw");
}

}  // namespace advect::app
