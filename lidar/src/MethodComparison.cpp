#include "advect/lidar/MethodComparison.h"

#include <chrono>
#include <stdexcept>

#include "advect/lidar/ChainSceneFlow.h"

namespace advect::lidar {

std::vector<MethodScore> compare_methods(const std::vector<geometry::SceneFlowPair>& pairs,
                                         const std::vector<std::string>& methods,
                                         const SceneFlowSettings& settings, const Device& device,
                                         const std::vector<FlowSource>& sources,
                                         const std::function<void()>& scored) {
  for (const geometry::SceneFlowPair& pair : pairs) {
    if (!pair.has_truth())
      throw std::invalid_argument(pair.name + ": no ground-truth flow to score");
  }
  for (const std::string& method : methods) {  // every refusal before minutes of work
    SceneFlowSettings own = settings;
    own.method = method;
    own.check_method();
  }
  std::vector<MethodScore> scores;
  const auto score = [&](MethodScore& s, const geometry::SceneFlowPair& pair,
                         const std::vector<float>& flow) {
    const geometry::PairFlowErrors errors = geometry::pair_flow_errors(pair, flow);
    s.all.add(errors.all);
    s.movers.add(errors.movers);
    if (scored) scored();
  };
  for (const std::string& method : methods) {
    MethodScore& s = scores.emplace_back();
    s.name = method;
    SceneFlowSettings own = settings;
    own.method = method;
    if (method == "sequence") {
      own.remove_ground = true;
      const std::vector<FlowEstimate> estimates = estimate_chain_flows(pairs, own, device);
      for (std::size_t k = 0; k < pairs.size(); ++k) {
        s.seconds += estimates[k].seconds;
        score(s, pairs[k], estimates[k].flow);
      }
      continue;
    }
    for (const geometry::SceneFlowPair& pair : pairs) {
      const PreparedPair prepared = prepare_pair(pair, own, device);
      const FlowEstimate estimate = estimate_flow(prepared.pair, own, device);
      s.seconds += estimate.seconds;
      score(s, prepared.pair, estimate.flow);
    }
  }
  for (const FlowSource& source : sources) {
    MethodScore& s = scores.emplace_back();
    s.name = source.name;
    for (std::size_t k = 0; k < pairs.size(); ++k) {
      const auto start = std::chrono::steady_clock::now();
      const std::vector<float> flow = source.flow(k);
      s.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (flow.size() != pairs[k].flow.size()) {
        throw std::invalid_argument(source.name + ": a flow of " + std::to_string(flow.size()) +
                                    " values for " + pairs[k].name + "'s " +
                                    std::to_string(pairs[k].flow.size()));
      }
      score(s, pairs[k], flow);
    }
  }
  return scores;
}

}  // namespace advect::lidar
