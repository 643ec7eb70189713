# kobai_add_browser_test(NAME <test> SCRIPT <path from the source root> OUT <artifacts folder>
#                        TIMEOUT <seconds> LABELS <label>... [RUN_SERIAL])
#
# A browser test: node runs SCRIPT (web/tests/*.spec.mjs) with the built kobai program, the
# folder for its screenshots and files, and Debian's chromium, which the script drives headless
# through playwright-core (pinned in web/package-lock.json). scripts/install-deps.sh installs node,
# chromium and web/node_modules; without them configure warns once and the tests fail until then.
include_guard(GLOBAL)

find_program(KOBAI_NODE NAMES node nodejs)
set(KOBAI_CHROMIUM /usr/bin/chromium CACHE FILEPATH "Chromium for the browser tests")
if(NOT KOBAI_NODE OR NOT EXISTS ${KOBAI_CHROMIUM} OR NOT EXISTS ${PROJECT_SOURCE_DIR}/web/node_modules/playwright-core)
  message(WARNING "browser tests: node, ${KOBAI_CHROMIUM} or web/node_modules/playwright-core is missing; "
                  "run scripts/install-deps.sh (the tests fail until then)")
endif()

function(kobai_add_browser_test)
  cmake_parse_arguments(ARG "RUN_SERIAL" "NAME;SCRIPT;OUT;TIMEOUT" "LABELS" ${ARGN})
  set(node ${KOBAI_NODE})
  if(NOT node)
    set(node node)
  endif()
  add_test(NAME ${ARG_NAME}
           COMMAND ${node} ${PROJECT_SOURCE_DIR}/${ARG_SCRIPT}
                   --kobai $<TARGET_FILE:kobai_cli>
                   --out ${ARG_OUT}
                   --chromium ${KOBAI_CHROMIUM})
  set_tests_properties(${ARG_NAME} PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT})
  if(ARG_RUN_SERIAL)
    set_tests_properties(${ARG_NAME} PROPERTIES RUN_SERIAL TRUE)
  endif()
endfunction()
