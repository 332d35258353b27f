#!/usr/bin/env bash
# Prepares the device check on a machine without a GPU: builds the CUDA test and benchmark programs
# in ./build-gpu (sm_90, x86-64-v3 host code so that they run on any recent x86 server, libraries
# linked as needed) and packs them, the shared libraries they load that a CUDA image lacks
# (everything but glibc, libstdc++ and the CUDA libraries) and the ../shared pairs the benchmarks
# read into .gpu/bundle.tar.xz. scripts/gpu-check.sh unpacks it on the GPU machine, which has no
# Debian packages and no network. Carry .gpu to that machine (it is ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."

programs=(tests/advect_engine_tests tests/advect_geometry_tests tests/advect_fluids_tests
  tests/advect_neural_tests apps/advect)
for bench in integrator chamfer mlp scene_flow accumulation poisson cavity; do
  programs+=("bench/advect_bench_$bench")
done

bash scripts/install-deps.sh
if [ ! -f build-gpu/CMakeCache.txt ]; then
  cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DADVECT_CUDA=ON \
    -DCMAKE_CUDA_ARCHITECTURES=90 -DADVECT_NATIVE_ARCH=OFF -DCMAKE_CXX_FLAGS="-march=x86-64-v3" \
    -DCMAKE_EXE_LINKER_FLAGS="-Wl,--as-needed" > build-gpu-configure.log
fi
cmake --build build-gpu --parallel "$(nproc)" --target "${programs[@]##*/}" advect_open3d advect_vtk
programs+=(plugins/libadvect_open3d.so plugins/libadvect_vtk.so)  # loaded on first use

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/build-gpu" "$stage/lib" "$stage/shared/sceneflow"
for program in "${programs[@]}"; do
  mkdir -p "$stage/build-gpu/$(dirname "$program")"
  cp "build-gpu/$program" "$stage/build-gpu/$program"
  ldd "build-gpu/$program" | awk '$3 ~ /^\// {print $3}'
done | sort -u | grep -Ev '/(libc|libm|libdl|librt|libpthread|libstdc\+\+|libgcc_s|libcuda|libcudart|libcublas|libcublasLt)\.so' |
  while read -r library; do cp -L "$library" "$stage/lib/"; done
cp -r ../shared/sceneflow/av2_chamfer_bench_pair_opensceneflow "$stage/shared/sceneflow/"
# The programs find data/ and ../shared through the source directory compiled into them.
pwd > "$stage/source_dir"
mkdir -p .gpu
tar -C "$stage" -cJf .gpu/bundle.tar.xz .
du -h .gpu/bundle.tar.xz
