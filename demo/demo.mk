# SPDX-License-Identifier: GPL-2.0
.PHONY: demo
demo: deps
	@$(MAKE) --no-print-directory all
	@bash $(TOP)/demo/run-demo
