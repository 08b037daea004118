# The sanitizer build and the fuzzing of the CSV loader (preset `sanitize`, build-sanitize/).
#
#   BP_SANITIZE=ON  every course target is compiled and linked with AddressSanitizer and
#                   UndefinedBehaviorSanitizer; the first report ends the program (exit code not
#                   0). Armadillo's own bounds checks stay on: ASan cannot see an overrun of a
#                   matrix of at most 16 elements, which Armadillo keeps inside the object.
#                   Adds the target bp_sanitize_tests (every program and test program not built
#                   from the learner's files, and the planted bugs of tests/sanitize/) and the
#                   tests that prove the sanitizers report (label sanitize).
#   BP_FUZZ=ON      builds tests/fuzz/ (the libFuzzer target of bp::load_csv) with clang++ as a
#                   project of its own in <build>/fuzz, and adds its tests (label fuzz): a
#                   bounded fuzzing run, the regression inputs, and a planted crash it must find.
#
# Included at the end of the top-level CMakeLists.txt, when every target exists.
option(BP_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(BP_FUZZ "Build the libFuzzer target of the CSV loader with clang++ (tests/fuzz)" OFF)
set(BP_FUZZ_SECONDS 60 CACHE STRING "How long the bounded fuzzing run lasts, in seconds")

if(BP_SANITIZE)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    message(FATAL_ERROR "BP_SANITIZE needs g++ or clang++, not ${CMAKE_CXX_COMPILER_ID}")
  endif()
  set(bp_sanitize_flags -fsanitize=address,undefined -fno-omit-frame-pointer
      -fno-sanitize-recover=all)
  # bp_flags reaches every course target, and through bp_common every program it links.
  target_compile_options(bp_flags INTERFACE ${bp_sanitize_flags})
  target_link_options(bp_flags INTERFACE ${bp_sanitize_flags})

  # bp_sanitize_tests: every executable of the build except the learner's (those linking,
  # directly or through other libraries, a library marked BP_LEARNER_CODE: a chapter's
  # bp_exercises_chNN_slug): the reference programs, test programs and benchmarks the sanitize
  # test preset runs. Walking the targets CMake knows, folder by folder, keeps a new chapter or
  # folder in without an edit here.
  add_custom_target(bp_sanitize_tests)

  # bp_links_learner_code(target result): sets result to TRUE when target, or a library it
  # links (followed through INTERFACE_LINK_LIBRARIES), is marked BP_LEARNER_CODE.
  function(bp_links_learner_code target result)
    set(found FALSE)
    set(pending ${target})
    set(seen "")
    while(pending AND NOT found)
      list(POP_FRONT pending current)
      if(current IN_LIST seen OR NOT TARGET ${current})
        continue()
      endif()
      list(APPEND seen ${current})
      get_target_property(learner ${current} BP_LEARNER_CODE)
      if(learner)
        set(found TRUE)
      endif()
      get_target_property(type ${current} TYPE)
      if(NOT type STREQUAL "INTERFACE_LIBRARY")
        get_target_property(links ${current} LINK_LIBRARIES)
        if(links)
          list(APPEND pending ${links})
        endif()
      endif()
      get_target_property(interface_links ${current} INTERFACE_LINK_LIBRARIES)
      if(interface_links)
        list(APPEND pending ${interface_links})
      endif()
    endwhile()
    set(${result} ${found} PARENT_SCOPE)
  endfunction()

  set(dirs ${CMAKE_SOURCE_DIR})
  while(dirs)
    list(POP_FRONT dirs dir)
    get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
    list(APPEND dirs ${subdirs})
    get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
    foreach(target IN LISTS targets)
      get_target_property(type ${target} TYPE)
      if(type STREQUAL "EXECUTABLE")
        bp_links_learner_code(${target} learner)
        if(NOT learner)
          add_dependencies(bp_sanitize_tests ${target})
        endif()
      endif()
    endforeach()
  endwhile()

  # Planted bugs: each must end its program with the sanitizer's report, or for the small
  # matrix (which ASan cannot see) with Armadillo's.
  set(bp_expect_report ${CMAKE_SOURCE_DIR}/tests/sanitize/expect_report.sh)
  foreach(planted heap_overflow signed_overflow small_matrix_overrun)
    add_executable(sanitize_planted_${planted} tests/sanitize/planted_${planted}.cpp)
    target_link_libraries(sanitize_planted_${planted} PRIVATE bp_flags)
    add_dependencies(bp_sanitize_tests sanitize_planted_${planted})
  endforeach()
  add_test(NAME sanitize:planted_heap_overflow_is_reported
    COMMAND ${bp_expect_report} "AddressSanitizer: heap-buffer-overflow.*planted_heap_overflow.cpp"
            -- $<TARGET_FILE:sanitize_planted_heap_overflow>)
  add_test(NAME sanitize:planted_signed_overflow_is_reported
    COMMAND ${bp_expect_report}
            "planted_signed_overflow.cpp:[0-9]+:[0-9]+: runtime error: signed integer overflow"
            -- $<TARGET_FILE:sanitize_planted_signed_overflow>)
  add_test(NAME sanitize:planted_small_matrix_overrun_is_reported
    COMMAND ${bp_expect_report} "index out of bounds"
            -- $<TARGET_FILE:sanitize_planted_small_matrix_overrun>)
  set_tests_properties(sanitize:planted_heap_overflow_is_reported
    sanitize:planted_signed_overflow_is_reported
    sanitize:planted_small_matrix_overrun_is_reported PROPERTIES LABELS sanitize)
endif()

if(BP_FUZZ)
  include(ExternalProject)
  find_program(BP_CLANGXX NAMES clang++ clang++-14 DOC "clang++ with libFuzzer, for tests/fuzz")
  if(NOT BP_CLANGXX)
    message(FATAL_ERROR
      "BP_FUZZ is ON, but clang++ was not found: the fuzzing of the CSV loader needs clang and "
      "its libFuzzer (Debian: apt-get install clang libclang-rt-dev), or configure with "
      "-DBP_FUZZ=OFF.")
  endif()
  set(BP_FUZZ_DIR ${CMAKE_BINARY_DIR}/fuzz)
  ExternalProject_Add(bp_fuzz
    SOURCE_DIR ${CMAKE_SOURCE_DIR}/tests/fuzz
    BINARY_DIR ${BP_FUZZ_DIR}
    PREFIX ${BP_FUZZ_DIR}/ep
    CMAKE_ARGS -DCMAKE_CXX_COMPILER=${BP_CLANGXX} -DCMAKE_BUILD_TYPE=RelWithDebInfo
    BUILD_ALWAYS TRUE
    INSTALL_COMMAND "")
  if(TARGET bp_sanitize_tests)
    add_dependencies(bp_sanitize_tests bp_fuzz)
  endif()

  set(bp_run_fuzz ${CMAKE_SOURCE_DIR}/tests/fuzz/run_fuzz.sh)
  # The bounded run: seeds from tests/fuzz/corpus, the inputs it finds go to the build tree.
  add_test(NAME fuzz:load_csv
    COMMAND ${bp_run_fuzz} ${BP_FUZZ_DIR}/fuzz_load_csv ${BP_FUZZ_SECONDS}
            ${BP_FUZZ_DIR}/run ${CMAKE_SOURCE_DIR}/tests/fuzz/corpus)
  # COST: CTest starts it first, so the other core runs the rest of the suite meanwhile.
  set_tests_properties(fuzz:load_csv PROPERTIES LABELS fuzz TIMEOUT 600 COST 10000)
  # The same command must catch a planted crash within seconds.
  add_test(NAME fuzz:planted_crash_is_found
    COMMAND ${CMAKE_SOURCE_DIR}/tests/sanitize/expect_report.sh
            "ERROR: AddressSanitizer: heap-buffer-overflow.*planted"
            -- ${bp_run_fuzz} ${BP_FUZZ_DIR}/fuzz_load_csv_planted 60
               ${BP_FUZZ_DIR}/run_planted ${CMAKE_SOURCE_DIR}/tests/fuzz/corpus)
  set_tests_properties(fuzz:planted_crash_is_found PROPERTIES LABELS fuzz TIMEOUT 300)
endif()
