# Browser test of the playground (issue 10): node runs web/tests/playground.spec.mjs, which writes
# the page with the built `kobai playground`, opens it in Debian's chromium (headless, through
# playwright-core) and drives it like a learner; screenshots and exported files go to
# <build>/browser-artifacts/playground. Registered only when the playground is built
# (cmake/playground.cmake: Emscripten and web/node_modules present).
if(TARGET kobai_cli AND KOBAI_PLAYGROUND_READY)
  find_program(KOBAI_NODE NAMES node nodejs)
  set(KOBAI_CHROMIUM /usr/bin/chromium CACHE FILEPATH "Chromium for the browser test")
  add_test(NAME browser_playground
           COMMAND ${KOBAI_NODE} ${PROJECT_SOURCE_DIR}/web/tests/playground.spec.mjs
                   --kobai $<TARGET_FILE:kobai_cli>
                   --out ${CMAKE_BINARY_DIR}/browser-artifacts/playground
                   --chromium ${KOBAI_CHROMIUM})
  # serial: the maps use every core
  set_tests_properties(browser_playground PROPERTIES LABELS browser TIMEOUT 600 RUN_SERIAL TRUE)
elseif(TARGET kobai_cli)
  message(STATUS "browser_playground test: not registered (the playground is not built)")
endif()
