// read_scene_flow_npz on an arbitrary .npz: the keys (pc1/pc2/flow/mask/classes/ego_motion and
// FlowNet3D's names), their shapes, dtypes and values.
#include "FuzzInput.h"
#include "advect/io/SceneFlowData.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return advect::fuzz::read_input(data, size, "pair.npz", advect::io::read_scene_flow_npz);
}
