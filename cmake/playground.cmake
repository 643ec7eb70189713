# The browser playground's assets (issue 10), built into <build>/web:
#   kobai_engine.js      kobai's engine compiled by Emscripten (bindings/wasm/engine.cpp; the
#                        WebAssembly is inside the .js: -s SINGLE_FILE=1)
#   playground.js/.css   the playground's modules (web/src/playground, web/src/shared), checked by
#                        eslint and bundled by esbuild (web/bundle.mjs)
#   report.js/.css       the report pages' modules (web/src/report, web/src/shared), the same way
#   basin.js/.css        the `kobai basin --report` page's (web/src/basin), the same way
#   training.js/.css     the `kobai train --report` page's (web/src/training), the same way
# `kobai playground FILE.html` reads them (and Plotly) and writes one self-contained page; every
# report (`kobai run/compare/sweep/tour --report`, kobai.report in Python) embeds report.js,
# report.css and the engine, and the basin and training pages their own bundles, so writing a
# report needs them too (report/web_assets.hpp says
# what is missing and how to build it).
#
# Emscripten (Debian's `emscripten`, 3.1.6) runs its JavaScript tools with Debian's node modules
# (acorn, ...): with another Node.js first on PATH they are found through NODE_PATH, set here to
# the folder that holds Debian's acorn. Without em++ or web/node_modules the targets are left out
# and configure says so; `kobai playground` then says what is missing.
# Sanitizer and fuzzing builds leave it out (the WebAssembly is not what they check, and em++
# costs minutes on a small machine); so do builds without the kobai program, which writes the page.
option(KOBAI_BUILD_PLAYGROUND "Build the browser playground (needs Emscripten)" ON)
set(KOBAI_PLAYGROUND_READY OFF)
if(NOT KOBAI_BUILD_PLAYGROUND OR KOBAI_SANITIZE OR KOBAI_FUZZ OR NOT KOBAI_BUILD_APPS)
  message(STATUS "playground: not built in this configuration (KOBAI_BUILD_PLAYGROUND, KOBAI_SANITIZE, "
                 "KOBAI_FUZZ or KOBAI_BUILD_APPS)")
  return()
endif()
find_program(KOBAI_EMXX NAMES em++)
find_path(KOBAI_DEBIAN_NODE_MODULES acorn/package.json PATHS /usr/share/nodejs /usr/lib/nodejs NO_DEFAULT_PATH)
find_program(KOBAI_NODE_FOR_WEB NAMES node nodejs)
set(KOBAI_WEB_BUILD_DIR ${CMAKE_BINARY_DIR}/web)
set(KOBAI_WEB_NODE_MODULES ${PROJECT_SOURCE_DIR}/web/node_modules)

if(NOT KOBAI_EMXX)
  message(STATUS "playground: Emscripten (em++) not found: the WebAssembly engine and `kobai playground` "
                 "are not built (run scripts/install-deps.sh, then reconfigure)")
elseif(NOT KOBAI_NODE_FOR_WEB OR NOT EXISTS ${KOBAI_WEB_NODE_MODULES}/esbuild OR NOT EXISTS ${KOBAI_WEB_NODE_MODULES}/eslint)
  message(STATUS "playground: node or web/node_modules (esbuild, eslint) missing: the playground is not built "
                 "(run scripts/install-deps.sh, then reconfigure)")
else()
  set(KOBAI_PLAYGROUND_READY ON)
  message(STATUS "playground: building the WebAssembly engine with ${KOBAI_EMXX}")
  set(engine_js ${KOBAI_WEB_BUILD_DIR}/kobai_engine.js)
  # -fwasm-exceptions: the library's errors (a bad hyperparameter, a parse error) are C++
  # exceptions, caught in the binding; WebAssembly's own exceptions cost nothing on the hot path,
  # where Emscripten's JavaScript ones wrap every call that may throw.
  set(engine_flags -std=c++20 -O3 -Wall -Wextra -Wpedantic -Werror
      -I${PROJECT_SOURCE_DIR}/include -isystem ${EIGEN3_INCLUDE_DIR} -fwasm-exceptions --bind
      -s MODULARIZE=1 -s EXPORT_NAME=createKobaiEngine -s SINGLE_FILE=1 -s ALLOW_MEMORY_GROWTH=1
      -s ENVIRONMENT=web,worker,node)
  set(node_path_env)
  if(KOBAI_DEBIAN_NODE_MODULES)
    set(node_path_env NODE_PATH=${KOBAI_DEBIAN_NODE_MODULES})
  endif()
  # -MT: em++ compiles and links in one step, and its depfile would otherwise name its temporary
  # object, which ninja does not accept as the output's: the engine was rebuilt on every build.
  add_custom_command(
    OUTPUT ${engine_js}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${KOBAI_WEB_BUILD_DIR}
    COMMAND ${CMAKE_COMMAND} -E env ${node_path_env}
            ${KOBAI_EMXX} ${engine_flags} -MD -MF ${KOBAI_WEB_BUILD_DIR}/kobai_engine.d -MT ${engine_js}
            ${PROJECT_SOURCE_DIR}/bindings/wasm/engine.cpp -o ${engine_js}
    DEPENDS ${PROJECT_SOURCE_DIR}/bindings/wasm/engine.cpp ${PROJECT_SOURCE_DIR}/bindings/wasm/request.hpp
    DEPFILE ${KOBAI_WEB_BUILD_DIR}/kobai_engine.d
    COMMENT "Compiling kobai's engine to WebAssembly (em++)"
    VERBATIM)

  file(GLOB_RECURSE web_sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/web/src/*.mjs ${PROJECT_SOURCE_DIR}/web/src/*.css)
  file(GLOB web_tests CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/web/tests/*.mjs ${PROJECT_SOURCE_DIR}/web/bench/*.mjs)
  set(bundle_js ${KOBAI_WEB_BUILD_DIR}/playground.js)
  set(bundle_css ${KOBAI_WEB_BUILD_DIR}/playground.css)
  set(report_js ${KOBAI_WEB_BUILD_DIR}/report.js)
  set(report_css ${KOBAI_WEB_BUILD_DIR}/report.css)
  set(page_bundles ${KOBAI_WEB_BUILD_DIR}/basin.js ${KOBAI_WEB_BUILD_DIR}/basin.css
      ${KOBAI_WEB_BUILD_DIR}/training.js ${KOBAI_WEB_BUILD_DIR}/training.css)
  add_custom_command(
    OUTPUT ${bundle_js} ${bundle_css} ${report_js} ${report_css} ${page_bundles} ${KOBAI_WEB_BUILD_DIR}/lint.stamp
    COMMAND ${KOBAI_NODE_FOR_WEB} ${KOBAI_WEB_NODE_MODULES}/eslint/bin/eslint.js --max-warnings 0 .
    COMMAND ${CMAKE_COMMAND} -E touch ${KOBAI_WEB_BUILD_DIR}/lint.stamp
    COMMAND ${KOBAI_NODE_FOR_WEB} bundle.mjs ${KOBAI_WEB_BUILD_DIR}
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}/web
    DEPENDS ${web_sources} ${web_tests} ${PROJECT_SOURCE_DIR}/web/eslint.config.mjs ${PROJECT_SOURCE_DIR}/web/bundle.mjs
    COMMENT "Linting (eslint) and bundling (esbuild) the playground's, the reports' and the basin and training pages' modules"
    VERBATIM)
  add_custom_target(kobai_playground ALL DEPENDS ${engine_js} ${bundle_js} ${bundle_css} ${report_js} ${report_css}
                    ${page_bundles})
endif()
