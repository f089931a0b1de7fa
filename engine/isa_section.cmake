# cmake -DIN=obj -DOUT=obj -DLEVEL=v4 -DNM=nm -DOBJDUMP=objdump -DOBJCOPY=objcopy -P isa_section.cmake
#
# Moves the code of one per-level object (gemm_kernel_v3.cpp / _v4.cpp) into the section
# layerscope_isa_kernels, where tests/package/install_test allows wide-vector instructions in a
# portable build; the templates of the object's private Eigen copy would otherwise land in
# .text.* sections of their own, indistinguishable from an accidental -march in a stripped binary.
#
# First it makes private what the move relies on being private (gemm_kernel_level.inc): any code
# symbol the object defines outside its own Eigen copy and its entry point, typically an inline
# std:: function that a build without inlining (the sanitizers') emits, such as
# std::bad_alloc::bad_alloc(). Left as is, the linker would merge it with the baseline copies of
# the rest of the program and could hand this level's AVX-512 code to a caller on an older CPU.
# Renamed (with its COMDAT group) to NAME.layerscope_LEVEL, it is this object's alone.
execute_process(COMMAND ${NM} --defined-only ${IN} OUTPUT_VARIABLE symbols RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NM} failed on ${IN}")
endif()
string(REPLACE "\n" ";" symbols "${symbols}")
set(renames "")
foreach(line IN LISTS symbols)
  # Global and weak code only: a local symbol (a sanitizer's module constructor) is never merged.
  if(line MATCHES "^[0-9a-f]* +([TW]) +(.*)$")
    set(name "${CMAKE_MATCH_2}")
    if(NOT name MATCHES "LayerscopeEigenV[34]|^layerscope_gemm_kernel_v[34]$")
      list(APPEND renames --redefine-sym "${name}=${name}.layerscope_${LEVEL}")
    endif()
  endif()
endforeach()
execute_process(COMMAND ${OBJDUMP} -h ${IN} OUTPUT_VARIABLE headers RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${OBJDUMP} failed on ${IN}")
endif()
string(REPLACE "\n" ";" headers "${headers}")
foreach(line IN LISTS headers)
  if(line MATCHES "^ *[0-9]+ +(\\.text[^ ]*) ")
    list(APPEND renames --rename-section "${CMAKE_MATCH_1}=layerscope_isa_kernels")
  endif()
endforeach()
execute_process(COMMAND ${OBJCOPY} ${renames} ${IN} ${OUT} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${OBJCOPY} failed on ${IN}")
endif()
