# The optimizers' named state against torch.optim's state_dict() (tests/optimizer_state_names.py):
# optimizer_trajectories (tests/torch_conformance.cmake) prints kobai's state after a few steps of
# every variant; /usr/bin/python3 (Debian's python3-torch) runs torch.optim on the same cases and
# compares the names, the step count and the values.
if(EXISTS /usr/bin/python3)
  add_test(NAME optimizer_state_names
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/optimizer_state_names.py
                   $<TARGET_FILE:optimizer_trajectories>)
  set_tests_properties(optimizer_state_names PROPERTIES LABELS conformance TIMEOUT 120)
endif()
