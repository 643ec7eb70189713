# Browser test of the playground (issue 10): web/tests/playground.spec.mjs writes the page with the
# built `kobai playground`, opens it in chromium (cmake/browser_test.cmake) and drives it like a
# learner; screenshots and exported files go to <build>/browser-artifacts/playground. Registered
# only when the playground is built (cmake/playground.cmake: Emscripten and web/node_modules).
if(TARGET kobai_cli AND KOBAI_PLAYGROUND_READY)
  include(${PROJECT_SOURCE_DIR}/cmake/browser_test.cmake)
  # serial: the maps use every core
  kobai_add_browser_test(NAME browser_playground SCRIPT web/tests/playground.spec.mjs
                         OUT ${CMAKE_BINARY_DIR}/browser-artifacts/playground TIMEOUT 600 LABELS browser RUN_SERIAL)
elseif(TARGET kobai_cli)
  message(STATUS "browser_playground test: not registered (the playground is not built)")
endif()
