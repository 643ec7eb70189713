"""pytest setup for kobai's Python tests: the module comes from the build tree (tests/python.cmake
puts build/python on PYTHONPATH) or from an installed copy."""
import numpy as np
import pytest


@pytest.fixture
def rng():
    return np.random.default_rng(20261130)
