# MPI tests (label `mpi`): kobai's scale-out run under `mpirun --oversubscribe -np 2` and `-np 3`
# (more ranks than this machine's 2 cores: --oversubscribe). Registered only when CMake found MPI.
#   mpi_communicator_np*   the communicator's sums (ordered_sum bit-identical to one process),
#                          gather, broadcast
#   mpi_{sweep,compare,basin}_np*   what rank 0 prints and writes is byte for byte one process's
#   mpi_killed_rank        a rank killed mid-job ends the job, named, within seconds
#   mpi_bad_input          a typed mistake: one message, exit code 2, no hang
#   mpi_train_data_parallel  kobai train on 2 and 3 ranks = one process (1e-5); checkpoints move
#                          between 2 ranks and one process; --check-every catches a drifted rank
#   mpi_train_killed_rank  a rank killed mid-training ends the job, named, within seconds
#   mpi_train_deterministic  --deterministic: 1 process (1 or 2 threads), 2 and 3 ranks end with
#                          the same bytes; a checkpoint of 3 ranks resumes in one process, exactly
#   mpi_train_interrupt    SIGINT to one rank or to mpirun: all ranks stop after the same step, one
#                          summary, a checkpoint that resumes bit for bit
# CI runs as root: Open MPI then needs OMPI_ALLOW_RUN_AS_ROOT(+_CONFIRM) (DESIGN.md), set here.
if(NOT KOBAI_WITH_MPI)
  return()
endif()
set(KOBAI_MPI_ENVIRONMENT OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    # reports in tests embed a stub instead of Plotly (the page is compared, not drawn)
    KOBAI_PLOTLY_JS=${CMAKE_CURRENT_SOURCE_DIR}/mpi/plotly_stub.js)
if(KOBAI_SANITIZE)
  # MPI_Init's own allocations live until exit; LeakSanitizer would fail every rank on them.
  list(APPEND KOBAI_MPI_ENVIRONMENT ASAN_OPTIONS=detect_leaks=0)
endif()

add_executable(mpi_communicator_test ${CMAKE_CURRENT_SOURCE_DIR}/mpi/communicator_test.cpp)
target_link_libraries(mpi_communicator_test PRIVATE kobai::kobai kobai_project_flags MPI::MPI_CXX)

set(KOBAI_MPI_TESTS)
foreach(ranks 2 3)
  add_test(NAME mpi_communicator_np${ranks}
           COMMAND ${MPIEXEC_EXECUTABLE} --oversubscribe -np ${ranks} $<TARGET_FILE:mpi_communicator_test>)
  list(APPEND KOBAI_MPI_TESTS mpi_communicator_np${ranks})
endforeach()

if(TARGET kobai_cli)
  set(same ${CMAKE_CURRENT_SOURCE_DIR}/mpi/same_as_one_process.cmake)
  set(work ${CMAKE_CURRENT_BINARY_DIR}/mpi-work)
  foreach(ranks 2 3)
    add_test(NAME mpi_sweep_np${ranks}
             COMMAND ${CMAKE_COMMAND} -DKOBAI=$<TARGET_FILE:kobai_cli> -DMPIEXEC=${MPIEXEC_EXECUTABLE} -DRANKS=${ranks}
                     -DWORK=${work}/sweep${ranks} -DFILES=lr.html
                     "-DARGS=sweep;--function;quadratic1d;--optimizer;gd;--lr;0.1,0.5,0.9,1.0,1.1;--iterations;30;--tolerance;0;--json;--report;lr.html"
                     -P ${same})
    add_test(NAME mpi_compare_np${ranks}
             COMMAND ${CMAKE_COMMAND} -DKOBAI=$<TARGET_FILE:kobai_cli> -DMPIEXEC=${MPIEXEC_EXECUTABLE} -DRANKS=${ranks}
                     -DWORK=${work}/compare${ranks}
                     "-DARGS=compare;--function;beale;--optimizers;gd,momentum,adagrad,rmsprop,adam;--start;1,1.5;--iterations;300;--lr;gd=0.005,momentum=0.005,adagrad=0.5,rmsprop=0.05,adam=0.1;--json"
                     -P ${same})
    # Adam with a learning rate that leaves some starts unconverged: every kind of end appears.
    add_test(NAME mpi_basin_np${ranks}
             COMMAND ${CMAKE_COMMAND} -DKOBAI=$<TARGET_FILE:kobai_cli> -DMPIEXEC=${MPIEXEC_EXECUTABLE} -DRANKS=${ranks}
                     -DWORK=${work}/basin${ranks} "-DFILES=basin.csv;basin.html"
                     "-DARGS=basin;--function;goldstein_price;--optimizer;adam;--lr;0.05;--resolution;40;--iterations;2000;--csv;basin.csv;--report;basin.html"
                     -P ${same})
    list(APPEND KOBAI_MPI_TESTS mpi_sweep_np${ranks} mpi_compare_np${ranks} mpi_basin_np${ranks})
  endforeach()
  add_test(NAME mpi_killed_rank
           COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/mpi/killed_rank.sh ${MPIEXEC_EXECUTABLE} $<TARGET_FILE:kobai_cli>
                   ${work}/killed -- basin --function goldstein_price --optimizer adam --lr 0.001 --resolution 256
                   --iterations 20000 --tolerance 0)
  add_test(NAME mpi_bad_input COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/mpi/bad_input.sh ${MPIEXEC_EXECUTABLE} $<TARGET_FILE:kobai_cli>)
  list(APPEND KOBAI_MPI_TESTS mpi_killed_rank mpi_bad_input)

  # kobai train split across ranks: same parameters as one process (1e-5), checkpoints that move
  # between 2 ranks and one process, --check-every; and a rank killed mid-training ends the job.
  add_executable(model_diff ${CMAKE_CURRENT_SOURCE_DIR}/mpi/model_diff.cpp)
  target_link_libraries(model_diff PRIVATE kobai::kobai kobai_project_flags)
  add_test(NAME mpi_train_data_parallel
           COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/mpi/train_data_parallel.sh ${MPIEXEC_EXECUTABLE}
                   $<TARGET_FILE:kobai_cli> $<TARGET_FILE:model_diff> ${work}/train)
  add_test(NAME mpi_train_killed_rank
           COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/mpi/killed_rank.sh ${MPIEXEC_EXECUTABLE} $<TARGET_FILE:kobai_cli>
                   ${work}/train-killed -- train --hidden 100 --epochs 1000 --threads 1 --no-progress)
  add_test(NAME mpi_train_deterministic
           COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/mpi/train_deterministic.sh ${MPIEXEC_EXECUTABLE}
                   $<TARGET_FILE:kobai_cli> $<TARGET_FILE:model_diff> ${work}/deterministic)
  add_test(NAME mpi_train_interrupt
           COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/mpi/train_interrupt.sh ${MPIEXEC_EXECUTABLE}
                   $<TARGET_FILE:kobai_cli> $<TARGET_FILE:model_diff> ${work}/interrupt)
  list(APPEND KOBAI_MPI_TESTS mpi_train_data_parallel mpi_train_killed_rank mpi_train_deterministic
       mpi_train_interrupt)
endif()
set_tests_properties(${KOBAI_MPI_TESTS} PROPERTIES LABELS mpi TIMEOUT 120 ENVIRONMENT "${KOBAI_MPI_ENVIRONMENT}")
