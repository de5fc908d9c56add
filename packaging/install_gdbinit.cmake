# Writes the GDB system init snippet at install time, for the prefix the install runs with:
# Debian's gdb reads every *.py in /etc/gdb/gdbinit.d (`gdb --configuration`:
# --with-system-gdbinit-dir), so a package installed to /usr needs no ~/.gdbinit edit. As
# GNUInstallDirs does, the prefix /usr keeps its configuration in /etc; any other prefix in P/etc.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(sysconf /etc)
else()
  set(sysconf ${CMAKE_INSTALL_PREFIX}/etc)
endif()
set(GOMAPDBG_GDB_PLUGIN ${CMAKE_INSTALL_PREFIX}/share/gomapdbg/gdb/gomapdbg_gdb.py)
configure_file(${GOMAPDBG_GDBINIT_TEMPLATE} ${GOMAPDBG_GDBINIT_OUT}/gomapdbg.py @ONLY)
file(INSTALL ${GOMAPDBG_GDBINIT_OUT}/gomapdbg.py DESTINATION ${sysconf}/gdb/gdbinit.d)
