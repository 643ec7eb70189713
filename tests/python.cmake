# The Python module's tests (tests/python, pytest): SciPy compatibility, torch.optim step by step,
# in place and no copy, every error path, the GIL. They import kobai from the build tree
# (build/python, where bindings/python/CMakeLists.txt puts the extension and the package), with
# Debian's interpreter (NumPy, SciPy, PyTorch).
if(KOBAI_PYTHON_EXECUTABLE)
  add_test(NAME python
           COMMAND ${KOBAI_PYTHON_EXECUTABLE} -m pytest -q -p no:cacheprovider ${CMAKE_CURRENT_SOURCE_DIR}/python
           WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
  # KOBAI_EXE: the command line, whose report pages test_report.py compares with Python's.
  # KOBAI_WEB_FILES: whether this build has the web files a report embeds (cmake/playground.cmake);
  # without them test_report.py checks that writing a page fails clearly instead.
  set_tests_properties(python PROPERTIES LABELS python TIMEOUT 300
                       ENVIRONMENT "PYTHONPATH=${KOBAI_PYTHON_BUILD_DIR};PYTHONDONTWRITEBYTECODE=1;KOBAI_EXE=$<$<TARGET_EXISTS:kobai_cli>:$<TARGET_FILE:kobai_cli>>;KOBAI_WEB_FILES=$<BOOL:${KOBAI_PLAYGROUND_READY}>")
endif()
