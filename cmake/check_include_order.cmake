# cmake -DROOT=<checkout> -P check_include_order.cmake
#
# Dependencies run in chapter order (docs/design.md, "A map of the code"): a file of chapter NN
# (chapters/NN_slug/ or solutions/NN_slug/) includes only chapters up to NN and common/, and
# chapters/common/ includes no chapter. Prints one line per include that breaks the rule
# ("FILE: includes HEADER, chapter MM, from chapter NN"), then a count, and fails when there is
# any. Every file is read: a new chapter or file needs no edit here.
if(NOT DEFINED ROOT)
  message(FATAL_ERROR "check_include_order.cmake: -DROOT=<checkout> is required")
endif()
file(GLOB_RECURSE files RELATIVE ${ROOT}
  ${ROOT}/chapters/*.hpp ${ROOT}/chapters/*.cpp ${ROOT}/solutions/*.hpp ${ROOT}/solutions/*.cpp)
list(SORT files)
set(broken 0)
set(checked 0)
foreach(file IN LISTS files)
  # The chapter a file belongs to: NN for chapters/NN_slug and solutions/NN_slug, 0 for common.
  if(file MATCHES "^(chapters|solutions)/([0-9][0-9])_")
    math(EXPR own "${CMAKE_MATCH_2}")
    set(owner "chapter ${CMAKE_MATCH_2}")
  elseif(file MATCHES "^chapters/common/")
    set(own 0)
    set(owner "common/")
  else()
    continue()
  endif()
  math(EXPR checked "${checked} + 1")
  # Only the include lines are read (a CMake list of whole source lines would split at ';').
  file(STRINGS ${ROOT}/${file} includes REGEX "^[ \t]*#[ \t]*include[ \t]*\"[0-9][0-9]_")
  foreach(line IN LISTS includes)
    if(line MATCHES "\"(([0-9][0-9])_[^\"]*)\"")
      set(header ${CMAKE_MATCH_1})
      math(EXPR theirs "${CMAKE_MATCH_2}")
      if(theirs GREATER own)
        message("${file}: includes ${header}, chapter ${CMAKE_MATCH_2}, from ${owner}")
        math(EXPR broken "${broken} + 1")
      endif()
    endif()
  endforeach()
endforeach()
if(checked EQUAL 0)
  message(FATAL_ERROR "check_include_order.cmake: no file of chapters/ or solutions/ under ${ROOT}")
endif()
if(broken GREATER 0)
  message(FATAL_ERROR "${broken} includes of a later chapter (in ${checked} files)")
endif()
message("no include of a later chapter (${checked} files)")
