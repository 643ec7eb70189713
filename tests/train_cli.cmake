# kobai train's checkpoints and kobai predict, end to end (a shell script: SIGKILL, SIGINT, cmp).
if(TARGET kobai_cli)
  add_test(NAME train_checkpoint_resume
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/train_checkpoint.sh $<TARGET_FILE:kobai_cli>
                   ${CMAKE_CURRENT_BINARY_DIR}/train_checkpoint)
  set_tests_properties(train_checkpoint_resume PROPERTIES LABELS "cli;train" TIMEOUT 120)
endif()
