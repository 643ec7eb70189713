# Browser test of the HTML reports (issue 5): web/tests/reports.spec.mjs makes reports with the
# built `kobai` and opens them in chromium (cmake/browser_test.cmake). Screenshots and
# measurements.json go to <build>/browser-artifacts. The pages embed the built web files
# (report.js, report.css, the engine; cmake/playground.cmake), which the build makes before any
# test runs (kobai_playground is part of `all`); without them the test is not registered.
if(TARGET kobai_cli AND NOT KOBAI_PLAYGROUND_READY)
  message(STATUS "browser_reports test: not registered (the reports' web files are not built)")
elseif(TARGET kobai_cli)
  include(${PROJECT_SOURCE_DIR}/cmake/browser_test.cmake)
  # serial: the open-time measurement should not share the CPU with other tests
  kobai_add_browser_test(NAME browser_reports SCRIPT web/tests/reports.spec.mjs
                         OUT ${CMAKE_BINARY_DIR}/browser-artifacts TIMEOUT 900 LABELS browser RUN_SERIAL)
endif()
