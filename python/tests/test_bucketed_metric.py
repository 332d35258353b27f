"""The bucketed normalised EPE (Argoverse 2 2024 ranking) against a line-by-line reading of the
official evaluation (BucketedSceneFlowEval: per-frame splits by fine class and speed bucket, count-
weighted merges into meta classes, normalisation, nan-means), written here in numpy."""
import warnings

import numpy as np
import pytest

import advect

AV2_META = {  # av2-api CATEGORY_MAP ids (0 = no cuboid), as av2_metacategories.py groups them
    "BACKGROUND": [0],
    "CAR": [19],
    "OTHER_VEHICLES": [6, 11, 18, 25, 26, 27, 2, 7, 20],
    "PEDESTRIAN": [17, 23, 28, 16],
    "WHEELED_VRU": [3, 4, 14, 15, 29, 30],
}
PANDASET_META = {
    "BACKGROUND": list(range(1, 13)) + [40, 41, 42],
    "CAR": [13, 14],
    "OTHER_VEHICLES": [15, 16, 17, 19, 20, 22, 23, 27, 28, 29],
    "PEDESTRIAN": [30, 31],
    "WHEELED_VRU": [18, 21, 24, 25, 26],
}


def official_reading(pc1, pred, gt, ego, classes, meta):
    """Per-class static EPE and dynamic normalised EPE as bucketed_epe.py computes them for one frame."""
    edges = np.concatenate([np.linspace(0, 2.0, 51), [np.inf]])
    buckets = list(zip(edges, edges[1:]))
    gt_ego_removed, pred_ego_removed = gt - ego, pred - ego
    speeds = np.linalg.norm(gt_ego_removed, axis=1)
    epes = np.linalg.norm(gt_ego_removed - pred_ego_removed, axis=1)
    inside = np.linalg.norm(pc1[:, :2], ord=np.inf, axis=1) < 35
    # Per fine class and bucket: (mean EPE, mean speed, count).
    fine = {}
    for b, (low, high) in enumerate(buckets):
        in_bucket = (speeds >= low) & (speeds < high)
        for c in np.unique(classes):
            m = in_bucket & (classes == c) & inside
            if m.sum():
                fine[(int(c), b)] = (epes[m].sum() / m.sum(), speeds[m].mean(), int(m.sum()))
    # Merge the fine classes into meta classes, count-weighted (merge_matrix_classes).
    result = {}
    for name, ids in meta.items():
        epe = np.full(len(buckets), np.nan)
        speed = np.full(len(buckets), np.nan)
        count = np.zeros(len(buckets))
        for c in ids:
            for b in range(len(buckets)):
                if (c, b) not in fine:
                    continue
                e, s, n = fine[(c, b)]
                if np.isnan(epe[b]):
                    epe[b], speed[b], count[b] = e, s, n
                else:
                    epe[b] = np.average([epe[b], e], weights=[count[b], n])
                    speed[b] = np.average([speed[b], s], weights=[count[b], n])
                    count[b] += n
        normalised = epe.copy()
        normalised[1:] = epe[1:] / speed[1:]
        with warnings.catch_warnings():  # a class without moving points: nanmean of nothing
            warnings.simplefilter("ignore", RuntimeWarning)
            dynamic = np.nanmean(normalised[1:])
        result[name] = (normalised[0], dynamic)
    return result


def noisy_prediction(pair, seed):
    """Truth on some points, zero motion on others, noise on the rest: every bucket gets errors."""
    rng = np.random.default_rng(seed)
    gt = pair["flow"]
    pc1 = pair["pc1"]
    ego = pc1 @ pair["ego_motion"][:3, :3].T.astype(np.float64) + pair["ego_motion"][:3, 3] - pc1
    pred = gt + rng.normal(0, 0.05, gt.shape)
    pred[::3] = ego[::3]
    return pred.astype(np.float32), ego


@pytest.mark.parametrize("sample, meta", [("av2/av2_7fab2350.npz", AV2_META),
                                          ("pandaset/pandaset002_22_23.npz", PANDASET_META)])
def test_matches_the_official_computation(data, sample, meta):
    pair = advect.read_scene_flow_pair(data / "sceneflow" / sample)
    pred, ego = noisy_prediction(pair, 7)
    scores = advect.evaluate_flow(pair["pc1"], pred, pair["flow"], mask=pair["mask"],
                                  classes=pair["classes"], ego_motion=pair["ego_motion"],
                                  taxonomy=pair["taxonomy"])["bucketed"]
    official = official_reading(pair["pc1"].astype(np.float64), pred.astype(np.float64),
                                pair["flow"].astype(np.float64), ego, pair["classes"], meta)
    dynamic_means = []
    for name, (static, dynamic) in official.items():
        ours = scores["classes"][name]
        for mine, theirs in ((ours["static_epe"], static), (ours["dynamic_normalized"], dynamic)):
            if np.isnan(theirs):
                assert np.isnan(mine), name
            else:
                assert mine == pytest.approx(theirs, rel=1e-5, abs=1e-6), name
        if not np.isnan(dynamic):
            dynamic_means.append(dynamic)
    assert len(dynamic_means) >= 2  # cars and pedestrians move in both samples
    assert scores["mean_dynamic_normalized"] == pytest.approx(np.mean(dynamic_means), rel=1e-5)


def test_zero_flow_scores_one(data):
    pair = advect.read_scene_flow_pair(data / "sceneflow/pandaset/pandaset002_05_06.npz")
    assert pair["taxonomy"] == "pandaset"
    _, ego = noisy_prediction(pair, 0)
    scores = advect.evaluate_flow(pair["pc1"], ego.astype(np.float32), pair["flow"],
                                  classes=pair["classes"], ego_motion=pair["ego_motion"],
                                  taxonomy="pandaset")["bucketed"]
    assert scores["mean_dynamic_normalized"] == pytest.approx(1.0, abs=2e-4)
    with pytest.raises(ValueError, match="taxonomy"):
        advect.evaluate_flow(pair["pc1"], ego.astype(np.float32), pair["flow"],
                             classes=pair["classes"], ego_motion=pair["ego_motion"], taxonomy="kitti")
