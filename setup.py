"""Builds kobai's extension module with CMake for `pip install --no-build-isolation .`.

setuptools (Debian's python3-setuptools) is the backend because it is the one Debian ships
offline (scikit-build-core is not in Debian 12). This file only tells it how to build the one
extension: configure this checkout with CMake for the interpreter running pip, build the target
kobai_python, and copy the result (and, when the checkout has them, the Plotly bundles that
reports embed) into the package.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
PLOTLY = [("plotly.js-cartesian-dist-min", "plotly-cartesian.min.js"),
          ("plotly.js-gl3d-dist-min", "plotly-gl3d.min.js")]


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build_dir = Path(self.build_temp).resolve() / "cmake"
        build_dir.mkdir(parents=True, exist_ok=True)
        configure = ["cmake", "-S", str(ROOT), "-B", str(build_dir), "-DCMAKE_BUILD_TYPE=Release",
                     f"-DPython_EXECUTABLE={sys.executable}", "-DKOBAI_BUILD_TESTS=OFF",
                     "-DKOBAI_BUILD_BENCH=OFF", "-DKOBAI_BUILD_APPS=OFF", "-DKOBAI_BUILD_PYTHON=ON",
                     # a warning from a newer compiler must not stop a user's install
                     "-DKOBAI_WERROR=OFF"]
        if shutil.which("ninja"):
            configure += ["-G", "Ninja"]
        subprocess.run(configure, check=True)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 1))
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "kobai_python", "-j", jobs], check=True)
        built = next((build_dir / "python" / "kobai").glob("_kobai*"), None)
        if built is None:
            raise RuntimeError("CMake did not build kobai's Python module: it needs pybind11 and Python's headers "
                               "(apt-get install pybind11-dev python3-dev)")
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(built, target)
        assets = target.parent / "assets"
        for package, file in PLOTLY:
            source = ROOT / "web" / "node_modules" / package / file
            if source.exists():
                assets.mkdir(exist_ok=True)
                shutil.copy2(source, assets / file)


# build-pip/: out of the way of the CMake build trees (build/, build-*/), which .gitignore covers too.
setup(ext_modules=[CMakeExtension("kobai._kobai")], cmdclass={"build_ext": CMakeBuild},
      options={"build": {"build_base": "build-pip"}})
