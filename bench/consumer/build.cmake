# Builds bench/consumer three ways, as a user would (cmake -P; the optimizer_step_consumers target
# runs it): install this build tree's library into a scratch prefix, then
#   WORK_DIR/Release/optimizer_step_consumer          find_package(kobai), CMAKE_BUILD_TYPE=Release
#   WORK_DIR/RelWithDebInfo/optimizer_step_consumer   find_package(kobai), CMAKE_BUILD_TYPE=RelWithDebInfo
#   WORK_DIR/gxx-O2/optimizer_step_consumer           ${CXX} -std=c++20 -O2, include paths only
# optimizer_step_bench looks for them there and prints their columns.
set(prefix ${WORK_DIR}/prefix)

function(run_step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (exit ${rc}):\n${out}\n${err}")
  endif()
endfunction()

file(REMOVE_RECURSE ${prefix})
run_step("cmake --install (library)" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix}
         --component kobai_library)
foreach(config Release RelWithDebInfo)
  message(STATUS "consumer build: ${config}")
  run_step("configuring the ${config} consumer"
    ${CMAKE_COMMAND} -S ${SOURCE_DIR}/bench/consumer -B ${WORK_DIR}/${config} -G ${GENERATOR}
    -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=${config})
  run_step("building the ${config} consumer" ${CMAKE_COMMAND} --build ${WORK_DIR}/${config})
endforeach()
message(STATUS "consumer build: ${CXX} -O2")
file(MAKE_DIRECTORY ${WORK_DIR}/gxx-O2)
run_step("compiling the g++ -O2 consumer"
  ${CXX} -std=c++20 -O2 -I${prefix}/include -I${EIGEN_INCLUDE_DIR}
  ${SOURCE_DIR}/bench/consumer/optimizer_step_consumer.cpp -o ${WORK_DIR}/gxx-O2/optimizer_step_consumer -pthread)
