# Browser test of the HTML reports (issue 5): node runs web/tests/reports.spec.mjs, which makes
# reports with the built `kobai` and opens them with Playwright (playwright-core, pinned in
# web/package-lock.json) driving Debian's chromium headless. Screenshots and measurements.json go
# to <build>/browser-artifacts. Needs scripts/install-deps.sh (chromium, node, web/node_modules).
# The pages embed the built web files (report.js, report.css, the engine; cmake/playground.cmake),
# which the build makes before any test runs (kobai_playground is part of `all`); without them the
# test is not registered.
if(TARGET kobai_cli AND NOT KOBAI_PLAYGROUND_READY)
  message(STATUS "browser_reports test: not registered (the reports' web files are not built)")
elseif(TARGET kobai_cli)
  find_program(KOBAI_NODE NAMES node nodejs)
  set(KOBAI_CHROMIUM /usr/bin/chromium CACHE FILEPATH "Chromium for the browser test")
  if(NOT KOBAI_NODE OR NOT EXISTS ${KOBAI_CHROMIUM} OR NOT EXISTS ${PROJECT_SOURCE_DIR}/web/node_modules/playwright-core)
    message(WARNING "browser test: node, ${KOBAI_CHROMIUM} or web/node_modules is missing; "
                    "run scripts/install-deps.sh (the test will fail until then)")
  endif()
  if(NOT KOBAI_NODE)
    set(KOBAI_NODE node)
  endif()
  add_test(NAME browser_reports
           COMMAND ${KOBAI_NODE} ${PROJECT_SOURCE_DIR}/web/tests/reports.spec.mjs
                   --kobai $<TARGET_FILE:kobai_cli>
                   --out ${CMAKE_BINARY_DIR}/browser-artifacts
                   --chromium ${KOBAI_CHROMIUM})
  # serial: the open-time measurement should not share the CPU with other tests
  set_tests_properties(browser_reports PROPERTIES LABELS browser TIMEOUT 900 RUN_SERIAL TRUE)
endif()
