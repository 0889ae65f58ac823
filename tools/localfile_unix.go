//go:build unix

package tools

import "syscall"

// Open flags for local files: never follow a symlink in the last
// component, and never block on a FIFO swapped in.
const (
	openNoFollow = syscall.O_NOFOLLOW
	openNonBlock = syscall.O_NONBLOCK
)
