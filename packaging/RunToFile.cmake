# cmake -DPROGRAM=… -DARGS="a;b" -DOUTPUT=… [-DGZIP=ON] -P RunToFile.cmake
# Writes a program's stdout to a file (gzipped with GZIP=ON) without a shell redirection: the build
# makes the man page and the completion scripts from the built binary's own help.
execute_process(COMMAND ${PROGRAM} ${ARGS} OUTPUT_FILE ${OUTPUT}.tmp RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    file(REMOVE ${OUTPUT}.tmp)
    message(FATAL_ERROR "${PROGRAM} ${ARGS} failed: ${rc}")
endif()
if(GZIP)
    # -n: no name or time stamp inside, so the file is reproducible.
    execute_process(COMMAND gzip -9 -n -c ${OUTPUT}.tmp OUTPUT_FILE ${OUTPUT} RESULT_VARIABLE rc)
    file(REMOVE ${OUTPUT}.tmp)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "gzip failed: ${rc}")
    endif()
else()
    file(RENAME ${OUTPUT}.tmp ${OUTPUT})
endif()
