# Type stubs of the advect package (the compiled advect._advect and the helpers of __init__.py).
from os import PathLike
from typing import Any, Callable, Literal, Optional, Sequence, Union

import numpy as np
import numpy.typing as npt

__version__: str
_Path = Union[str, PathLike[str]]
_Array = npt.ArrayLike

class IoError(OSError): ...

class VectorField:
    @property
    def dimension(self) -> int: ...

class Flow:
    @property
    def time(self) -> float: ...
    @property
    def shape(self) -> tuple[int, int]: ...
    @property
    def h(self) -> float: ...
    def step(self, dt: float = 0.0) -> dict[str, Any]: ...
    def advance(self, t_end: float, steady_tol: float = 0.0) -> dict[str, Any]: ...
    @property
    def u(self) -> npt.NDArray[np.float64]: ...
    @property
    def v(self) -> npt.NDArray[np.float64]: ...
    @property
    def pressure(self) -> npt.NDArray[np.float64]: ...
    @property
    def vorticity(self) -> npt.NDArray[np.float64]: ...
    @property
    def velocity(self) -> npt.NDArray[np.float64]: ...

def cuda_device_count() -> int: ...
def cpu_threads() -> int: ...
def set_cpu_threads(n: int) -> None: ...

class Surrogate:
    def __init__(self, config: dict[str, Any] = ..., *, device: str = "auto", seed: int = 0) -> None: ...
    def train(
        self,
        trajectories: _Array,
        *,
        dynamics_iterations: int = 20000,
        field_iterations: int = 0,
        point_fraction: float = 0.25,
        seed: int = 0,
        progress: Optional[Callable[[str, int, int, float], None]] = None,
    ) -> dict[str, float]: ...
    def observe(
        self, truth: _Array, *, point_fraction: float = 0.25, frame_stride: int = 1, seed: int = 0
    ) -> list[tuple[float, npt.NDArray[np.float64], npt.NDArray[np.float32]]]: ...
    def predict(
        self, observations: Sequence[tuple[float, _Array, _Array]], points: _Array, times: _Array
    ) -> npt.NDArray[np.float32]: ...
    def to_bytes(self) -> bytes: ...
    def save(self, path: _Path) -> None: ...
    @staticmethod
    def load(path: _Path, *, device: str = "auto") -> "Surrogate": ...
    @property
    def config(self) -> dict[str, Any]: ...
    @property
    def parameter_count(self) -> int: ...

class Trainer:
    def __init__(
        self, config: dict[str, Any], n_input_dims: int, n_output_dims: int, *, device: str = "auto", seed: int = 0
    ) -> None: ...
    def step(self, inputs: _Array, targets: _Array) -> float: ...
    def predict(self, inputs: _Array) -> npt.NDArray[np.float32]: ...
    @property
    def parameter_count(self) -> int: ...
    @property
    def steps(self) -> int: ...
    @property
    def learning_rate(self) -> float: ...
    @property
    def config(self) -> dict[str, Any]: ...
    @property
    def parameters(self) -> npt.NDArray[np.float32]: ...

def read_posed_images(scene: _Path, split: str = "train") -> dict[str, Any]: ...
def train_radiance(
    scene: _Path,
    output: _Path,
    *,
    seconds: float = 300.0,
    steps: Optional[int] = None,
    samples_per_step: Optional[int] = None,
    config: Optional[dict[str, Any]] = None,
    model: str = "static",
    lidar: bool = False,
    seed: int = 0,
    device: str = "auto",
) -> dict[str, Any]: ...
def render_radiance(
    model: _Path,
    camera_to_world: _Array,
    *,
    width: int,
    height: int,
    fx: float,
    fy: Optional[float] = None,
    cx: Optional[float] = None,
    cy: Optional[float] = None,
    time: Optional[float] = None,
    background: Sequence[float] = (1.0, 1.0, 1.0),
    device: str = "auto",
) -> dict[str, npt.NDArray[np.float32]]: ...
def query_radiance(model: _Path, points: _Array, *, time: float, device: str = "auto") -> dict[str, npt.NDArray[np.float32]]: ...
def dataset_case(problem: Literal["cavity", "cylinder", "vorticity"], k: int, *, device: str = "auto", **options: Any) -> dict[str, Any]: ...
def read_cfdbench(
    directory: _Path,
    field: str = "u",
    *,
    split: Literal["train", "test", "all"] = "all",
    test_fraction: float = 0.2,
    max_frames: int = 0,
) -> dict[str, Any]: ...
def evaluate_surrogate(
    model: Surrogate, trajectories: _Array, *, point_fraction: float = 0.25, frame_stride: int = 1, seed: int = 0
) -> dict[str, Any]: ...
def keep_freed_memory_for_reuse() -> None: ...
def read_point_cloud(path: _Path) -> tuple[npt.NDArray[np.float32], dict[str, npt.NDArray[np.float32]]]: ...
def write_point_cloud(path: _Path, points: _Array, scalars: dict[str, _Array] = ...) -> None: ...
def read_scene_flow_pair(
    source: _Path, target: Optional[_Path] = None, flow: Optional[_Path] = None
) -> dict[str, Any]: ...
def read_poses(path: _Path) -> list[npt.NDArray[np.float64]]: ...
def write_kitti_poses(path: _Path, poses: Sequence[_Array]) -> None: ...
def read_timestamps(path: _Path) -> list[float]: ...
def list_sweeps(directory_or_pattern: str) -> list[str]: ...
def scene_flow(
    pc1: _Array,
    pc2: _Array,
    method: Literal["fast", "nsfp", "rigid"] = "fast",
    *,
    points: Optional[int] = None,
    max_iterations: int = 5000,
    patience: Optional[int] = None,
    min_delta: Optional[float] = None,
    lr: Optional[float] = None,
    batch: Optional[int] = None,
    crop: Optional[float] = None,
    remove_ground: bool = False,
    ego_motion: Optional[_Array] = None,
    ego_compensation: bool = True,
    seed: int = 0,
    precision: Literal["fp32", "bf16"] = "fp32",
    device: str = "auto",
    progress: Optional[Callable[[int, int], None]] = None,
) -> tuple[npt.NDArray[np.float32], dict[str, Any]]: ...
def evaluate_flow(
    pc1: _Array,
    flow: _Array,
    truth: _Array,
    *,
    mask: Optional[_Array] = None,
    classes: Optional[_Array] = None,
    ego_motion: Optional[_Array] = None,
    taxonomy: Literal["argoverse2", "pandaset"] = "argoverse2",
) -> dict[str, Any]: ...
def compare_scene_flow(
    dataset: _Path,
    *,
    methods: Sequence[Literal["nsfp", "fast", "rigid", "sequence"]] = ("nsfp", "fast"),
    radiance: Optional[_Path] = None,
    scene: Optional[_Path] = None,
    points: Optional[int] = None,
    seed: int = 0,
    device: str = "auto",
) -> list[dict[str, Any]]: ...
def accumulate(
    sweeps: Sequence[_Array],
    *,
    poses: Union[None, Sequence[_Array], Literal["icp", "gicp"]] = None,
    times: Optional[_Array] = None,
    flows: Optional[Sequence[_Array]] = None,
    method: Literal["fast", "nsfp", "rigid", "sequence"] = "fast",
    reference: int = -1,
    moving_speed: float = 0.5,
    max_trajectories: int = 5000,
    in_reference_frame: bool = False,
    crop: Optional[float] = None,
    remove_ground: bool = False,
    max_iterations: int = 5000,
    seed: int = 0,
    span: int = 1,
    window: int = 4,
    device: str = "auto",
    progress: Optional[Callable[[str, float, float], None]] = None,
) -> dict[str, Any]: ...
def synthetic_street(
    *,
    sweeps: int = 8,
    harder: bool = False,
    noise: Optional[float] = None,
    dropout: Optional[float] = None,
    points_per_box: Optional[int] = None,
    occlusion: Optional[bool] = None,
    reference_range: Optional[float] = None,
    ground: bool = False,
    seed: int = 1,
) -> dict[str, Any]: ...
def rotation_field(
    omega: float = 1.0, axis: Sequence[float] = ..., centre: Sequence[float] = ...
) -> VectorField: ...
def vortex_field(
    circulation: float = 1.0, core_radius: float = 0.2, centre: Sequence[float] = ...
) -> VectorField: ...
def double_gyre_field(
    amplitude: float = 0.1, epsilon: float = 0.25, frequency: float = ...
) -> VectorField: ...
def integrate(
    field: Union[VectorField, Callable[[float, npt.NDArray[np.float64]], _Array]],
    seeds: _Array,
    times: _Array,
    *,
    method: str = "dopri5",
    rtol: float = 1e-6,
    atol: float = 1e-9,
    step: float = 0.0,
    device: str = "auto",
) -> npt.NDArray[np.float64]: ...
def cavity(
    n: int,
    re: float,
    *,
    lid: float = 1.0,
    precision: Literal["double", "float"] = "double",
    pressure_rtol: Optional[float] = None,
    device: str = "auto",
) -> Flow: ...
def dfg_cylinder(
    case: Literal["2D-1", "2D-2"] = "2D-1",
    rows: int = 64,
    *,
    precision: Literal["double", "float"] = "double",
    pressure_rtol: Optional[float] = None,
    device: str = "auto",
) -> Flow: ...
def centre_lines(flow: Flow) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
def compare_with_ghia(flow: Flow, re: float) -> dict[str, Any]: ...
def to_open3d(points: _Array, colors: Optional[_Array] = None) -> Any: ...
def from_open3d(cloud: Any) -> npt.NDArray[np.float32]: ...
