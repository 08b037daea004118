# cmake -DDOXYGEN=doxygen -DHEADER=header.html -DSCRIPTS="a.js;b.js" -P make_header.cmake
#
# The pages' HTML header: the installed Doxygen's own default header (so it fits that version of
# Doxygen, 1.9.4 or 1.9.8), with the theme's scripts loaded and started before </head>: the
# dark-mode toggle, the copy button on code fragments and the links on paragraph headings.
foreach(var DOXYGEN HEADER SCRIPTS)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "make_header.cmake: -D${var}=... is required")
  endif()
endforeach()
# Doxygen reads a Doxyfile of its working folder when given none: it runs in a folder of its own.
get_filename_component(dir ${HEADER} DIRECTORY)
set(dir ${dir}/default_header)
file(MAKE_DIRECTORY ${dir})
set(default ${dir}/header.html)
execute_process(
  COMMAND ${DOXYGEN} -w html header.html footer.html style.css
  WORKING_DIRECTORY ${dir}
  RESULT_VARIABLE status OUTPUT_QUIET)
if(NOT status EQUAL 0 OR NOT EXISTS ${default})
  message(FATAL_ERROR "make_header.cmake: ${DOXYGEN} -w html did not write its default header")
endif()
file(READ ${default} header)
string(FIND "${header}" "</head>" at)
if(at EQUAL -1)
  message(FATAL_ERROR "make_header.cmake: Doxygen's default header has no </head>")
endif()
set(tags "")
set(calls "")
foreach(script IN LISTS SCRIPTS)
  string(APPEND tags "<script type=\"text/javascript\" src=\"$relpath^${script}\"></script>\n")
endforeach()
string(REPLACE "</head>" "${tags}<script type=\"text/javascript\">
  DoxygenAwesomeDarkModeToggle.init();
  DoxygenAwesomeFragmentCopyButton.init();
  DoxygenAwesomeParagraphLink.init();
</script>
</head>" header "${header}")
file(WRITE ${HEADER}.tmp "${header}")
file(RENAME ${HEADER}.tmp ${HEADER})
