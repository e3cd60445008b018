# CMake toolchain file: bare-metal Cortex-M with Debian's arm-none-eabi-gcc
# 12.2 (newlib, newlib-nano, libstdc++).
#
#   cmake -S . -B build-m4 \
#     -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-arm-none-eabi.cmake \
#     -DMOTE_CPU=cortex-m4        # or cortex-m55
#
# The CPU is chosen by the cache variable MOTE_CPU; its flags (and the common
# bare-metal flags) are applied to every target through CMAKE_<LANG>_FLAGS_INIT,
# so the library, the board support and the firmware are all built alike:
#   cortex-m4  : -mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard -mthumb
#   cortex-m55 : -mcpu=cortex-m55 -mfloat-abi=hard -mthumb   (MVE int+float, FPv5)
# Common      : -O2 -ffunction-sections -fdata-sections; C++ also -fno-exceptions
#               -fno-rtti -fno-unwind-tables -fno-threadsafe-statics
# Link        : --specs=nano.specs -nostartfiles -Wl,--gc-sections
#               (startup, _init/_fini/__dso_handle come from firmware/, target mote_board)
#
# It also provides MOTE_FLATBUFFERS_INCLUDE_DIR: an include folder in the build
# tree that holds only `flatbuffers/` (a symlink to /usr/include/flatbuffers).
# Adding all of /usr/include to a cross build would pull in glibc headers.

set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

set(MOTE_ARM_TRIPLE arm-none-eabi)
find_program(MOTE_ARM_GCC ${MOTE_ARM_TRIPLE}-gcc REQUIRED)
find_program(MOTE_ARM_GXX ${MOTE_ARM_TRIPLE}-g++ REQUIRED)
set(CMAKE_C_COMPILER ${MOTE_ARM_GCC})
set(CMAKE_CXX_COMPILER ${MOTE_ARM_GXX})
set(CMAKE_ASM_COMPILER ${MOTE_ARM_GCC})
get_filename_component(_mote_arm_bin "${MOTE_ARM_GCC}" DIRECTORY)
find_program(CMAKE_OBJCOPY ${MOTE_ARM_TRIPLE}-objcopy HINTS "${_mote_arm_bin}")
find_program(CMAKE_SIZE ${MOTE_ARM_TRIPLE}-size HINTS "${_mote_arm_bin}")
find_program(MOTE_ARM_NM ${MOTE_ARM_TRIPLE}-nm HINTS "${_mote_arm_bin}")

# No executable can run on the build machine: test the compiler with a library.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# Never search the host's libraries or headers; programs (cmake helpers,
# python, qemu) are still found on the host.
set(CMAKE_FIND_ROOT_PATH /usr/lib/arm-none-eabi)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# ---- CPU selection ----------------------------------------------------------
set(MOTE_CPU "cortex-m4" CACHE STRING "Target core: cortex-m4 or cortex-m55")
set_property(CACHE MOTE_CPU PROPERTY STRINGS cortex-m4 cortex-m55)
# try_compile() projects re-read this file: hand MOTE_CPU on to them.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES MOTE_CPU)

if(MOTE_CPU STREQUAL "cortex-m4")
  set(MOTE_CPU_FLAGS "-mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard -mthumb")
  set(MOTE_BOARD "mps2-an386")
elseif(MOTE_CPU STREQUAL "cortex-m55")
  set(MOTE_CPU_FLAGS "-mcpu=cortex-m55 -mfloat-abi=hard -mthumb")
  set(MOTE_BOARD "mps3-an547")
else()
  message(FATAL_ERROR "MOTE_CPU must be cortex-m4 or cortex-m55 (got '${MOTE_CPU}')")
endif()

set(_mote_common "-O2 -ffunction-sections -fdata-sections")
set(_mote_cxx "-fno-exceptions -fno-rtti -fno-unwind-tables -fno-threadsafe-statics")
set(CMAKE_C_FLAGS_INIT "${MOTE_CPU_FLAGS} ${_mote_common}")
set(CMAKE_CXX_FLAGS_INIT "${MOTE_CPU_FLAGS} ${_mote_common} ${_mote_cxx}")
set(CMAKE_ASM_FLAGS_INIT "${MOTE_CPU_FLAGS}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "--specs=nano.specs -nostartfiles -Wl,--gc-sections")

# -O2 above holds in every configuration; the build types only add -g and
# -DNDEBUG (MinSizeRel's -Os comes later on the command line and wins). Set as
# cache entries: CMake appends its own "-O3 -DNDEBUG" to *_FLAGS_RELEASE_INIT,
# but leaves an existing cache entry alone (and -D on the command line wins).
foreach(_lang C CXX ASM)
  set(CMAKE_${_lang}_FLAGS_DEBUG "-g" CACHE STRING "")
  set(CMAKE_${_lang}_FLAGS_RELEASE "-DNDEBUG" CACHE STRING "")
  set(CMAKE_${_lang}_FLAGS_RELWITHDEBINFO "-g -DNDEBUG" CACHE STRING "")
  set(CMAKE_${_lang}_FLAGS_MINSIZEREL "-Os -DNDEBUG" CACHE STRING "")
endforeach()

# ---- flatbuffers headers for the cross build --------------------------------
# Created once at configure time of the real project (not in try_compile
# scratch projects).
set(MOTE_FLATBUFFERS_INCLUDE_DIR "${CMAKE_BINARY_DIR}/mote-arm-include")
get_property(_mote_in_try_compile GLOBAL PROPERTY IN_TRY_COMPILE)
if(NOT _mote_in_try_compile)
  set(_mote_fb_src "/usr/include/flatbuffers")
  if(EXISTS "${_mote_fb_src}/flatbuffers.h")
    if(NOT EXISTS "${MOTE_FLATBUFFERS_INCLUDE_DIR}/flatbuffers/flatbuffers.h")
      file(MAKE_DIRECTORY "${MOTE_FLATBUFFERS_INCLUDE_DIR}")
      file(CREATE_LINK "${_mote_fb_src}" "${MOTE_FLATBUFFERS_INCLUDE_DIR}/flatbuffers"
           COPY_ON_ERROR SYMBOLIC)
    endif()
  else()
    message(WARNING "flatbuffers headers not found in /usr/include/flatbuffers; "
                    "MOTE_FLATBUFFERS_INCLUDE_DIR will be empty")
  endif()
endif()
