# kobai is installable and usable with find_package(kobai) (issue 2): install this build tree into
# a scratch prefix, build examples/ against it as a separate project, with the warnings a user's
# strict build would have, and run the program. Label: install.
add_test(NAME install.FindPackageBuildsAndRunsQuickstart
  COMMAND ${CMAKE_COMMAND}
          -DBUILD_DIR=${PROJECT_BINARY_DIR}
          -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
          -DWORK_DIR=${PROJECT_BINARY_DIR}/install-consumer
          -DCXX=${CMAKE_CXX_COMPILER}
          -DGENERATOR=${CMAKE_GENERATOR}
          -P ${CMAKE_CURRENT_SOURCE_DIR}/install_consumer/run.cmake)
set_tests_properties(install.FindPackageBuildsAndRunsQuickstart PROPERTIES LABELS install TIMEOUT 600)
