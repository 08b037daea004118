# cmake -DINTRO=errata_intro.md.in -DTABLE=errata_table.md.in -DPAGE=errata.md -P make_errata_page.cmake
#
# The errata page: its introduction, then chapter 11's table as the reference program wrote it
# (ch11_errata_solution --markdown). Fails, and writes nothing, when the table is missing or is
# not the table the page expects (its header line), so a changed format is caught here rather
# than shown as a broken page.
foreach(var INTRO TABLE PAGE)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "make_errata_page.cmake: -D${var}=... is required")
  endif()
endforeach()
file(READ ${INTRO} intro)
if(NOT EXISTS ${TABLE})
  message(FATAL_ERROR "make_errata_page.cmake: no table ${TABLE} (ch11_errata_solution --markdown writes it)")
endif()
file(READ ${TABLE} table)
string(FIND "${table}" "| eq. | as printed | corrected | verdict |" header)
if(header EQUAL -1)
  message(FATAL_ERROR "make_errata_page.cmake: ${TABLE} does not hold chapter 11's errata table "
                      "(no header line \"| eq. | as printed | corrected | verdict | ...\")")
endif()
# Each row's equation, "(7)" or "(17) line 1", links to its row of the index of equations.
string(REGEX REPLACE "\n\\| \\(([0-9]+)\\)" "\n| \\\\ref eq\\1 \"(\\1)\"" table "${table}")
# Written whole: a temporary file, then renamed.
file(WRITE ${PAGE}.tmp "${intro}\n${table}")
file(RENAME ${PAGE}.tmp ${PAGE})
