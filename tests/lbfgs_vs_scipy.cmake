# kobai's L-BFGS against SciPy's L-BFGS-B on the extended Rosenbrock function at n = 2 … 10,000
# (bench/lbfgs_vs_scipy.py): asserts f < 1e-10 and no more evaluations than SciPy at every n.
# Wall times are printed, not asserted. Needs the bench program, so not in sanitizer builds.
if(KOBAI_BUILD_BENCH AND NOT KOBAI_SANITIZE AND EXISTS /usr/bin/python3)
  add_test(NAME lbfgs_vs_scipy_conformance
           COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/bench/lbfgs_vs_scipy.py
                   --bench $<TARGET_FILE:lbfgs_vs_scipy> --repeats 1 --check)
  set_tests_properties(lbfgs_vs_scipy_conformance PROPERTIES LABELS conformance TIMEOUT 120)
endif()
