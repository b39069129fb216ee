# `make module SRC=path/to/prog.c [NAME=name] [DISK=image]`: a user's own C
# file compiled, wrapped and copied onto the run disk (tools/make-module.sh;
# docs/building.md).  The run disk is made first if it is not there yet.
.PHONY: module
module: $(B)/tools/llbc-wrap $(if $(filter $(RUN_DISK),$(DISK)),$(B)/disk.stamp)
	@tools/make-module.sh "$(SRC)" "$(NAME)" "$(DISK)"
