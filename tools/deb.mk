# SPDX-License-Identifier: GPL-2.0
# `make deb`: the Debian packages (debian/), built from a copy of the tree's
# committed and uncommitted sources (never from build/) in build/deb/src, so
# that dpkg-buildpackage's own build never touches the checkout; then
# lintian. Results: build/deb/*.deb, *.changes, lintian.txt.
# Debian's portaudio19 source comes from the same cache as `make`'s
# (tools/install-deps.d/portaudio.sh); the packaging tools from
# tools/install-deps.d/deb.sh.

DEB_DIR := $(BUILD)/deb
DEB_SRC := $(DEB_DIR)/src/ringpcm-$(VERSION)

.PHONY: deb deb-lintian
deb:
	@bash $(TOP)/tools/install-deps.d/deb.sh
	@test -n "$$(ls $(PA_CACHE)/portaudio19_*.dsc 2>/dev/null)" || \
		RINGPCM_PA_CACHE=$(PA_CACHE) bash $(TOP)/tools/install-deps.d/portaudio.sh
	@rm -rf $(DEB_DIR) && mkdir -p $(DEB_SRC)
	@echo "  DEB     copying the tree to $(DEB_SRC)"
	@git -C $(TOP) ls-files -co --exclude-standard -z | \
		(cd $(TOP) && xargs -0 cp --parents -t $(DEB_SRC) 2>/dev/null); true
	@cd $(DEB_SRC) && RINGPCM_PA_CACHE=$(PA_CACHE) \
		dpkg-buildpackage -b -us -uc -j$$(nproc) >$(DEB_DIR)/build.log 2>&1 || \
		{ tail -n 40 $(DEB_DIR)/build.log; echo "make deb: dpkg-buildpackage failed (log: $(DEB_DIR)/build.log)"; exit 1; }
	@mv $(DEB_DIR)/src/*.deb $(DEB_DIR)/src/*.changes $(DEB_DIR)/src/*.buildinfo $(DEB_DIR)/
	@$(MAKE) --no-print-directory deb-lintian
	@ls $(DEB_DIR)/*.deb

# Errors fail the target; warnings and the rest are listed.
deb-lintian:
	@lintian --info --display-info $(DEB_DIR)/*.changes >$(DEB_DIR)/lintian.txt 2>&1; \
	cat $(DEB_DIR)/lintian.txt; \
	! grep -q '^E: ' $(DEB_DIR)/lintian.txt || { echo "make deb: lintian reports errors"; exit 1; }
