# Browser test of `kobai train --report` (issue 11): web/tests/train_report.spec.mjs trains 2
# optimizers on 300 digits (well under a second), opens the page in chromium
# (cmake/browser_test.cmake) and checks the curves, the confusion matrices and the misclassified
# digits. The page's script and style sheet are training.js/.css (web/src/training, built by
# cmake/playground.cmake).
if(TARGET kobai_cli AND KOBAI_PLAYGROUND_READY)
  include(${PROJECT_SOURCE_DIR}/cmake/browser_test.cmake)
  kobai_add_browser_test(NAME browser_train_report SCRIPT web/tests/train_report.spec.mjs
                         OUT ${CMAKE_BINARY_DIR}/browser-artifacts TIMEOUT 120 LABELS browser train)
endif()
