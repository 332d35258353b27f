#!/usr/bin/env bash
# The main job on the bundled sample data: what advect was built with, scene flow on the
# bundled real lidar pairs (scored against their ground truth), lidar accumulation of the bundled
# eight-sweep sequence, the lid-driven cavity, a flow surrogate on a small vorticity set, then two
# integrations.
# Writes into ./out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh

advect=build/apps/advect
echo
"$advect" info
echo
echo "== Scene flow on the real KITTI pair (8192 points per sweep), both methods, scored against the truth"
"$advect" sceneflow eval data/sceneflow/kitti --method fast --json out/sceneflow-kitti-fast.json
"$advect" sceneflow eval data/sceneflow/kitti --method nsfp --points 2048 --json out/sceneflow-kitti-nsfp.json
echo
echo "== Scene flow on the real Argoverse 2 pair (74k points, official labels): flow, picture, scores"
"$advect" sceneflow estimate data/sceneflow/av2/av2_7fab2350.npz --method fast --png -o out/sceneflow-av2
"$advect" sceneflow estimate data/sceneflow/av2/av2_7fab2350.npz --method rigid --png -o out/sceneflow-av2-rigid
echo
echo "== Moving objects on two real PandaSet pairs with exact flow: neural prior against rigid objects,"
echo "   with the Argoverse 2 ranking metric (mean dynamic normalized EPE)"
"$advect" sceneflow eval data/sceneflow/pandaset --method fast --json out/sceneflow-pandaset-fast.json
"$advect" sceneflow eval data/sceneflow/pandaset --method rigid --json out/sceneflow-pandaset-rigid.json
echo
echo "== Lidar accumulation: 8 real Argoverse 2 sweeps carried to frame 3 through their scene flow"
"$advect" accumulate data/lidar/av2_bird --world-frame -o out/accumulate
"$advect" accumulate data/lidar/av2_bird --world-frame --method rigid -o out/accumulate-rigid
echo "   ... and with the sequence method: each object's velocity fitted to the sweeps around it,"
echo "   written as one flow file per sweep, then accumulated from those files"
"$advect" sceneflow sequence data/lidar/av2_bird --world-frame -o out/sceneflow-sequence
"$advect" accumulate data/lidar/av2_bird --world-frame --flows out/sceneflow-sequence/flows \
  -o out/accumulate-sequence
echo "   pictures: out/accumulate/accumulation.png, out/accumulate-rigid/accumulation.png,"
echo "   out/accumulate-sequence/accumulation.png (pose only | with scene flow: fast, rigid, sequence)"
echo
echo "== Lid-driven cavity at Re = 100 on 64^2 to a steady state, against Ghia, Ghia & Shin (1982)"
"$advect" cfd run cavity --re 100 --n 64 -o out/cavity
echo "   pictures: out/cavity/speed.png, out/cavity/vorticity.png; ParaView: out/cavity/fields.pvd"
echo
echo "== Flow surrogate: 60 vorticity cases (48 training, 12 test), a short training, then the scores"
echo "   (the report configuration, 400 cases and 20000 steps, is in docs/surrogate.md)"
"$advect" cfd dataset vorticity --cases 48 --frames 20 -q -o out/vorticity-set
"$advect" cfd dataset vorticity --cases 60 --frames 40 -q -o out/vorticity-set
"$advect" surrogate train --data out/vorticity-set --dynamics-iterations 1500 -o out/surrogate/ns.model
"$advect" surrogate eval out/surrogate/ns.model --data out/vorticity-set --obs 0.25 --frame-stride 2 \
  --json out/surrogate/scores.json --png out/surrogate
echo
echo "== Double gyre (Shadden et al. 2005): 2048 seeds, Dormand-Prince 5(4), two periods"
"$advect" integrate --field double-gyre --grid 64 32 1 --method dopri5 --rtol 1e-6 -o out/double-gyre
echo
echo "== A real Argoverse 2 lidar sweep (data/lidar) swirled by a Lamb-Oseen vortex for 10 s"
"$advect" integrate data/lidar/av2_bird/0000.ply --field vortex --circulation 200 --core-radius 8 \
  --method dopri5 --outputs 21 -o out/lidar-vortex
