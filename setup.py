"""Builds the compiled part of the advect package (python/) with the project's CMake.

Host code is compiled for any x86-64-v2 CPU, not the build machine's (-march=native is for local
builds only); CUDA kernels are compiled when nvcc is found, as in the CMake build (ADVECT_CUDA and
ADVECT_CUDA_ARCHITECTURES in the environment choose otherwise). The CMake build folder is
build-wheel/ and is reused by later builds.
"""
import os
import pathlib
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = pathlib.Path(__file__).resolve().parent


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build = ROOT / "build-wheel"
        configure = [
            "cmake", "-S", str(ROOT), "-B", str(build), "-G", "Ninja",
            "-DCMAKE_BUILD_TYPE=Release",
            "-DADVECT_NATIVE_ARCH=OFF", "-DCMAKE_CXX_FLAGS=-march=x86-64-v2",
            "-DADVECT_BUILD_TESTS=OFF", "-DADVECT_BUILD_BENCH=OFF", "-DADVECT_BUILD_PYTHON=ON",
            f"-DPython_EXECUTABLE={sys.executable}",
            f"-DADVECT_CUDA={os.environ.get('ADVECT_CUDA', 'AUTO')}",
            f"-DCMAKE_CUDA_ARCHITECTURES={os.environ.get('ADVECT_CUDA_ARCHITECTURES', '90')}",
        ]
        subprocess.run(configure, check=True)
        subprocess.run(["cmake", "--build", str(build), "--target", "_advect", "advect_open3d",
                        "advect_vtk", "--parallel", str(os.cpu_count() or 2)], check=True)
        built = next((build / "python" / "advect").glob("_advect*.so"))
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(built, target)
        # Open3D and VTK are called from plugins loaded on first use, looked for beside the module.
        for plugin in (build / "plugins").glob("libadvect_*.so"):
            shutil.copy2(plugin, target.parent / plugin.name)


setup(
    packages=["advect"],
    package_dir={"": "python"},
    package_data={"advect": ["__init__.pyi", "py.typed"]},
    ext_modules=[Extension("advect._advect", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
)
