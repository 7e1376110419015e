# SPDX-License-Identifier: GPL-2.0
# Shared by the 52-pm-* guest tests (sourced, not a test: not executable).
# After a system sleep the rig's 9p shares hang on the first access (the
# guest's virtio-9p has no resume), so everything that runs after one comes
# from a tmpfs root built here: copies of the programs and their libraries at
# their own paths, busybox for the shell, /proc, /sys and /dev bound in.
# The test then ends the boot itself (run-in-vm --suspend): its lines on
# stdout (ttyS1), dmesg into /dev/ttyS2, its status into /dev/ttyS3, power off.

PMROOT=/tmp/pmroot

# Files and the shared libraries they load, copied to the same paths.
pm_copy() { # file...
	local f l
	for f in "$@"; do
		mkdir -p "$PMROOT$(dirname "$f")"
		cp -L "$f" "$PMROOT$f"
		ldd "$f" 2>/dev/null | grep -o '/[^ ]*' | while read -r l; do
			[ -e "$PMROOT$l" ] && continue
			mkdir -p "$PMROOT$(dirname "$l")"
			cp -L "$l" "$PMROOT$l"
		done
	done
}

pm_root() {
	local a
	mkdir -p $PMROOT/{bin,proc,sys,dev,tmp,results}
	cp /bin/busybox $PMROOT/bin/
	for a in sh cat echo sleep dmesg poweroff grep sed tail head wc rmmod kill mkdir cp stty; do
		ln -sf busybox $PMROOT/bin/$a
	done
	mount --bind /proc $PMROOT/proc
	mount --bind /sys $PMROOT/sys
	mount --bind /dev $PMROOT/dev
	stty -F /dev/ttyS2 raw -echo 2>/dev/null
	stty -F /dev/ttyS3 raw -echo 2>/dev/null
	# Driver callback times in dmesg ("... returned 0 after N usecs").
	echo 1 >/sys/power/pm_print_times
	echo 'module ringpcm +p' >/sys/kernel/debug/dynamic_debug/control 2>/dev/null
}

# From here on nothing may touch 9p: run SCRIPT (busybox sh) in the root.
pm_exec() { # script-inside-root
	exec chroot $PMROOT /bin/sh "$1"
}

# aplay and arecord through the uninstalled ringpcm ALSA plugins, as
# alsa-plugin/test/guest-lib.sh sets them up: alsa-lib's configuration
# (without the UCM files), the plugins, and a ~/.asoundrc at /root that
# includes the checkout's 60-ringpcm.conf.  Run them with HOME=/root.
pm_copy_alsa() {
	local a=$PWD/build/alsa
	pm_copy /usr/bin/aplay "$a/libasound_module_pcm_ringpcm.so" \
		"$a/libasound_module_ctl_ringpcm.so"
	cp $PMROOT/usr/bin/aplay $PMROOT/usr/bin/arecord	# the name picks the mode
	mkdir -p $PMROOT/usr/share/alsa $PMROOT/root "$PMROOT$PWD/alsa-plugin"
	cp -r /usr/share/alsa/alsa.conf /usr/share/alsa/cards /usr/share/alsa/ctl \
		/usr/share/alsa/pcm \
		$PMROOT/usr/share/alsa/
	cp alsa-plugin/60-ringpcm.conf "$PMROOT$PWD/alsa-plugin/"
	cat >$PMROOT/root/.asoundrc <<EOA
pcm_type.ringpcm { lib "$a/libasound_module_pcm_ringpcm.so" }
ctl_type.ringpcm { lib "$a/libasound_module_ctl_ringpcm.so" }
<$PWD/alsa-plugin/60-ringpcm.conf>
EOA
}

# The start of a test's tmpfs script (after its variables): $status,
# check(), pinned(), and lost_to_rig() for a recording after a sleep that is
# not bit-exact although the programs ran fine: it is tried once more only
# when it lost data to the rig, xruns the programs counted (said as INFO) or
# frames the host dropped (said as RIG-LOSS, which run-checks accepts only
# when the host's jackd logged an xrun in this boot).
pm_script_start() {
	cat <<'EOS'
status=0
check() { # name status why
	if [ "$2" = 0 ]; then echo "PASS $1"; else echo "FAIL $1: $3"; status=1; fi
}
pinned() { cat /sys/class/ringpcm/pinned_pages 2>/dev/null || echo missing; }
lost_to_rig() { # name why xruns-the-programs-counted
	if [ "$3" != 0 ]; then
		echo "INFO $1: xruns in the first try ($2); once more"
	else
		echo "RIG-LOSS $1-bitexact-after-recovery: $2"
	fi
}
EOS
}

# The end of a test's tmpfs script (append it; the script has check(),
# pinned() and $status): the driver's callback times (INFO PREFIX-callback),
# the test's end line, the end-of-boot checks guest-group.sh can no longer
# run (it lives on 9p), dmesg and the status over the serial ports, power off.
pm_script_end() { # test-name prefix
	echo "PM_TEST_NAME=$1 PM_PREFIX=$2"
	cat <<'EOS'
dmesg | grep -E 'ringpcm .*pci_pm_[a-z]*\+.* returned' |
	sed "s/.*: PM: \([a-z_]*\)+.* after \([0-9]*\) usecs/INFO $PM_PREFIX-callback \1 \2 us/"
dmesg | grep -E 'ringpcm .*(lost|kept)' | sed 's/^/INFO /' | tail -n 1
echo "# end $PM_TEST_NAME $status"
echo "# begin boot"
check pinned-pages "$( [ "$(pinned)" = 0 ]; echo $?)" "pinned_pages $(pinned) after the tests"
out=$(rmmod ringpcm 2>&1)
check rmmod $? "$out"
echo "# end boot 0"
# The serial port moves ~10 KB/s: leave out pm_print_times' lines for the
# other devices (warnings and oopses stay for run-checks' dmesg check).
dmesg | grep -v -E '(calling|returned) .* usecs|PM: calling ' >/dev/ttyS2
echo 0 >/dev/ttyS3
sleep 0.3
poweroff -f
echo o >/proc/sysrq-trigger	# run-in-vm ends QEMU 3 s after the status anyway
EOS
}
