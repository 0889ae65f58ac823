# shellcheck shell=bash
# Source this file (`. .ci/keyring-session.sh`), then call
# keyring_session_start, to get a private D-Bus session bus with an unlocked
# gnome-keyring "login" collection, so the auth package's secret-service
# tests run against a real Secret Service daemon. keyring_session_start exports
# DBUS_SESSION_BUS_ADDRESS (and JIRA_MCP_TEST_SECRET_SERVICE=required, so a
# broken backend fails the tests instead of skipping them) and defines
# keyring_session_stop, which ends the daemons this file started (the caller
# may `trap keyring_session_stop EXIT`).
#
# Debian packages: dbus-daemon dbus-bin gnome-keyring (install with
# --no-install-recommends; nothing graphical is needed).
#
# Why --unlock with a throwaway password: on a headless machine nothing can
# answer gnome-keyring's prompt, and keyring v1.2.2 can only use a collection
# that exists already; --unlock creates the "login" collection unlocked.

keyring_session_start() {
	if [ -n "${KEYRING_SESSION_DBUS_PID:-}" ]; then
		return 0 # already started
	fi
	if ! command -v dbus-daemon >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
		echo "keyring-session: dbus-daemon or gnome-keyring-daemon missing; secret-service test will skip" >&2
		return 0
	fi
	KEYRING_SESSION_DIR=$(mktemp -d)
	export KEYRING_SESSION_DIR
	local out
	out=$(dbus-daemon --session --fork --nopidfile --print-address=1 --print-pid=1) || {
		echo "keyring-session: dbus-daemon failed to start" >&2
		return 0
	}
	DBUS_SESSION_BUS_ADDRESS=$(printf '%s\n' "$out" | sed -n 1p)
	KEYRING_SESSION_DBUS_PID=$(printf '%s\n' "$out" | sed -n 2p)
	export DBUS_SESSION_BUS_ADDRESS KEYRING_SESSION_DBUS_PID
	# The daemon keeps its keyrings under a temporary XDG_DATA_HOME so that a
	# developer's own login keyring is never touched.
	mkdir -p "$KEYRING_SESSION_DIR/data" "$KEYRING_SESSION_DIR/run"
	chmod 0700 "$KEYRING_SESSION_DIR/run"
	printf '%s' "jira-mcp-ci" | XDG_DATA_HOME="$KEYRING_SESSION_DIR/data" XDG_RUNTIME_DIR="$KEYRING_SESSION_DIR/run" \
		gnome-keyring-daemon --daemonize --unlock --components=secrets >"$KEYRING_SESSION_DIR/gkd.env" 2>"$KEYRING_SESSION_DIR/gkd.log" || {
		echo "keyring-session: gnome-keyring-daemon failed: $(cat "$KEYRING_SESSION_DIR/gkd.log")" >&2
		return 0
	}
	# The daemon claims org.freedesktop.secrets on the bus asynchronously.
	local i reply
	for i in $(seq 1 50); do
		# No pipes into grep -q: under pipefail an early grep exit fails them.
		reply=$(dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
			org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null || true)
		case $reply in
		*"boolean true"*)
			# gnome-keyring exits with the bus anyway; its pid is kept to stop it first.
			reply=$(dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
				org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null || true)
			KEYRING_SESSION_GKD_PID=${reply##*uint32 }
			case $KEYRING_SESSION_GKD_PID in *[!0-9]* | "") KEYRING_SESSION_GKD_PID= ;; esac
			export KEYRING_SESSION_GKD_PID
			# From here on the auth tests fail, rather than skip, if the
			# secret-service backend does not work.
			export JIRA_MCP_TEST_SECRET_SERVICE=required
			echo "keyring-session: gnome-keyring (pid ${KEYRING_SESSION_GKD_PID:-?}) ready on the session bus" >&2
			return 0
			;;
		esac
		sleep 0.1
	done
	echo "keyring-session: gnome-keyring did not claim org.freedesktop.secrets" >&2
	return 0
}

keyring_session_stop() {
	[ -n "${KEYRING_SESSION_GKD_PID:-}" ] && kill "$KEYRING_SESSION_GKD_PID" 2>/dev/null
	[ -n "${KEYRING_SESSION_DBUS_PID:-}" ] && kill "$KEYRING_SESSION_DBUS_PID" 2>/dev/null
	[ -n "${KEYRING_SESSION_DIR:-}" ] && rm -rf "$KEYRING_SESSION_DIR"
	unset KEYRING_SESSION_GKD_PID KEYRING_SESSION_DBUS_PID KEYRING_SESSION_DIR JIRA_MCP_TEST_SECRET_SERVICE DBUS_SESSION_BUS_ADDRESS
	return 0
}
