# Browser test of `kobai train --report` (issue 11): node runs web/tests/train_report.spec.mjs,
# which trains 2 optimizers on 300 digits (well under a second), opens the page with Playwright
# (playwright-core, web/package-lock.json) driving Debian's chromium headless, and checks the
# curves, the confusion matrices and the misclassified digits. Needs scripts/install-deps.sh.
# The page's script and style sheet are training.js/.css (web/src/training, built by
# cmake/playground.cmake).
if(TARGET kobai_cli AND KOBAI_PLAYGROUND_READY)
  find_program(KOBAI_NODE NAMES node nodejs)
  set(KOBAI_CHROMIUM /usr/bin/chromium CACHE FILEPATH "Chromium for the browser test")
  if(NOT KOBAI_NODE)
    set(KOBAI_NODE node)
  endif()
  add_test(NAME browser_train_report
           COMMAND ${KOBAI_NODE} ${PROJECT_SOURCE_DIR}/web/tests/train_report.spec.mjs
                   --kobai $<TARGET_FILE:kobai_cli>
                   --out ${CMAKE_BINARY_DIR}/browser-artifacts
                   --chromium ${KOBAI_CHROMIUM})
  set_tests_properties(browser_train_report PROPERTIES LABELS "browser;train" TIMEOUT 120)
endif()
